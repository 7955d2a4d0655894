"""``/routes/report-types/…``."""

import pytest

from tests.routes.factories import ReportTypeFactory

pytestmark = pytest.mark.django_db


def rt(t):
    return {"id": t.id, "name": t.name, "verbose_name": t.verbose_name}


@pytest.fixture
def types(statistics_type):
    return {
        "canceled": ReportTypeFactory(name="CANCELED_ORDERS", verbose_name="Отмены заказов", priority=5),
        "write_offs": ReportTypeFactory(name="WRITE_OFFS", verbose_name="Списания", priority=5),
        "inactive": ReportTypeFactory(name="STOPS", is_active=False),
        "bonus": ReportTypeFactory(name="BONUS_SYSTEM", verbose_name="Бонусная система", parent=statistics_type),
        "revenue": ReportTypeFactory(name="DAILY_REVENUE", verbose_name="Выручка", parent=statistics_type, priority=1),
        "off_stat": ReportTypeFactory(name="OFF_STAT", parent=statistics_type, is_active=False),
        "statistics": statistics_type,
    }


def test_report_types_are_active_non_statistics_by_priority_then_id(bot, types):
    response = bot.get("/routes/report-types/")
    assert response.status_code == 200
    assert response.json() == {
        "report_types": [rt(types["canceled"]), rt(types["write_offs"]), rt(types["statistics"])],
        "is_end_of_list_reached": True,
    }


def test_report_types_honour_limit_and_offset_from_the_query_string(bot, types):
    assert bot.get("/routes/report-types/", {"limit": 1, "offset": 1}).json() == {
        "report_types": [rt(types["write_offs"])],
        "is_end_of_list_reached": False,
    }


def test_statistics_report_types_are_the_active_children_of_statistics(bot, types):
    assert bot.get("/routes/report-types/statistics/").json() == {
        "report_types": [rt(types["revenue"]), rt(types["bonus"])],
        "is_end_of_list_reached": True,
    }
    assert bot.get("/routes/report-types/statistics/", {"limit": 1}).json() == {
        "report_types": [rt(types["revenue"])],
        "is_end_of_list_reached": False,
    }


def test_statistics_list_with_a_bad_limit_is_a_400(bot):
    response = bot.get("/routes/report-types/statistics/", {"limit": 500})
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {"fields": {"limit": ["Ensure this value is less than or equal to 100."]}},
    }


@pytest.mark.parametrize("count", [3, 30])
def test_report_type_lists_run_a_fixed_number_of_queries(bot, statistics_type, django_assert_max_num_queries, count):
    ReportTypeFactory.create_batch(count)
    ReportTypeFactory.create_batch(count, parent=statistics_type)
    with django_assert_max_num_queries(1):
        assert len(bot.get("/routes/report-types/").json()["report_types"]) == count + 1
    with django_assert_max_num_queries(1):
        assert len(bot.get("/routes/report-types/statistics/").json()["report_types"]) == count


def test_a_report_type_is_found_by_name_when_active(bot, types):
    assert bot.get("/routes/report-types/names/STATISTICS/").json() == {
        "id": types["statistics"].id,
        "name": "STATISTICS",
        "verbose_name": "Отчёты по статистике",
    }
    for name in ("STOPS", "NOPE", "statistics", "STATISTICS%00"):
        response = bot.get(f"/routes/report-types/names/{name}/")
        assert response.status_code == 404
        assert response.json() == {"message": "Report type is not found", "extra": {}}
