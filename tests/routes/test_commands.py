"""``init_report_types``, ``init_account_roles`` and the routes part of ``seed_demo``: exact rows, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from routes.models import ChatRole, DodoAccountRole, Pizzeria, Region, ReportRoute, ReportType, TelegramChat
from tests.routes.factories import ReportTypeFactory

pytestmark = pytest.mark.django_db

REGULAR = [
    (1, "STATISTICS", "Отчёты по статистике"),
    (2, "INGREDIENTS_STOP_SALES", "Стопы (тесто, сыр, пицца-соус)"),
    (3, "STREET_STOP_SALES", "Стопы (Улица)"),
    (4, "SECTOR_STOP_SALES", "Стопы (Сектор)"),
    (5, "PIZZERIA_STOP_SALES", "Стопы (Пиццерия)"),
    (6, "STOPS_AND_RESUMES", "Стопы (Остальные ингредиенты)"),
    (7, "CANCELED_ORDERS", "Отмены заказов"),
    (8, "CHEATED_PHONE_NUMBERS", "Мошенничество с номерами"),
    (9, "WRITE_OFFS", "Списания ингредиентов"),
    (21, "LATE_DELIVERY_VOUCHERS", "Сертификаты за опоздание"),
]
STATISTICS_CHILDREN = [
    (10, "COOKING_TIME", "Время приготовления (общее)"),
    (11, "RESTAURANT_COOKING_TIME", "Время приготовления (ресторан)"),
    (12, "KITCHEN_PERFORMANCE", "Производительность кухни"),
    (13, "DELIVERY_AWAITING_TIME", "Время на полке / 1в1"),
    (14, "DELIVERY_SPEED", "Скорость доставки"),
    (15, "DELIVERY_PERFORMANCE", "Производительность доставки"),
    (16, "BEING_LATE_CERTIFICATES", "Сертификаты за опоздание"),
    (17, "DAILY_REVENUE", "Выручка за сегодня"),
    (18, "AWAITING_ORDERS", "Остывает на полке"),
    (19, "BONUS_SYSTEM", "Бонусная система"),
    (20, "PRODUCTIVITY_BALANCE", "Баланс эффективности"),
]
EXPECTED_TYPES = sorted(
    [(i, n, v, None, 0, True) for i, n, v in REGULAR] + [(i, n, v, 1, 0, True) for i, n, v in STATISTICS_CHILDREN]
)


def report_type_rows():
    return list(
        ReportType.objects.order_by("id").values_list(
            "id", "name", "verbose_name", "parent_id", "priority", "is_active"
        )
    )


def test_init_report_types_gives_exactly_the_spec_rows_twice_in_a_row():
    out = StringIO()
    call_command("init_report_types", stdout=out)
    assert out.getvalue().startswith("init_report_types: 21 added (STATISTICS, INGREDIENTS_STOP_SALES,")
    assert report_type_rows() == EXPECTED_TYPES
    out = StringIO()
    call_command("init_report_types", stdout=out)
    assert out.getvalue() == "init_report_types: 0 added\n"
    assert report_type_rows() == EXPECTED_TYPES
    # The id sequence continues after the explicit ids.
    assert ReportTypeFactory(name="NEW_TYPE").id == 22


def test_init_report_types_keeps_existing_rows_and_fills_gaps():
    ReportType.objects.create(id=7, name="SOMETHING_ELSE", verbose_name="x")
    ReportType.objects.create(name="WRITE_OFFS", verbose_name="custom", is_active=False)
    call_command("init_report_types", "--inactive", stdout=StringIO())
    rows = {name: (pk, verbose, active) for pk, name, verbose, _, _, active in report_type_rows()}
    assert rows["SOMETHING_ELSE"] == (7, "x", False)
    assert rows["WRITE_OFFS"][1:] == ("custom", False)
    assert rows["CANCELED_ORDERS"][1:] == ("Отмены заказов", False)
    assert rows["CANCELED_ORDERS"][0] not in (7, rows["WRITE_OFFS"][0])
    assert len(rows) == 22


def test_the_seeded_types_are_served_to_the_bot(bot):
    call_command("init_report_types", stdout=StringIO())
    assert bot.get("/routes/report-types/names/STATISTICS/").json() == {
        "id": 1,
        "name": "STATISTICS",
        "verbose_name": "Отчёты по статистике",
    }
    body = bot.get("/routes/report-types/statistics/").json()
    assert body == {
        "report_types": [{"id": i, "name": n, "verbose_name": v} for i, n, v in STATISTICS_CHILDREN],
        "is_end_of_list_reached": True,
    }


def test_init_account_roles_gives_exactly_the_two_roles_twice_in_a_row():
    call_command("init_account_roles", stdout=StringIO())
    out = StringIO()
    call_command("init_account_roles", stdout=out)
    assert out.getvalue() == "init_account_roles: 0 added\n"
    assert list(DodoAccountRole.objects.values_list("id", "name")) == [(3, "Shift Manager"), (7, "Office Manager")]


def test_init_account_roles_skips_a_taken_id_or_name():
    DodoAccountRole.objects.create(id=3, name="Старший смены")
    DodoAccountRole.objects.create(id=9, name="Office Manager")
    call_command("init_account_roles", stdout=StringIO())
    assert list(DodoAccountRole.objects.values_list("id", "name")) == [(3, "Старший смены"), (9, "Office Manager")]


def routes_snapshot():
    return {
        "regions": list(Region.objects.values_list("name", flat=True)),
        "units": list(Pizzeria.objects.values_list("id", "name", "region__name", "uuid")),
        "roles": [
            (r.access_code, sorted(u.id for u in r.units.all()), sorted(t.name for t in r.report_types.all()))
            for r in ChatRole.objects.prefetch_related("units", "report_types")
        ],
        "chats": list(TelegramChat.objects.values_list("chat_id", "type", "title", "role__access_code")),
        "routes": sorted(ReportRoute.objects.values_list("report_type__name", "unit_id", "telegram_chat__chat_id")),
        "types": ReportType.objects.count(),
    }


def test_seed_demo_adds_the_routes_demo_rows_once(bot):
    call_command("seed_demo", stdout=StringIO())
    first = routes_snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert routes_snapshot() == first
    assert first["regions"] == ["Москва 1", "Москва 2", "Калуга"]
    assert [u[0] for u in first["units"]] == [101, 102, 103, 201, 202, 301]
    assert first["chats"] == [
        (100000001, 1, "Анна Управляющая", "demo-territory-manager"),
        (100000002, 1, "Борис Менеджер", "demo-moscow-1-manager"),
        (-1001000000001, 2, "Отчёты Москва 1", None),
    ]
    assert first["routes"] == [
        ("CANCELED_ORDERS", 101, 100000001),
        ("CANCELED_ORDERS", 102, 100000002),
        ("CANCELED_ORDERS", 201, 100000001),
        ("CANCELED_ORDERS", 301, 100000001),
        ("STATISTICS", 101, -1001000000001),
        ("STATISTICS", 102, -1001000000001),
        ("STATISTICS", 103, -1001000000001),
    ]
    assert first["types"] == 21
    # The demo role works through the API as the bot would use it.
    assert (
        bot.patch(
            "/routes/roles/users/-1001000000001/", {"access_code": "demo-moscow-1-manager"}, format="json"
        ).status_code
        == 204
    )
    body = bot.get("/routes/roles/users/-1001000000001/regions/").json()
    assert body == {
        "regions": [{"id": Region.objects.get(name="Москва 1").id, "name": "Москва 1"}],
        "is_end_of_list_reached": True,
    }
