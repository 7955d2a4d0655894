"""Issue 13 item 4: what the schema calls invalid is refused, as the original (FastAPI) refused it.

schemathesis' "invalid request accepted" found ``page=`` (DRF reads an empty optional form
value as absent) and ``production_stages: [null, null]`` (a ``many=True`` child inherited
``allow_null``) accepted.
"""

from __future__ import annotations

import pytest

from passports.models import ProductionSchema

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/stages/", "/api/v1/passports", "/api/v1/employees", "/api/v1/schemas", "/api/v1/tcd/protocols/"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("name", ["page", "items"])
def test_an_empty_page_or_items_is_not_a_number(demo_client, path, name):
    response = demo_client.get(f"{path}?{name}=")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["query", name], "msg": "A valid integer is required.", "type": "value_error"}]
    }


@pytest.mark.parametrize("path", LISTS)
def test_absent_page_and_items_keep_their_defaults(demo_client, path):
    response = demo_client.get(path)
    assert response.status_code == 200
    assert len(response.json()["data"]) <= 20


def test_schema_stages_may_be_null_but_not_hold_nulls(demo_client):
    before = ProductionSchema.objects.count()
    body = {"unit_name": "X", "schema_type": "T", "production_stages": [None, None]}
    response = demo_client.post("/api/v1/schemas/", body, format="json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "production_stages", index],
                "msg": "none is not an allowed value",
                "type": "type_error.none.not_allowed",
            }
            for index in (0, 1)
        ]
    }
    assert ProductionSchema.objects.count() == before
    response = demo_client.post(
        "/api/v1/schemas/", {"unit_name": "X", "schema_type": "T", "production_stages": None}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert ProductionSchema.objects.count() == before + 1


BLANK = [{"loc": None, "msg": "This field may not be blank.", "type": "value_error"}]


def _blank_at(*loc) -> dict:
    return {"detail": [{**BLANK[0], "loc": ["body", *loc]}]}


@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_a_blank_stage_id_is_refused_as_blank(demo_client, schemas, value):
    from tests.passports.factories import UnitFactory

    unit = UnitFactory(schema=schemas["board"])
    body = {
        "name": "Extra check",
        "parent_unit_uuid": unit.uuid,
        "ended_prematurely": False,
        "creation_time": "2023-07-20T10:00:00+03:00",
        "id": value,
    }
    response = demo_client.post("/api/v1/stages", body, format="json")
    assert (response.status_code, response.json()) == (422, _blank_at("id"))


@pytest.mark.parametrize("field", ["internal_id", "uuid"])
@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_a_blank_passport_id_is_refused_as_blank(demo_client, schemas, field, value):
    body = {"schema_id": "board", "internal_id": "unit-blank-test", field: value}
    response = demo_client.post("/api/v1/passports", body, format="json")
    assert (response.status_code, response.json()) == (422, _blank_at(field))
