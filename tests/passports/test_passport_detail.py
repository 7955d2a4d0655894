"""GET/POST/PATCH/DELETE of one passport and the types list."""

from __future__ import annotations

import datetime as dt

import pytest

from passports.models import ProductionStage, Protocol, Unit, UnitStatus
from tests.passports.conftest import passport_body
from tests.passports.factories import ProtocolFactory, StageFactory, UnitFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = {"status_code": 404, "detail": "Not found", "passport": None}


def stage_body(stage, **overrides) -> dict:
    body = {
        "id": stage.stage_id,
        "name": stage.name,
        "employee_name": stage.employee_name,
        "parent_unit_uuid": stage.parent_unit_id,
        "session_start_time": "20-07-2023 10:00:00",
        "session_end_time": "20-07-2023 11:30:00",
        "ended_prematurely": False,
        "video_hashes": ["QmVideo"],
        "additional_info": {},
        "is_in_db": True,
        "creation_time": "2023-07-20T10:00:00+03:00",
        "schema_stage_id": "st1",
        "completed": True,
        "number": stage.number,
        "unit_name": None,
        "parent_unit_internal_id": None,
    }
    body.update(overrides)
    return body


def test_get_passport_with_biography_ordered_by_number(viewer_client, schemas):
    unit = UnitFactory(schema=schemas["board"], serial_number="SN-1")
    second = StageFactory(parent_unit=unit, number=1, name="Testing")
    first = StageFactory(parent_unit=unit, number=0, name="Assembly", employee_name="abc")
    StageFactory(parent_unit=UnitFactory(schema=schemas["board"]))  # another unit's stage
    response = viewer_client.get(f"/api/v1/passports/{unit.internal_id}")
    assert response.status_code == 200
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "passport": passport_body(unit, biography=[stage_body(first, employee_name="abc"), stage_body(second)]),
    }


def test_get_passport_without_stages_has_empty_biography(viewer_client, schemas):
    unit = UnitFactory(schema=schemas["sensor"])
    response = viewer_client.get(f"/api/v1/passports/{unit.internal_id}/")
    assert response.json()["passport"]["biography"] == []


def test_missing_passport_is_404_with_original_body(viewer_client, schemas):
    response = viewer_client.get("/api/v1/passports/nonexistent")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_create_passport(demo_client, schemas):
    body = {
        "schema_id": "board",
        "internal_id": "123456",
        "uuid": "a" * 32,
        "serial_number": "SN-9",
        "creation_time": "2023-07-20T10:00:00+03:00",
        "status": "built",
        "components_internal_ids": ["1", "2"],
        "model": "ignored? no: stored",
        "type": "computed, ignored",
        "biography": None,
    }
    response = demo_client.post("/api/v1/passports/", body, format="json")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Created new unit"}
    unit = Unit.objects.get(internal_id="123456")
    assert (unit.schema_id, unit.uuid, unit.serial_number, unit.status) == ("board", "a" * 32, "SN-9", "built")
    assert unit.creation_time == dt.datetime(2023, 7, 20, 7, 0, tzinfo=dt.UTC)
    assert unit.components_internal_ids == ["1", "2"]
    assert unit.model == "ignored? no: stored"


def test_create_accepts_the_seed_date_key_and_slashless_path(demo_client, schemas):
    response = demo_client.post(
        "/api/v1/passports", {"schema_id": "sensor", "internal_id": "x1", "date": "2023-01-02T03:04:05Z"}, format="json"
    )
    assert response.status_code == 200
    unit = Unit.objects.get(internal_id="x1")
    assert unit.creation_time == dt.datetime(2023, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert len(unit.uuid) == 32 and unit.status is None


@pytest.mark.parametrize(
    ("body", "loc", "type_"),
    [
        ({"schema_id": "board"}, ["body", "internal_id"], "value_error.missing"),
        ({"internal_id": "1"}, ["body", "schema_id"], "value_error.missing"),
        ({"schema_id": "board", "internal_id": "4600000000009"}, ["body", "internal_id"], "value_error"),
        ({"schema_id": "board", "internal_id": "1", "status": "gone"}, ["body", "status"], "type_error.enum"),
        ({"schema_id": "board", "internal_id": "x" * 65}, ["body", "internal_id"], "value_error.any_str.max_length"),
        ({"schema_id": "board", "internal_id": "1", "creation_time": "soon"}, ["body", "creation_time"], "value_error"),
    ],
)
def test_create_rejects_bad_bodies_with_422(demo_client, schemas, body, loc, type_):
    response = demo_client.post("/api/v1/passports/", body, format="json")
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert (item["loc"], item["type"]) == (loc, type_)
    assert not Unit.objects.exists()


def test_create_rejects_a_non_object_body(demo_client, schemas):
    response = demo_client.post("/api/v1/passports/", [1, 2], format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    malformed = demo_client.post("/api/v1/passports/", "{oops", content_type="application/json")
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["loc"] == ["body"]


def test_duplicate_internal_id_is_409(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    response = demo_client.post(
        "/api/v1/passports/", {"schema_id": "board", "internal_id": unit.internal_id}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"detail": f"Unit with internal_id {unit.internal_id} already exists"}
    assert Unit.objects.count() == 1


def test_patch_updates_only_sent_editable_fields(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"], serial_number="old", passport_short_url="https://url.today/x")
    response = demo_client.patch(
        f"/api/v1/passports/{unit.internal_id}",
        # issue 11: a changed "status" is no longer ignored but a 422 (tests/passports/test_qc_flow.py)
        {"serial_number": "new", "schema_id": "sensor", "status": "built", "internal_id": "zzz", "uuid": "u"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Successfully patched unit"}
    unit.refresh_from_db()
    assert (unit.serial_number, unit.schema_id, unit.passport_short_url) == ("new", "sensor", "https://url.today/x")
    assert unit.status == UnitStatus.BUILT  # status only changes through the transitions
    assert unit.internal_id != "zzz"


def test_patch_and_delete_of_missing_passport_are_404(demo_client, schemas):
    assert demo_client.patch("/api/v1/passports/none", {}, format="json").json() == NOT_FOUND
    response = demo_client.delete("/api/v1/passports/none/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_delete_removes_unit_with_stages_and_protocol(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    StageFactory(parent_unit=unit)
    ProtocolFactory(associated_unit=unit)
    response = demo_client.delete(f"/api/v1/passports/{unit.internal_id}")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Deleted unit"}
    assert not Unit.objects.exists() and not ProductionStage.objects.exists() and not Protocol.objects.exists()


def test_viewer_cannot_write(viewer_client, schemas):
    response = viewer_client.post("/api/v1/passports/", {"schema_id": "board", "internal_id": "1"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "insufficient permissions for current user"}
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Unit.objects.exists()


def test_anonymous_and_bad_tokens_are_401(api_client, schemas):
    response = api_client.get("/api/v1/passports/")
    assert (response.status_code, response.json()) == (401, {"detail": "Not authenticated"})
    assert response["WWW-Authenticate"] == "Bearer"
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    response = api_client.get("/api/v1/passports/")
    assert (response.status_code, response.json()) == (401, {"detail": "Could not validate credentials"})


@pytest.mark.parametrize("size", [3, 30])
def test_detail_constant_queries_whatever_the_biography(viewer_client, schemas, django_assert_max_num_queries, size):
    unit = UnitFactory(schema=schemas["board"])
    for number in range(size):
        StageFactory(parent_unit=unit, number=number)
    with django_assert_max_num_queries(3):  # auth, unit with schemas, stages
        response = viewer_client.get(f"/api/v1/passports/{unit.internal_id}")
    assert [stage["number"] for stage in response.json()["passport"]["biography"]] == list(range(size))
