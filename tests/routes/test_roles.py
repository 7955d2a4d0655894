"""``/routes/roles/users/{chat_id}/…`` and the README's ``/routes/users/{chat_id}/…``."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from routes.models import ReportRoute, TelegramChat
from tests.conftest import bearer_client
from tests.routes.factories import (
    ChatRoleFactory,
    PizzeriaFactory,
    RegionFactory,
    ReportRouteFactory,
    ReportTypeFactory,
    TelegramChatFactory,
)

pytestmark = pytest.mark.django_db

FAMILIES = ["/routes/roles/users/{}/", "/routes/users/{}/"]


def role_path(family: str, chat_id: int, tail: str) -> str:
    return family.format(chat_id) + tail


@pytest.fixture
def world(statistics_type):
    moscow, kaluga, empty = RegionFactory(name="Москва 1"), RegionFactory(name="Калуга"), RegionFactory(name="Пусто")
    units = {
        101: PizzeriaFactory(id=101, region=moscow),
        102: PizzeriaFactory(id=102, region=moscow),
        301: PizzeriaFactory(id=301, region=kaluga),
        401: PizzeriaFactory(id=401, region=empty),
    }
    canceled = ReportTypeFactory(name="CANCELED_ORDERS", verbose_name="Отмены", priority=3)
    inactive = ReportTypeFactory(name="OLD", verbose_name="Old", is_active=False)
    role = ChatRoleFactory(
        access_code="Secret-1",
        units=[units[301], units[102], units[101]],
        report_types=[statistics_type, canceled, inactive],
    )
    small = ChatRoleFactory(access_code="small", units=[units[101]], report_types=[canceled])
    user = TelegramChatFactory(chat_id=-555, role=role, type=TelegramChat.ChatType.GROUP)
    lone = TelegramChatFactory(chat_id=777)
    return locals() | {"stat": statistics_type}


def unit_body(u):
    return {
        "id": u.id,
        "name": u.name,
        "uuid": str(u.uuid),
        "region_id": u.region_id,
        "office_manager_account_name": u.office_manager_account_name,
        "dodo_is_api_account_name": u.dodo_is_api_account_name,
    }


@pytest.mark.parametrize("family", FAMILIES)
def test_role_units_are_listed_by_id_and_filtered_by_region(bot, world, family):
    u = world["units"]
    path = role_path(family, -555, "units/")
    assert bot.get(path).json() == {"units": [unit_body(u[i]) for i in (101, 102, 301)], "is_end_of_list_reached": True}
    assert bot.get(path, {"limit": 2, "offset": 1}).json() == {
        "units": [unit_body(u[102]), unit_body(u[301])],
        "is_end_of_list_reached": True,
    }
    assert bot.get(path, {"limit": 1, "region_id": world["moscow"].id}).json() == {
        "units": [unit_body(u[101])],
        "is_end_of_list_reached": False,
    }


@pytest.mark.parametrize("family", FAMILIES)
def test_role_regions_are_those_holding_role_units(bot, world, family):
    assert bot.get(role_path(family, -555, "regions/")).json() == {
        "regions": [{"id": world["moscow"].id, "name": "Москва 1"}, {"id": world["kaluga"].id, "name": "Калуга"}],
        "is_end_of_list_reached": True,
    }


@pytest.mark.parametrize("family", FAMILIES)
def test_role_report_types_are_by_priority_active_or_not(bot, world, family):
    c, s, o = world["canceled"], world["stat"], world["inactive"]
    assert bot.get(role_path(family, -555, "report-types/"), {"limit": 2}).json() == {
        "report_types": [
            {"id": c.id, "name": "CANCELED_ORDERS", "verbose_name": "Отмены"},
            {"id": s.id, "name": "STATISTICS", "verbose_name": "Отчёты по статистике"},
        ],
        "is_end_of_list_reached": False,
    }
    assert bot.get(role_path(family, -555, "report-types/"), {"offset": 2}).json() == {
        "report_types": [{"id": o.id, "name": "OLD", "verbose_name": "Old"}],
        "is_end_of_list_reached": True,
    }


@pytest.mark.parametrize("tail", ["units/", "regions/", "report-types/"])
@pytest.mark.parametrize("family", FAMILIES)
def test_role_lists_refuse_unknown_chats_and_chats_without_role(bot, world, family, tail):
    response = bot.get(role_path(family, 999, tail))
    assert (response.status_code, response.json()) == (404, {"message": "Chat by chat ID is not found", "extra": {}})
    response = bot.get(role_path(family, 777, tail))
    assert (response.status_code, response.json()) == (403, {"message": "User has no any role", "extra": {}})


def test_role_units_with_a_bad_region_is_a_400(bot, world):
    response = bot.get("/routes/roles/users/-555/units/", {"region_id": "moscow"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {"fields": {"region_id": ["A valid integer is required."]}},
    }


@pytest.mark.parametrize("count", [3, 300])
def test_role_lists_run_a_fixed_number_of_queries(bot, world, django_assert_max_num_queries, count):
    region = world["moscow"]
    units = PizzeriaFactory.create_batch(count, region=region, department=world["units"][101].department)
    world["role"].units.add(*units)
    world["role"].report_types.add(*ReportTypeFactory.create_batch(count))
    for tail in ("units/", "regions/", "report-types/"):
        with django_assert_max_num_queries(2):
            response = bot.get(f"/routes/roles/users/-555/{tail}")
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["/routes/roles/users/777/", "/routes/users/777/access-code/"])
def test_access_code_sets_the_role(bot, world, path):
    response = bot.patch(path, {"access_code": " small "}, format="json")
    assert response.status_code == 204
    assert response.content == b""
    assert TelegramChat.objects.get(chat_id=777).role == world["small"]


def test_role_change_drops_routes_to_units_outside_the_new_role_only(bot, world):
    user, u = world["user"], world["units"]
    ReportRouteFactory(report_type=world["stat"], unit=u[101], telegram_chat=user)
    ReportRouteFactory(report_type=world["stat"], unit=u[102], telegram_chat=user)
    ReportRouteFactory(report_type=world["inactive"], unit=u[101], telegram_chat=user)
    other = ReportRouteFactory(report_type=world["stat"], unit=u[102], telegram_chat=world["lone"])
    assert bot.patch("/routes/roles/users/-555/", {"access_code": "small"}, format="json").status_code == 204
    # Unit 102 is outside "small": its route goes; routes of types "small" lacks stay (as the original).
    assert sorted(ReportRoute.objects.values_list("report_type__name", "unit_id", "telegram_chat__chat_id")) == [
        ("OLD", 101, -555),
        ("STATISTICS", 101, -555),
        ("STATISTICS", 102, 777),
    ]
    assert other.pk


@pytest.mark.parametrize(
    ("chat_id", "code", "status", "body"),
    [
        (999, "small", 404, {"message": "Chat by chat ID is not found", "extra": {}}),
        (777, "secret-1", 404, {"message": "Role is not found", "extra": {}}),
        (777, "Secret", 404, {"message": "Role is not found", "extra": {}}),
        (
            777,
            "  ",
            400,
            {"message": "Validation error", "extra": {"fields": {"access_code": ["This field may not be blank."]}}},
        ),
        (
            777,
            "x" * 65,
            400,
            {
                "message": "Validation error",
                "extra": {"fields": {"access_code": ["Ensure this field has no more than 64 characters."]}},
            },
        ),
    ],
)
def test_access_code_failures(bot, world, chat_id, code, status, body):
    response = bot.patch(f"/routes/roles/users/{chat_id}/", {"access_code": code}, format="json")
    assert (response.status_code, response.json()) == (status, body)
    assert TelegramChat.objects.get(chat_id=777).role is None


@pytest.fixture
def access_code_rate(monkeypatch):
    """Lower the ``access_code`` rate (DRF binds the rates on the class at import) on a clean cache."""
    from rest_framework.throttling import SimpleRateThrottle

    def lower(rate: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "access_code": rate}
        )
        cache.clear()

    yield lower
    cache.clear()


def _assert_throttled_400(response) -> None:
    """A throttled attempt is a 400 (the bot reads a 429 as "role changed")."""
    assert response.status_code == 400, response.content
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 60
    assert response.json() == {
        "message": f"Too many access code attempts. Try again in {seconds} seconds.",
        "extra": {"retry_after": seconds},
    }


def test_access_code_guesses_are_throttled_per_client(world, demo_user, access_code_rate):
    access_code_rate("3/minute")
    client = bearer_client(demo_user)  # from 127.0.0.1, not a trusted network here
    codes = [
        client.patch(f"/routes/roles/users/{cid}/", {"access_code": "guess"}, format="json").status_code
        for cid in (777, 778, 779)
    ]
    assert codes == [404, 404, 404]
    _assert_throttled_400(client.patch("/routes/roles/users/777/", {"access_code": "small"}, format="json"))
    assert TelegramChat.objects.get(chat_id=777).role is None


def test_the_trusted_bot_is_not_held_to_the_per_client_limit(bot, world, access_code_rate):
    """The bot is one address for all its chats: one user's guesses must not lock the others out."""
    access_code_rate("3/minute")
    for chat_id in (777, 778, 779, 780, 781, 782):  # six chats, three guesses each: 18 from one address
        for _ in range(3):
            assert (
                bot.patch(f"/routes/roles/users/{chat_id}/", {"access_code": "guess"}, format="json").status_code == 404
            )
    assert bot.patch("/routes/roles/users/-555/", {"access_code": "small"}, format="json").status_code == 204
    assert TelegramChat.objects.get(chat_id=-555).role == world["small"]
    # The per-chat limit still holds for the guessed chat.
    _assert_throttled_400(bot.patch("/routes/roles/users/777/", {"access_code": "small"}, format="json"))
    assert TelegramChat.objects.get(chat_id=777).role is None


def test_the_trusted_bot_has_its_own_higher_per_client_limit(bot, world, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**SimpleRateThrottle.THROTTLE_RATES, "access_code_trusted": "4/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    for chat_id in (777, 778, 779, 780):
        assert bot.patch(f"/routes/roles/users/{chat_id}/", {"access_code": "guess"}, format="json").status_code == 404
    _assert_throttled_400(bot.patch("/routes/roles/users/-555/", {"access_code": "small"}, format="json"))
    assert TelegramChat.objects.get(chat_id=-555).role == world["role"]


def test_access_code_guesses_are_throttled_per_chat_across_clients(world, settings, access_code_rate):
    access_code_rate("2/minute")
    settings.ROUTES_TRUSTED_NETWORKS = ["10.0.0.0/8"]

    def attempt(chat_id, code, address):
        client = APIClient()
        return client.patch(
            f"/routes/roles/users/{chat_id}/", {"access_code": code}, format="json", REMOTE_ADDR=address
        ).status_code

    assert [attempt(777, "guess", f"10.0.0.{i}") for i in range(1, 4)] == [404, 404, 400]
    assert attempt(-555, "small", "10.0.0.9") == 204
