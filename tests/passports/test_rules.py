"""The two Feecc rules are separate permissions: write-only and approve-only users."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from passports.models import Unit, UnitStatus
from tests.conftest import bearer_client
from tests.factories import UserFactory
from tests.passports.factories import StageFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_groups_are_created_with_their_permissions():
    perms = {
        group.name: sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())
        for group in Group.objects.filter(name__startswith="feecc_")
    }
    assert perms == {
        "feecc_approve": ["passports.feecc_approve"],
        "feecc_write": ["passports.feecc_write"],
        "feecc_manage_users": ["passports.feecc_manage_users"],  # issue 11
    }


@pytest.fixture
def writer(company):
    return bearer_client(UserFactory(username="writer", company=company, groups=["feecc_write"]))


@pytest.fixture
def approver(company):
    return bearer_client(UserFactory(username="approver", company=company, groups=["feecc_approve"]))


def test_write_only_user_writes_but_cannot_do_qc(writer, schemas):
    unit = UnitFactory(schema=schemas["board"], status=UnitStatus.BUILT)
    stage = StageFactory(parent_unit=unit)
    assert writer.get("/api/v1/users/me").json()["user"]["rule_set"] == ["read", "write"]
    assert (
        writer.post("/api/v1/passports/", {"schema_id": "board", "internal_id": "w1"}, format="json").status_code == 200
    )
    assert writer.post(f"/api/v1/passports/{unit.internal_id}/serial?serial_number=1").status_code == 403
    assert (
        writer.post(f"/api/v1/passports/{unit.internal_id}/revision", [stage.stage_id], format="json").status_code
        == 403
    )
    assert writer.post(f"/api/v1/tcd/protocols/{unit.internal_id}/approve").status_code == 403
    unit.refresh_from_db()
    assert unit.status == UnitStatus.BUILT and unit.serial_number is None


def test_approve_only_user_does_qc_but_cannot_write(approver, schemas):
    unit = UnitFactory(schema=schemas["board"], status=UnitStatus.BUILT)
    stage = StageFactory(parent_unit=unit)
    # index 2 is missing for such a user, as on the original (recommendation 24)
    assert approver.get("/api/v1/users/me").json()["user"]["rule_set"] == ["read", "approve"]
    assert (
        approver.post("/api/v1/passports/", {"schema_id": "board", "internal_id": "a1"}, format="json").status_code
        == 403
    )
    assert approver.delete(f"/api/v1/passports/{unit.internal_id}").status_code == 403
    response = approver.post(f"/api/v1/passports/{unit.internal_id}/revision", [stage.stage_id], format="json")
    assert response.status_code == 200
    assert not Unit.objects.filter(internal_id="a1").exists()
    unit.refresh_from_db()
    assert unit.status == UnitStatus.REVISION
