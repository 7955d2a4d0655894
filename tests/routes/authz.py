"""Authz matrix rows for the routes API (routes.md, Decision 13; DECISIONS §2).

The matrix runs with ``ROUTES_TRUSTED_NETWORKS`` empty, so anonymous is a 401 everywhere;
every authenticated actor sees the same shared data (the original had no users), and
data-level role checks (access codes) apply to the Telegram chats, not to the caller.
"""

from __future__ import annotations

from tests.authz import Row

AUTH = {"anonymous": 401, "demo": 200, "viewer": 200, "admin": 200, "other": 200}
CREATED = {**AUTH, "demo": 201, "viewer": 201, "admin": 201, "other": 201}
NO_CONTENT = {**AUTH, "demo": 204, "viewer": 204, "admin": 204, "other": 204}

SAMPLE_VALUES = {"chat_id": "-100", "unit_name": "Москва 1-1", "type_name": "STATISTICS"}


def setup(users) -> dict:
    from routes.models import TelegramChat
    from tests.routes.factories import ChatRoleFactory, PizzeriaFactory, ReportTypeFactory, TelegramChatFactory

    statistics = ReportTypeFactory(name="STATISTICS")
    unit = PizzeriaFactory(id=101, name="Москва 1-1")
    role = ChatRoleFactory(access_code="authz-code", units=[unit], report_types=[statistics])
    TelegramChatFactory(chat_id=-100, role=role, type=TelegramChat.ChatType.GROUP)
    return {
        "chat_id": -100,
        "unit_name": unit.name,
        "unit_id": unit.id,
        "type_name": statistics.name,
        "type_id": statistics.id,
    }


ROWS = [
    Row("GET", "/routes/units/", AUTH),
    Row("GET", "/routes/units/name/{unit_name}/", AUTH),
    Row("GET", "/routes/units/regions/", AUTH),
    Row("GET", "/routes/units/departments/", AUTH),
    Row("GET", "/routes/telegram-chats/", AUTH),
    Row(
        "POST",
        "/routes/telegram-chats/",
        CREATED,
        data={"chat_id": 42, "type": "PRIVATE", "title": "Authz", "username": None},
    ),
    Row("GET", "/routes/telegram-chats/chat-types/", AUTH),
    Row("GET", "/routes/telegram-chats/{chat_id}/", AUTH),
    Row("PUT", "/routes/telegram-chats/{chat_id}/", NO_CONTENT, data={"title": "Renamed"}),
    Row("GET", "/routes/report-types/", AUTH),
    Row("GET", "/routes/report-types/statistics/", AUTH),
    Row("GET", "/routes/report-types/names/{type_name}/", AUTH),
    Row(
        "POST",
        "/routes/report-routes/",
        CREATED,
        data=lambda v: {"report_type_id": v["type_id"], "chat_id": v["chat_id"], "unit_ids": [v["unit_id"]]},
    ),
    Row("DELETE", "/routes/report-routes/?chat_id={chat_id}&report_type_id={type_id}&unit_ids={unit_id}", NO_CONTENT),
    Row("GET", "/routes/report-routes/units/?chat_id={chat_id}&report_type_id={type_id}", AUTH),
    Row("GET", "/routes/report-routes/telegram-chats/?unit_id={unit_id}&report_type_id={type_id}", AUTH),
    Row("PATCH", "/routes/roles/users/{chat_id}/", NO_CONTENT, data={"access_code": "authz-code"}),
    Row("GET", "/routes/roles/users/{chat_id}/units/", AUTH),
    Row("GET", "/routes/roles/users/{chat_id}/regions/", AUTH),
    Row("GET", "/routes/roles/users/{chat_id}/report-types/", AUTH),
    Row("PATCH", "/routes/users/{chat_id}/access-code/", NO_CONTENT, data={"access_code": "authz-code"}),
    Row("GET", "/routes/users/{chat_id}/units/", AUTH),
    Row("GET", "/routes/users/{chat_id}/regions/", AUTH),
    Row("GET", "/routes/users/{chat_id}/report-types/", AUTH),
]
