"""Serial, revision, revision cancel: the unit state changes (passports.md §4.2–4.4)."""

from __future__ import annotations

import pytest

from passports.models import EmployeeLink, ProductionStage, Unit, UnitStatus
from tests.passports.factories import EmployeeFactory, StageFactory, UnitFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = {"status_code": 404, "detail": "Not found", "passport": None}


@pytest.fixture
def built(schemas):
    unit = UnitFactory(schema=schemas["board"], status=UnitStatus.BUILT)
    stages = [
        StageFactory(parent_unit=unit, number=0, name="Assembly", schema_stage_id="s0", employee_name="code0"),
        StageFactory(parent_unit=unit, number=1, name="Testing", schema_stage_id="s1"),
    ]
    return unit, stages


# --- serial ---------------------------------------------------------------------------------


def test_serial_from_query_sets_only_the_serial(demo_client, built):
    unit, _ = built
    response = demo_client.post(f"/api/v1/passports/{unit.internal_id}/serial?serial_number=SN 1%2F2")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Success"}
    unit.refresh_from_db()
    assert (unit.serial_number, unit.status) == ("SN 1/2", UnitStatus.BUILT)


def test_serial_accepts_empty_and_json_body(demo_client, built):
    unit, _ = built
    assert demo_client.post(f"/api/v1/passports/{unit.internal_id}/serial/?serial_number=").status_code == 200
    unit.refresh_from_db()
    assert unit.serial_number == ""
    response = demo_client.post(f"/api/v1/passports/{unit.internal_id}/serial", {"serial_number": "J"}, format="json")
    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.serial_number == "J"


def test_serial_errors(demo_client, viewer_client, built):
    unit, _ = built
    missing = demo_client.post(f"/api/v1/passports/{unit.internal_id}/serial")
    assert missing.status_code == 422
    assert missing.json() == {
        "detail": [{"loc": ["body", "serial_number"], "msg": "field required", "type": "value_error.missing"}]
    }
    unknown = demo_client.post("/api/v1/passports/nope/serial?serial_number=1")
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert viewer_client.post(f"/api/v1/passports/{unit.internal_id}/serial?serial_number=1").status_code == 403


# --- revision -------------------------------------------------------------------------------


def test_revision_copies_stages_in_request_order(demo_client, built):
    unit, (first, second) = built
    response = demo_client.post(
        f"/api/v1/passports/{unit.internal_id}/revision", [second.stage_id, first.stage_id], format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Successfully sent unit for revision"}
    unit.refresh_from_db()
    assert unit.status == UnitStatus.REVISION
    copies = list(ProductionStage.objects.filter(parent_unit=unit, number__gte=2).order_by("number"))
    assert [(c.number, c.name, c.schema_stage_id) for c in copies] == [(2, "Testing", "s1"), (3, "Assembly", "s0")]
    for copy in copies:
        assert copy.stage_id not in (first.stage_id, second.stage_id) and len(copy.stage_id) == 32
        assert (copy.ended_prematurely, copy.is_in_db, copy.completed) == (False, True, False)
        assert (copy.session_start_time, copy.session_end_time, copy.employee_name) == (None, None, None)
        assert copy.video_hashes == [] and copy.additional_info == {"reworked": True}
    first.refresh_from_db()
    assert first.completed is True and first.additional_info == {}  # originals untouched
    biography = demo_client.get(f"/api/v1/passports/{unit.internal_id}").json()["passport"]["biography"]
    assert [stage["number"] for stage in biography] == [0, 1, 2, 3]
    assert biography[2]["session_start_time"] is None


def test_revision_accepts_stages_ids_object(demo_client, built):
    unit, (first, _) = built
    response = demo_client.post(
        f"/api/v1/passports/{unit.internal_id}/revision/", {"stages_ids": [first.stage_id]}, format="json"
    )
    assert response.status_code == 200
    assert ProductionStage.objects.filter(parent_unit=unit).count() == 3


def test_revision_of_a_unit_that_is_not_built_is_409(demo_client, built):
    unit, (first, _) = built
    Unit.objects.filter(pk=unit.pk).update(status=UnitStatus.PRODUCTION)
    response = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision", [first.stage_id], format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Can't send unit for revision. Current status production"}
    assert ProductionStage.objects.count() == 2


def test_failed_revision_writes_nothing(demo_client, built):
    unit, (first, _) = built
    response = demo_client.post(
        f"/api/v1/passports/{unit.internal_id}/revision", [first.stage_id, "nosuch"], format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Can't send unit for revision. Stage with id nosuch not found"}
    unit.refresh_from_db()
    assert unit.status == UnitStatus.BUILT
    assert ProductionStage.objects.count() == 2


def test_revision_with_another_units_stage_is_400(demo_client, built, schemas):
    unit, _ = built
    foreign = StageFactory(parent_unit=UnitFactory(schema=schemas["board"]))
    response = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision", [foreign.stage_id], format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Can't send unit for revision. Stage {foreign.stage_id} not associated with passport {unit.internal_id}"
    }
    assert ProductionStage.objects.count() == 3


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ([], ["body", "stages_ids"]),
        ({"x": 1}, ["body", "stages_ids"]),
        ("just a string", ["body"]),
        (None, ["body", "stages_ids"]),
    ],
)
def test_revision_bad_bodies_are_422(demo_client, built, body, loc):
    unit, _ = built
    response = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision", body, format="json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert ProductionStage.objects.count() == 2


def test_revision_duplicate_ids_and_unknown_unit(demo_client, built):
    unit, (first, _) = built
    dup = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision", [first.stage_id] * 2, format="json")
    assert dup.status_code == 422
    assert dup.json() == {
        "detail": [{"loc": ["body", "stages_ids"], "msg": "Stage ids must be unique.", "type": "value_error"}]
    }
    missing = demo_client.post("/api/v1/passports/none/revision", [first.stage_id], format="json")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_revision_ids_are_compared_as_sent_and_a_blank_one_is_refused(demo_client, built):
    unit, (first, _) = built
    # Distinct strings (the schema's uniqueItems): not the duplicates 422 but an unknown stage.
    spaced = demo_client.post(
        f"/api/v1/passports/{unit.internal_id}/revision", [first.stage_id, f"\n{first.stage_id}"], format="json"
    )
    assert (spaced.status_code, spaced.json()) == (
        404,
        {"detail": f"Can't send unit for revision. Stage with id \n{first.stage_id} not found"},
    )
    blank = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision", [first.stage_id, " \t"], format="json")
    assert blank.status_code == 422
    assert blank.json() == {
        "detail": [{"loc": ["body", "stages_ids", 1], "msg": "This field may not be blank.", "type": "value_error"}]
    }
    assert ProductionStage.objects.count() == 2


# --- cancel ---------------------------------------------------------------------------------


def _send(client, unit, *stages):
    response = client.post(
        f"/api/v1/passports/{unit.internal_id}/revision", [s.stage_id for s in stages], format="json"
    )
    assert response.status_code == 200
    return list(ProductionStage.objects.filter(parent_unit=unit, completed=False).order_by("number"))


def test_cancel_the_only_reworked_stage_returns_unit_to_built(demo_client, demo_user, built):
    unit, (first, _) = built
    employee = EmployeeFactory(name="Ivan", position="QC")
    EmployeeLink.objects.create(user=demo_user, employee=employee)
    (copy,) = _send(demo_client, unit, first)
    response = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision/cancel?stage_id={copy.stage_id}")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": f"Marked stage {copy.stage_id} as canceled"}
    unit.refresh_from_db()
    copy.refresh_from_db()
    assert unit.status == UnitStatus.BUILT
    info = copy.additional_info
    assert info["reworked"] is True and info["canceled"] is True and info["canceled_date"]
    assert info["canceled_by"] == {
        "rfid_card_id": employee.rfid_card_id,
        "name": "Ivan",
        "position": "QC",
        "passport_code": employee.passport_code,
    }


def test_cancel_counts_cancelled_stages_as_done(demo_client, built):
    unit, stages = built
    copy_a, copy_b = _send(demo_client, unit, *stages)
    demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision/cancel?stage_id={copy_a.stage_id}")
    unit.refresh_from_db()
    assert unit.status == UnitStatus.REVISION  # one reworked stage is still pending
    demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision/cancel?stage_id={copy_b.stage_id}")
    unit.refresh_from_db()
    copy_b.refresh_from_db()
    assert unit.status == UnitStatus.BUILT  # the original kept "revision" here: fixed
    assert copy_b.additional_info["canceled_by"] == "Unknown"


def test_cancel_refusals(demo_client, built, schemas):
    unit, (first, _) = built
    completed = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision/cancel?stage_id={first.stage_id}")
    assert (completed.status_code, completed.json()) == (409, {"detail": "Can't cancel revision"})
    other = StageFactory(parent_unit=UnitFactory(schema=schemas["board"]), completed=False)
    foreign = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision/cancel?stage_id={other.stage_id}")
    assert (foreign.status_code, foreign.json()) == (404, {"detail": f"Stage {other.stage_id} not found"})
    no_unit = demo_client.post(f"/api/v1/passports/none/revision/cancel?stage_id={first.stage_id}")
    assert (no_unit.status_code, no_unit.json()) == (404, NOT_FOUND)
    no_param = demo_client.post(f"/api/v1/passports/{unit.internal_id}/revision/cancel")
    assert no_param.status_code == 422
    assert no_param.json() == {
        "detail": [{"loc": ["query", "stage_id"], "msg": "field required", "type": "value_error.missing"}]
    }
    first.refresh_from_db()
    assert first.additional_info == {}
