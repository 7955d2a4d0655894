"""The Telegram bot's and the notification routers' calls, replayed as they make them.

``BotDatabaseAPI`` mirrors, call for call, ``telegram-bot`` ``src/services/database_api.py``
(routes.md, notes 7): the same paths relative to the base URL, the same query parameters
(``offset += limit`` loops until ``is_end_of_list_reached``), the same JSON bodies, and the
same reads (``response.json()`` before the status check, matches on ``message``, the
fields its pydantic models require). It runs over two transports: Django's test client
and real HTTP to ``live_server`` with the base URL ``<server>/routes`` — the only change a
client of the original needs.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
import requests
from rest_framework.test import APIClient

from routes.models import ReportRoute, TelegramChat
from tests.routes.factories import ChatRoleFactory, PizzeriaFactory, RegionFactory, ReportTypeFactory


class UserHasNoRoleError(Exception):
    pass


class UserNotFoundError(Exception):
    pass


class RoleNotFoundError(Exception):
    pass


class UserAlreadyExistsError(Exception):
    pass


def _check(obj: dict, fields: dict) -> dict:
    """What the bot's pydantic models demand of each item."""
    for name, kind in fields.items():
        assert name in obj, name
        if kind is uuid.UUID:
            uuid.UUID(obj[name])
        else:
            assert isinstance(obj[name], kind) and not isinstance(obj[name], bool), (name, obj[name])
    return obj


UNIT = {
    "id": int,
    "name": str,
    "uuid": uuid.UUID,
    "region_id": int,
    "office_manager_account_name": str,
    "dodo_is_api_account_name": str,
}
REGION = {"id": int, "name": str}
REPORT_TYPE = {"id": int, "name": str, "verbose_name": str}


class DjangoClientTransport:
    def __init__(self):
        self.client = APIClient()

    def request(self, method: str, path: str, *, params=None, json=None):
        url = "/routes" + path + (f"?{urlencode(params, doseq=True)}" if params else "")
        kwargs = {"data": json, "format": "json"} if json is not None else {}
        response = getattr(self.client, method)(url, **kwargs)
        return response.status_code, response.content


class HttpTransport:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method: str, path: str, *, params=None, json=None):
        response = self.session.request(method.upper(), self.base_url + path, params=params, json=json, timeout=30)
        return response.status_code, response.content


class Response:
    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content

    def json(self):
        import json

        return json.loads(self.content)


class BotDatabaseAPI:
    def __init__(self, transport):
        self.transport = transport

    def _call(self, method, path, **kwargs) -> Response:
        return Response(*self.transport.request(method, path, **kwargs))

    def create_chat(self, *, chat_id, type, title, username):
        response = self._call(
            "post", "/telegram-chats/", json={"chat_id": chat_id, "type": type, "title": title, "username": username}
        )
        if response.status_code == 201:
            return
        if response.status_code == 409:
            raise UserAlreadyExistsError
        raise AssertionError(response.status_code)

    def set_user_role(self, *, chat_id, access_code):
        response = self._call("patch", f"/roles/users/{chat_id}/", json={"access_code": access_code})
        if response.status_code == 204:
            return
        data = response.json()
        match (response.status_code, data):
            case [404, {"message": "Role is not found"}]:
                raise RoleNotFoundError
            case [404, {"message": "Chat by chat ID is not found"}]:
                raise UserNotFoundError
        raise AssertionError((response.status_code, data))

    def _iterate(self, path, key, item, *, limit=100, **extra):
        params = {"limit": limit, "offset": 0, **extra}
        out = []
        while True:
            response = self._call("get", path, params=dict(params))
            data = response.json()
            match (response.status_code, data):
                case [403, {"message": "User has no any role"}]:
                    raise UserHasNoRoleError
                case [404, {"message": "Chat by chat ID is not found"}]:
                    raise UserNotFoundError
            params["offset"] += limit
            out += [_check(x, item) if item else x for x in data[key]]
            if data["is_end_of_list_reached"]:
                return out

    def get_role_units(self, *, chat_id, region_id=None, limit=100):
        extra = {"region_id": region_id} if region_id is not None else {}
        return self._iterate(f"/roles/users/{chat_id}/units/", "units", UNIT, limit=limit, **extra)

    def get_role_regions(self, *, chat_id, limit=100):
        return self._iterate(f"/roles/users/{chat_id}/regions/", "regions", REGION, limit=limit)

    def get_role_report_types(self, *, chat_id, limit=100):
        return self._iterate(f"/roles/users/{chat_id}/report-types/", "report_types", REPORT_TYPE, limit=limit)

    def get_statistics_report_types(self, limit=100):
        return self._iterate("/report-types/statistics/", "report_types", REPORT_TYPE, limit=limit)

    def get_report_type_by_name(self, name):
        return _check(self._call("get", f"/report-types/names/{name}/").json(), REPORT_TYPE)

    def create_report_routes(self, *, report_type_id, chat_id, user_chat_id, unit_ids):
        body = {
            "report_type_id": report_type_id,
            "chat_id": chat_id,
            "user_chat_id": user_chat_id,
            "unit_ids": list(unit_ids),
        }
        response = self._call("post", "/report-routes/", json=body)
        if response.status_code == 201:
            return 201
        match response.json():
            case {"message": "Chat by chat ID is not found"}:
                raise UserNotFoundError
        return response.status_code

    def get_report_route_units(self, *, chat_id, report_type_id, limit=100):
        return self._iterate(
            "/report-routes/units/", "unit_ids", None, limit=limit, chat_id=chat_id, report_type_id=report_type_id
        )

    def delete_report_routes(self, *, report_type_id, user_chat_id, chat_id, unit_ids):
        params = {
            "report_type_id": report_type_id,
            "chat_id": chat_id,
            "user_chat_id": user_chat_id,
            "unit_ids": tuple(unit_ids),
        }
        return self._call("delete", "/report-routes/", params=params).status_code


def build_world():
    """Production-like reference data plus a role over 150 units in two regions."""
    from routes.services import report_types_init

    report_types_init()
    moscow, kaluga = RegionFactory(name="Москва 1"), RegionFactory(name="Калуга")
    units = [PizzeriaFactory(id=1000 + i, region=moscow if i < 120 else kaluga) for i in range(150)]
    extra_types = ReportTypeFactory.create_batch(3)
    from routes.models import ReportType

    statistics = ReportType.objects.get(name="STATISTICS")
    canceled = ReportType.objects.get(name="CANCELED_ORDERS")
    ChatRoleFactory(access_code="Manager-Code", units=units, report_types=[statistics, canceled, *extra_types])
    return {"moscow": moscow, "kaluga": kaluga, "units": units, "statistics": statistics, "canceled": canceled}


def run_bot_flow(api: BotDatabaseAPI, world) -> None:
    user_id, group_id = 424242, -1001777
    # /start: register the user, then again (409 → already registered); a group too.
    api.create_chat(chat_id=user_id, type="PRIVATE", title="Анна Иванова", username="anna")
    with pytest.raises(UserAlreadyExistsError):
        api.create_chat(chat_id=user_id, type="PRIVATE", title="Анна Иванова", username="anna")
    api.create_chat(chat_id=group_id, type="GROUP", title="Отчёты по пиццериям", username=None)

    # Before a role: every role read is refused with the exact messages the bot matches.
    with pytest.raises(UserHasNoRoleError):
        api.get_role_units(chat_id=user_id)
    with pytest.raises(UserNotFoundError):
        api.get_role_regions(chat_id=999)
    with pytest.raises(RoleNotFoundError):
        api.set_user_role(chat_id=user_id, access_code="manager-code")
    with pytest.raises(UserNotFoundError):
        api.set_user_role(chat_id=999, access_code="Manager-Code")
    api.set_user_role(chat_id=user_id, access_code="Manager-Code")

    # Role reads, page by page (the bot's own loop; small pages force several).
    units = api.get_role_units(chat_id=user_id, limit=40)
    assert [u["id"] for u in units] == [u.id for u in world["units"]]
    assert api.get_role_units(chat_id=user_id) == units
    kaluga = api.get_role_units(chat_id=user_id, region_id=world["kaluga"].id, limit=7)
    assert [u["id"] for u in kaluga] == [u.id for u in world["units"][120:]]
    regions = api.get_role_regions(chat_id=user_id, limit=1)
    assert regions == [{"id": world["moscow"].id, "name": "Москва 1"}, {"id": world["kaluga"].id, "name": "Калуга"}]
    report_types = api.get_role_report_types(chat_id=user_id, limit=2)
    assert "STATISTICS" in [t["name"] for t in report_types] and len(report_types) == 5
    statistics = api.get_report_type_by_name("STATISTICS")
    assert statistics == {"id": 1, "name": "STATISTICS", "verbose_name": "Отчёты по статистике"}
    statistics_types = api.get_statistics_report_types(limit=4)
    assert [t["id"] for t in statistics_types] == list(range(10, 21))

    # Enable statistics for 110 units in the group, on behalf of the user.
    chosen = [u["id"] for u in units[:110]]
    status = api.create_report_routes(
        report_type_id=statistics["id"], chat_id=group_id, user_chat_id=user_id, unit_ids=chosen
    )
    assert status == 201
    assert api.get_report_route_units(chat_id=group_id, report_type_id=statistics["id"], limit=50) == chosen
    # Enabling one of them again is refused as a whole (the bot ignores the status).
    again = api.create_report_routes(
        report_type_id=statistics["id"], chat_id=group_id, user_chat_id=user_id, unit_ids=[chosen[0], units[-1]["id"]]
    )
    assert again == 409
    with pytest.raises(UserNotFoundError):
        api.create_report_routes(report_type_id=statistics["id"], chat_id=group_id, user_chat_id=999, unit_ids=chosen)
    # Disable ten of them.
    assert (
        api.delete_report_routes(
            report_type_id=statistics["id"], user_chat_id=user_id, chat_id=group_id, unit_ids=chosen[:10]
        )
        == 204
    )
    assert api.get_report_route_units(chat_id=group_id, report_type_id=statistics["id"]) == chosen[10:]
    assert ReportRoute.objects.filter(telegram_chat__chat_id=group_id).count() == 100
    assert TelegramChat.objects.get(chat_id=user_id).role.access_code == "Manager-Code"


def run_notification_router_calls(api: BotDatabaseAPI, world) -> None:
    """notifications-router(-v2): type by name, then chat ids of a unit; v2 also reads /units/."""
    call = api._call
    type_id = call("get", "/report-types/names/STATISTICS/").json()["id"]
    unit_id = world["units"][50].id
    data = call("get", "/report-routes/telegram-chats/", params={"unit_id": unit_id, "report_type_id": type_id}).json()
    assert data == {"chat_ids": [-1001777], "is_end_of_list_reached": True}
    first_page = call("get", "/units/").json()
    assert len(first_page["units"]) == 100 and first_page["is_end_of_list_reached"] is False
    assert {"id", "name", "uuid", "office_manager_account_name", "dodo_is_api_account_name", "region"} == set(
        first_page["units"][0]
    )
    # notification-services: /units/?limit=100&offset=… until the end.
    offset, seen = 0, []
    while True:
        page = call("get", "/units/", params={"limit": 100, "offset": offset}).json()
        seen += [u["id"] for u in page["units"]]
        offset += 100
        if page["is_end_of_list_reached"]:
            break
    assert seen == [u.id for u in world["units"]]
    # telegram-chats-manager: list chats, then PUT a title only (the original answered 400).
    chats = call("get", "/telegram-chats/", params={"limit": 100, "offset": 0}).json()
    assert chats == {
        "telegram_chats": [
            {"title": "Анна Иванова", "chat_id": 424242},
            {"title": "Отчёты по пиццериям", "chat_id": -1001777},
        ],
        "is_end_of_list_reached": True,
    }
    assert call("put", "/telegram-chats/-1001777/", json={"title": "Новое название"}).status_code == 204


@pytest.mark.django_db
def test_bot_flow_through_the_test_client(trusted):
    world = build_world()
    api = BotDatabaseAPI(DjangoClientTransport())
    run_bot_flow(api, world)
    run_notification_router_calls(api, world)


@pytest.mark.contract
@pytest.mark.django_db(transaction=True)
def test_bot_flow_over_http_with_only_the_base_url_changed(live_server, trusted):
    world = build_world()
    api = BotDatabaseAPI(HttpTransport(live_server.url + "/routes"))
    run_bot_flow(api, world)
    run_notification_router_calls(api, world)
