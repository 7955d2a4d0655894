"""``/routes/units/…``: units, unit by name, regions, departments."""

import uuid

import pytest

from tests.routes.factories import DepartmentFactory, PizzeriaFactory, RegionFactory

pytestmark = pytest.mark.django_db


def unit_body(unit):
    return {
        "id": unit.id,
        "name": unit.name,
        "uuid": str(unit.uuid),
        "office_manager_account_name": unit.office_manager_account_name,
        "dodo_is_api_account_name": unit.dodo_is_api_account_name,
        "region": unit.region.name,
    }


def test_units_are_listed_by_id_with_the_region_name(bot):
    region = RegionFactory(name="Москва 1")
    u2 = PizzeriaFactory(id=103, name="Москва 1-3", region=region, uuid=uuid.UUID(int=3))
    u1 = PizzeriaFactory(
        id=101, name="Москва 1-1", region=region, uuid=uuid.UUID(int=1), office_manager_account_name=None
    )
    response = bot.get("/routes/units/")
    assert response.status_code == 200
    assert response.json() == {
        "units": [
            {
                "id": 101,
                "name": "Москва 1-1",
                "uuid": "00000000-0000-0000-0000-000000000001",
                "office_manager_account_name": None,
                "dodo_is_api_account_name": "api_101",
                "region": "Москва 1",
            },
            unit_body(u2),
        ],
        "is_end_of_list_reached": True,
    }
    assert u1.id == 101


def test_units_pages_follow_limit_and_offset(bot):
    units = sorted((PizzeriaFactory() for _ in range(5)), key=lambda u: u.id)
    first = bot.get("/routes/units/", {"limit": 2, "offset": 0}).json()
    last = bot.get("/routes/units/", {"limit": 2, "offset": 4}).json()
    exact = bot.get("/routes/units/", {"limit": 5}).json()
    beyond = bot.get("/routes/units/", {"offset": 50}).json()
    assert first == {"units": [unit_body(u) for u in units[:2]], "is_end_of_list_reached": False}
    assert last == {"units": [unit_body(units[4])], "is_end_of_list_reached": True}
    assert exact["is_end_of_list_reached"] is True and len(exact["units"]) == 5
    assert beyond == {"units": [], "is_end_of_list_reached": True}


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"limit": 101}, {"limit": ["Ensure this value is less than or equal to 100."]}),
        ({"limit": 0}, {"limit": ["Ensure this value is greater than or equal to 1."]}),
        ({"offset": -1}, {"offset": ["Ensure this value is greater than or equal to 0."]}),
        ({"limit": "many"}, {"limit": ["A valid integer is required."]}),
        ({"limit": ""}, {"limit": ["A valid integer is required."]}),
        ({"offset": "1.0"}, {"offset": ["A valid integer is required."]}),
        ({"limit": ["1", "2"]}, {"limit": ["Expected a single value."]}),
        (
            {"limit": "true", "offset": ["0", "0"]},
            {"offset": ["Expected a single value."], "limit": ["A valid integer is required."]},
        ),
    ],
)
def test_bad_limit_or_offset_is_a_400_naming_it(bot, query, fields):
    response = bot.get("/routes/units/", query)
    assert response.status_code == 400
    assert response.json() == {"message": "Validation error", "extra": {"fields": fields}}


@pytest.mark.parametrize("count", [3, 300])
def test_units_list_runs_a_fixed_number_of_queries(bot, django_assert_max_num_queries, count):
    region, department = RegionFactory(), DepartmentFactory()
    PizzeriaFactory.create_batch(count, region=region, department=department)
    with django_assert_max_num_queries(1):
        response = bot.get("/routes/units/")
    assert len(response.json()["units"]) == min(count, 100)


def test_unit_by_name_is_exact(bot):
    unit = PizzeriaFactory(name="Москва 1-1")
    assert bot.get("/routes/units/name/Москва 1-1/").json() == unit_body(unit)
    response = bot.get("/routes/units/name/москва 1-1/")
    assert response.status_code == 404
    assert response.json() == {"message": "Unit by name is not found", "extra": {}}


def test_a_unit_name_with_a_nul_character_is_a_404_not_a_500(bot):
    response = bot.get("/routes/units/name/a%00b/")
    assert (response.status_code, response.json()) == (404, {"message": "Unit by name is not found", "extra": {}})


def test_regions_are_listed_with_or_without_units(bot):
    r1, r2 = RegionFactory(name="Москва 1"), RegionFactory(name="Калуга")
    PizzeriaFactory(region=r1)
    response = bot.get("/routes/units/regions/", {"limit": 1})
    assert response.json() == {"regions": [{"id": r1.id, "name": "Москва 1"}], "is_end_of_list_reached": False}
    response = bot.get("/routes/units/regions/", {"offset": 1})
    assert response.json() == {"regions": [{"id": r2.id, "name": "Калуга"}], "is_end_of_list_reached": True}


@pytest.mark.parametrize("count", [3, 30])
def test_regions_list_runs_a_fixed_number_of_queries(bot, django_assert_max_num_queries, count):
    RegionFactory.create_batch(count)
    with django_assert_max_num_queries(1):
        assert len(bot.get("/routes/units/regions/").json()["regions"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_departments_list_runs_a_fixed_number_of_queries(bot, django_assert_max_num_queries, count):
    DepartmentFactory.create_batch(count)
    with django_assert_max_num_queries(1):
        assert len(bot.get("/routes/units/departments/").json()["departments"]) == count


def test_departments_are_listed(bot, django_assert_max_num_queries):
    d = DepartmentFactory(id=7, name="Франчайзи", uuid=uuid.UUID(int=7))
    with django_assert_max_num_queries(1):
        response = bot.get("/routes/units/departments/")
    assert response.json() == {
        "departments": [{"id": 7, "name": "Франчайзи", "uuid": "00000000-0000-0000-0000-000000000007"}],
        "is_end_of_list_reached": True,
    }
    assert d.id == 7
