"""/api/v1/schemas and the deprecated /api/v1/stages."""

from __future__ import annotations

import datetime as dt

import pytest

from passports.models import ProductionSchema, ProductionStage
from tests.passports.factories import EmployeeFactory, SchemaFactory, StageFactory, UnitFactory

pytestmark = pytest.mark.django_db


STAGE_KEYS = ("name", "type", "description", "equipment", "workplace", "duration_seconds", "stage_id")


def schema_body(schema) -> dict:
    """Every ProductionSchemaStage key is present on output, null when unset (pydantic's way)."""
    stages = schema.production_stages
    return {
        "schema_id": schema.schema_id,
        "unit_name": schema.unit_name,
        "production_stages": None if stages is None else [{k: s.get(k) for k in STAGE_KEYS} for s in stages],
        "required_components_schema_ids": schema.required_components_schema_ids,
        "parent_schema_id": schema.parent_schema_id,
        "schema_type": schema.schema_type,
    }


STAGE_SPEC = {
    "name": "Assembly",
    "type": "manual",
    "description": "Put it together",
    "equipment": ["screwdriver"],
    "workplace": "WS-1",
    "duration_seconds": 600,
    "stage_id": "st1",
}


def test_schema_list_and_get(viewer_client, schemas):
    response = viewer_client.get("/api/v1/schemas?items=2&page=1")
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 4,
        "data": [schema_body(schemas["composite"]), schema_body(schemas["board"])],
    }
    assert viewer_client.get("/api/v1/schemas/board/").json() == {
        "status_code": 200,
        "detail": "Success",
        "prod_schema": schema_body(schemas["board"]) | {"parent_schema_id": "composite"},
    }
    missing = viewer_client.get("/api/v1/schemas/none")
    assert (missing.status_code, missing.json()) == (
        404,
        {"status_code": 404, "detail": "Not found: No schema for unit none", "prod_schema": None},
    )


@pytest.mark.parametrize("size", [3, 30])
def test_schema_list_constant_queries(viewer_client, django_assert_max_num_queries, size):
    SchemaFactory.create_batch(size)
    with django_assert_max_num_queries(3):
        assert len(viewer_client.get("/api/v1/schemas/?items=100").json()["data"]) == size


def test_create_schema_keeps_or_generates_its_id(demo_client, schemas):
    body = {
        "schema_id": "new_one",
        "unit_name": "New unit",
        "schema_type": "Boards",
        "production_stages": [STAGE_SPEC],
        "required_components_schema_ids": ["board"],
        "parent_schema_id": "composite",
    }
    response = demo_client.post("/api/v1/schemas/", body, format="json")
    assert response.json() == {"status_code": 200, "detail": "Created new schema with id new_one"}
    created = ProductionSchema.objects.get(schema_id="new_one")
    assert schema_body(created) == body
    generated = demo_client.post("/api/v1/schemas", {"unit_name": "Other", "schema_type": "X"}, format="json")
    new_id = generated.json()["detail"].removeprefix("Created new schema with id ")
    assert len(new_id) == 32 and ProductionSchema.objects.filter(schema_id=new_id).exists()
    duplicate = demo_client.post("/api/v1/schemas", body, format="json")
    assert (duplicate.status_code, duplicate.json()) == (409, {"detail": "Schema with id new_one already exists"})
    bad_parent = demo_client.post(
        "/api/v1/schemas", {**body, "schema_id": "z", "parent_schema_id": "nope"}, format="json"
    )
    # An unknown reference in a well-formed body is a 404 (issue 13 item 4, Decision 25).
    assert (bad_parent.status_code, bad_parent.json()) == (404, {"detail": "No schema with id nope"})
    bad_stage = demo_client.post(
        "/api/v1/schemas", {"unit_name": "u", "schema_type": "t", "production_stages": [{"name": "x"}]}, format="json"
    )
    assert bad_stage.json()["detail"][0]["loc"] == ["body", "production_stages", 0, "stage_id"]
    assert ProductionSchema.objects.count() == 6


def test_patch_schema_keeps_id_parent_and_components(demo_client, schemas):
    response = demo_client.patch(
        "/api/v1/schemas/board",
        {"unit_name": "Renamed", "schema_id": "hijack", "parent_schema_id": None, "schema_type": "Cards"},
        format="json",
    )
    assert response.json() == {"status_code": 200, "detail": "Patched schema"}
    board = ProductionSchema.objects.get(schema_id="board")
    assert (board.unit_name, board.schema_type, board.parent_schema_id) == ("Renamed", "Cards", "composite")
    assert demo_client.patch("/api/v1/schemas/none", {}, format="json").status_code == 404


def test_delete_schema_refuses_one_in_use(demo_client, schemas):
    UnitFactory(schema=schemas["board"])
    in_use = demo_client.delete("/api/v1/schemas/board")
    assert (in_use.status_code, in_use.json()) == (
        409,
        {"detail": "Schema board is used by units and can't be deleted"},
    )
    assert demo_client.delete("/api/v1/schemas/sensor").json() == {"status_code": 200, "detail": "Deleted schema"}
    assert not ProductionSchema.objects.filter(schema_id="sensor").exists()
    assert ProductionSchema.objects.filter(schema_id="board").exists()


# --- stages ---------------------------------------------------------------------------------


def test_stage_list_real_stages_with_decoded_employees(viewer_client, schemas):
    employee = EmployeeFactory(name="Ivan")
    unit = UnitFactory(schema=schemas["board"])
    first = StageFactory(parent_unit=unit, employee_name=employee.passport_code)
    StageFactory(parent_unit=unit, number=1, employee_name="unknown-code")
    plain = viewer_client.get("/api/v1/stages").json()
    assert plain["count"] == 2 and plain["data"][0]["employee_name"] == employee.passport_code
    assert plain["data"][0]["id"] == first.stage_id
    decoded = viewer_client.get("/api/v1/stages/?decode_employees=true").json()
    assert [item["employee_name"] for item in decoded["data"]] == ["Ivan", "unknown-code"]


@pytest.mark.parametrize("size", [3, 30])
def test_stage_list_constant_queries(viewer_client, schemas, django_assert_max_num_queries, size):
    unit = UnitFactory(schema=schemas["board"])
    for number in range(size):
        StageFactory(parent_unit=unit, number=number, employee_name=f"code{number}")
    with django_assert_max_num_queries(4):
        response = viewer_client.get("/api/v1/stages?items=100&decode_employees=true")
    assert len(response.json()["data"]) == size


def test_stage_create_get_patch_delete(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    body = {
        "name": "Extra check",
        "parent_unit_uuid": unit.uuid,
        "ended_prematurely": False,
        "creation_time": "2023-07-20T10:00:00+03:00",
        "session_start_time": "20-07-2023 10:00:00",
        "session_end_time": None,
        "id": "f" * 32,
        "number": 5,
        "additional_info": {"note": "x"},
    }
    created = demo_client.post("/api/v1/stages/", body, format="json")
    assert created.json() == {"status_code": 200, "detail": "Created new production stage"}
    stage = ProductionStage.objects.get(stage_id="f" * 32)
    assert stage.session_start_time == dt.datetime(2023, 7, 20, 7, 0, tzinfo=dt.UTC)
    assert demo_client.get(f"/api/v1/stages/{'f' * 32}").json() == {
        "status_code": 200,
        "detail": "Success",
        "stage": {
            "id": "f" * 32,
            "name": "Extra check",
            "employee_name": None,
            "parent_unit_uuid": unit.uuid,
            "session_start_time": "20-07-2023 10:00:00",
            "session_end_time": None,
            "ended_prematurely": False,
            "video_hashes": [],
            "additional_info": {"note": "x"},
            "is_in_db": None,
            "creation_time": "2023-07-20T10:00:00+03:00",
            "schema_stage_id": None,
            "completed": None,
            "number": 5,
            "unit_name": None,
            "parent_unit_internal_id": None,
        },
    }
    patched = demo_client.patch(
        f"/api/v1/stages/{'f' * 32}/",
        {"completed": True, "session_start_time": "01-01-2020 00:00:00", "parent_unit_uuid": "x", "name": "Renamed"},
        format="json",
    )
    assert patched.json() == {"status_code": 200, "detail": "Successfully patched stage"}
    stage.refresh_from_db()
    assert (stage.completed, stage.name, stage.parent_unit_id) == (True, "Renamed", unit.uuid)
    assert stage.session_start_time == dt.datetime(2023, 7, 20, 7, 0, tzinfo=dt.UTC)
    deleted = demo_client.delete(f"/api/v1/stages/{'f' * 32}")
    assert deleted.json() == {"status_code": 200, "detail": f"Deleted stage with id {'f' * 32}"}
    missing = demo_client.get(f"/api/v1/stages/{'f' * 32}")
    assert (missing.status_code, missing.json()) == (404, {"status_code": 404, "detail": "Not found", "stage": None})


def test_stage_create_validation(demo_client, schemas):
    response = demo_client.post(
        "/api/v1/stages",
        {"name": "x", "parent_unit_uuid": "nope", "ended_prematurely": False, "session_start_time": "yesterday"},
        format="json",
    )
    assert response.status_code == 422
    # The unknown parent is checked once the body is well formed (a 404 then: test_unknown_references).
    assert [item["loc"] for item in response.json()["detail"]] == [
        ["body", "creation_time"],
        ["body", "session_start_time"],
    ]
    assert not ProductionStage.objects.exists()


def test_a_schema_may_name_itself_as_parent_like_the_originals_tests(demo_client):
    body = {
        "schema_id": "123456",
        "unit_name": "testing",
        "production_stages": [{"name": "string", "stage_id": "1"}],
        "required_components_schema_ids": ["string"],
        "parent_schema_id": "123456",
        "schema_type": "testing1",
    }
    assert demo_client.post("/api/v1/schemas/", body, format="json").status_code == 200
    schema = ProductionSchema.objects.get(schema_id="123456")
    assert schema.parent_schema_id == "123456"
    assert demo_client.delete("/api/v1/schemas/123456").json() == {"status_code": 200, "detail": "Deleted schema"}
    assert not ProductionSchema.objects.exists()
