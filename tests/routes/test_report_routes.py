"""``/routes/report-routes/…``: the original's order of checks, all or nothing, lists, delete."""

import pytest

from routes.models import ReportRoute, TelegramChat
from tests.routes.factories import (
    ChatRoleFactory,
    PizzeriaFactory,
    RegionFactory,
    ReportRouteFactory,
    ReportTypeFactory,
    TelegramChatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(statistics_type):
    region = RegionFactory()
    units = [PizzeriaFactory(id=i, region=region) for i in (101, 102, 103, 105)]
    canceled = ReportTypeFactory(name="CANCELED_ORDERS")
    role = ChatRoleFactory(units=units[:3], report_types=[statistics_type, canceled])
    user = TelegramChatFactory(chat_id=111, role=role)
    group = TelegramChatFactory(chat_id=-100, type=TelegramChat.ChatType.GROUP)
    return {"role": role, "user": user, "group": group, "stat": statistics_type, "canceled": canceled, "units": units}


def post(client, **body):
    return client.post("/routes/report-routes/", body, format="json")


def routes():
    return sorted(ReportRoute.objects.values_list("report_type__name", "unit_id", "telegram_chat__chat_id"))


def test_routes_are_created_for_the_destination_chat_with_deduplicated_units(bot, world):
    response = post(bot, report_type_id=world["stat"].id, chat_id=-100, user_chat_id=111, unit_ids=[102, 101, 102])
    assert response.status_code == 201
    assert response.content == b""
    assert routes() == [("STATISTICS", 101, -100), ("STATISTICS", 102, -100)]


def test_user_chat_id_defaults_to_chat_id(bot, world):
    response = post(bot, report_type_id=world["canceled"].id, chat_id=111, unit_ids=[103])
    assert response.status_code == 201
    assert routes() == [("CANCELED_ORDERS", 103, 111)]


def test_group_without_role_cannot_route_for_itself(bot, world):
    response = post(bot, report_type_id=world["stat"].id, chat_id=-100, unit_ids=[101])
    assert response.status_code == 403
    assert response.json() == {"message": "User has no any role", "extra": {}}


def _failures(world):
    inactive_unrelated = ReportTypeFactory(name="WRITE_OFFS")
    stat, units = world["stat"].id, [101]
    return [
        # (body, status, message): each failure in the original's order of checks.
        (
            dict(report_type_id=stat, chat_id=-100, user_chat_id=999, unit_ids=units),
            404,
            "Chat by chat ID is not found",
        ),
        (dict(report_type_id=999999, chat_id=-100, user_chat_id=-100, unit_ids=units), 403, "User has no any role"),
        (
            dict(report_type_id=999999, chat_id=999, user_chat_id=111, unit_ids=[999]),
            404,
            "Report type by ID is not found",
        ),
        (
            dict(report_type_id=inactive_unrelated.id, chat_id=999, user_chat_id=111, unit_ids=[999]),
            403,
            "Permission to report type denied",
        ),
        (
            dict(report_type_id=stat, chat_id=999, user_chat_id=111, unit_ids=[101, 999, 105]),
            403,
            "Permission to units {105, 999} denied",
        ),
        (dict(report_type_id=stat, chat_id=999, user_chat_id=111, unit_ids=units), 404, "Chat by chat ID is not found"),
    ]


def test_each_failure_comes_in_the_originals_order_and_writes_nothing(bot, world):
    for body, status, message in _failures(world):
        response = post(bot, **body)
        assert (response.status_code, response.json()) == (status, {"message": message, "extra": {}}), body
    assert routes() == []


def test_one_existing_route_refuses_the_whole_request_with_409(bot, world):
    ReportRouteFactory(report_type=world["stat"], unit=world["units"][1], telegram_chat=world["group"])
    response = post(bot, report_type_id=world["stat"].id, chat_id=-100, user_chat_id=111, unit_ids=[101, 102, 103])
    assert response.status_code == 409
    assert response.json() == {"message": "Unit route already exists", "extra": {}}
    assert routes() == [("STATISTICS", 102, -100)]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {},
            {
                "report_type_id": ["This field is required."],
                "chat_id": ["This field is required."],
                "unit_ids": ["This field is required."],
            },
        ),
        (
            {"report_type_id": 1, "chat_id": 1, "unit_ids": []},
            {"unit_ids": ["This list may not be empty."]},
        ),
        (
            {"report_type_id": 1, "chat_id": 1, "unit_ids": ["x", 2**31]},
            {
                "unit_ids": {
                    "0": ["A valid integer is required."],
                    "1": ["Ensure this value is less than or equal to 2147483647."],
                }
            },
        ),
        (
            {"report_type_id": 1, "chat_id": 2**63, "unit_ids": [1]},
            {"chat_id": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
    ],
)
def test_invalid_bodies_are_400s_naming_each_field(bot, world, body, fields):
    response = post(bot, **body)
    assert response.status_code == 400
    assert response.json() == {"message": "Validation error", "extra": {"fields": fields}}
    assert routes() == []


@pytest.mark.parametrize("count", [3, 100])
def test_create_runs_a_fixed_number_of_queries(bot, world, django_assert_num_queries, count):
    many = PizzeriaFactory.create_batch(count, region=world["units"][0].region)
    world["role"].units.add(*many)
    body = dict(report_type_id=world["stat"].id, chat_id=-100, user_chat_id=111, unit_ids=[u.id for u in many])
    # Savepoint, user chat + role, type + membership, units, destination chat, insert, release.
    with django_assert_num_queries(7):
        response = post(bot, **body)
    assert response.status_code == 201
    assert ReportRoute.objects.count() == count


def test_unit_ids_of_a_chat_and_type_are_listed_by_route(bot, world):
    for unit in (world["units"][2], world["units"][0]):
        ReportRouteFactory(report_type=world["stat"], unit=unit, telegram_chat=world["group"])
    ReportRouteFactory(report_type=world["canceled"], unit=world["units"][1], telegram_chat=world["group"])
    query = {"chat_id": -100, "report_type_id": world["stat"].id}
    assert bot.get("/routes/report-routes/units/", query).json() == {
        "unit_ids": [103, 101],
        "is_end_of_list_reached": True,
    }
    assert bot.get("/routes/report-routes/units/", {**query, "limit": 1}).json() == {
        "unit_ids": [103],
        "is_end_of_list_reached": False,
    }
    assert bot.get("/routes/report-routes/units/", {"chat_id": 5, "report_type_id": 999}).json() == {
        "unit_ids": [],
        "is_end_of_list_reached": True,
    }


def test_route_lists_need_their_parameters(bot):
    response = bot.get("/routes/report-routes/units/")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {"fields": {"report_type_id": ["This field is required."], "chat_id": ["This field is required."]}},
    }
    response = bot.get("/routes/report-routes/telegram-chats/", {"report_type_id": 0, "unit_id": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {
            "fields": {
                "report_type_id": ["Ensure this value is greater than or equal to 1."],
                "unit_id": ["A valid integer is required."],
            }
        },
    }


def test_chat_ids_of_a_unit_and_type_are_telegram_ids(bot, world):
    ReportRouteFactory(report_type=world["stat"], unit=world["units"][0], telegram_chat=world["group"])
    ReportRouteFactory(report_type=world["stat"], unit=world["units"][0], telegram_chat=world["user"])
    query = {"unit_id": 101, "report_type_id": world["stat"].id}
    assert bot.get("/routes/report-routes/telegram-chats/", query).json() == {
        "chat_ids": [-100, 111],
        "is_end_of_list_reached": True,
    }


@pytest.mark.parametrize("count", [3, 30])
def test_route_lists_run_a_fixed_number_of_queries(bot, world, django_assert_max_num_queries, count):
    units = PizzeriaFactory.create_batch(count, region=world["units"][0].region)
    chats = TelegramChatFactory.create_batch(count)
    for unit in units:
        ReportRouteFactory(report_type=world["stat"], unit=unit, telegram_chat=world["group"])
    for chat in chats:
        ReportRouteFactory(report_type=world["stat"], unit=world["units"][0], telegram_chat=chat)
    with django_assert_max_num_queries(1):
        body = bot.get("/routes/report-routes/units/", {"chat_id": -100, "report_type_id": world["stat"].id}).json()
    assert len(body["unit_ids"]) == count
    with django_assert_max_num_queries(1):
        body = bot.get("/routes/report-routes/telegram-chats/", {"unit_id": 101, "report_type_id": world["stat"].id})
    assert len(body.json()["chat_ids"]) == count


def test_delete_removes_the_chosen_units_routes_only(bot, world):
    for unit in world["units"][:3]:
        ReportRouteFactory(report_type=world["stat"], unit=unit, telegram_chat=world["group"])
    ReportRouteFactory(report_type=world["canceled"], unit=world["units"][0], telegram_chat=world["group"])
    query = f"chat_id=-100&report_type_id={world['stat'].id}&user_chat_id=111&unit_ids=101&unit_ids=103"
    response = bot.delete(f"/routes/report-routes/?{query}")
    assert response.status_code == 204
    assert response.content == b""
    assert routes() == [("CANCELED_ORDERS", 101, -100), ("STATISTICS", 102, -100)]


def test_delete_without_unit_ids_or_matches_is_still_204(bot, world):
    ReportRouteFactory(report_type=world["stat"], unit=world["units"][0], telegram_chat=world["group"])
    assert bot.delete(f"/routes/report-routes/?chat_id=-100&report_type_id={world['stat'].id}").status_code == 204
    assert bot.delete("/routes/report-routes/?chat_id=5&report_type_id=5&unit_ids=1").status_code == 204
    assert len(routes()) == 1


def test_delete_without_chat_or_type_is_a_400_not_a_500(bot):
    response = bot.delete("/routes/report-routes/?chat_id=x&unit_ids=y")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {
            "fields": {
                "chat_id": ["A valid integer is required."],
                "report_type_id": ["This field is required."],
                "unit_ids": {"0": ["A valid integer is required."]},
            }
        },
    }


def test_get_on_report_routes_is_a_405(bot):
    response = bot.get("/routes/report-routes/")
    assert response.status_code == 405
    assert response.json() == {"message": 'Method "GET" not allowed.', "extra": {}}
