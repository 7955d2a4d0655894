"""Races on one unit (issue 8, item 3): the unit row lock orders the transitions, no 500."""

from __future__ import annotations

import pytest

from passports.models import ProductionStage, Protocol, ProtocolStatus, Unit, UnitStatus
from tests.concurrency import run_parallel, statuses
from tests.conftest import bearer_client
from tests.passports.factories import ProtocolFactory, StageFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6


def test_revision_racing_approve_ends_finalized_with_the_revision_all_or_nothing(demo_user, schemas):
    for _ in range(ROUNDS):
        unit = UnitFactory(schema=schemas["board"], status=UnitStatus.BUILT)
        stages = [StageFactory(parent_unit=unit, number=n) for n in range(2)]
        ProtocolFactory(associated_unit=unit, status=ProtocolStatus.SECOND)
        revise, approve = bearer_client(demo_user), bearer_client(demo_user)
        revised, approved = run_parallel(
            [
                lambda c=revise, u=unit, ids=[s.stage_id for s in stages]: c.post(
                    f"/api/v1/passports/{u.internal_id}/revision", ids, format="json"
                ),
                lambda c=approve, u=unit: c.post(f"/api/v1/tcd/protocols/{u.internal_id}/approve", {}, format="json"),
            ]
        )
        assert (approved.status_code, approved.json()) == (200, {"status_code": 200, "detail": "Success"})
        assert Unit.objects.get(pk=unit.pk).status == UnitStatus.FINALIZED
        assert Protocol.objects.get(associated_unit=unit).status == ProtocolStatus.THIRD
        copies = ProductionStage.objects.filter(parent_unit=unit).count() - len(stages)
        if revised.status_code == 200:  # it went first: both copies, then approve finalized
            assert copies == len(stages)
        else:  # approve went first: the revision is refused and writes nothing
            assert (revised.status_code, revised.json()) == (
                409,
                {"detail": "Can't send unit for revision. Current status finalized"},
            )
            assert copies == 0


def test_creating_one_passport_twice_at_once_is_one_200_and_409s(demo_user, schemas):
    for n in range(ROUNDS):
        body = {"schema_id": "board", "internal_id": f"99000{n}", "uuid": f"{n:032x}", "status": "built"}
        clients = [bearer_client(demo_user) for _ in range(4)]
        responses = run_parallel([lambda c=c, b=body: c.post("/api/v1/passports/", b, format="json") for c in clients])
        assert sorted(statuses(responses)) == [200, 409, 409, 409], [r.content for r in responses]
        # A loser sees the winner's row at one of its checks (internal_id, then uuid) or hits
        # the unique index: a 409 in the Feecc shape either way.
        conflicts = {
            f"Unit with internal_id 99000{n} already exists",
            f"Unit with uuid {n:032x} already exists",
            "Unit already exists",
        }
        assert all(r.json() == {"detail": r.json()["detail"]} for r in responses if r.status_code == 409)
        assert {r.json()["detail"] for r in responses if r.status_code == 409} <= conflicts
        assert Unit.objects.filter(internal_id=f"99000{n}").count() == 1


def test_one_employee_created_twice_at_once_is_one_200_and_the_documented_409s(demo_user):
    for n in range(ROUNDS):
        body = {"rfid_card_id": f"77{n}", "name": "Ivan Petrov", "position": "Assembler"}
        clients = [bearer_client(demo_user) for _ in range(4)]
        responses = run_parallel([lambda c=c, b=body: c.post("/api/v1/employees/", b, format="json") for c in clients])
        assert sorted(statuses(responses)) == [200, 409, 409, 409], [r.content for r in responses]
        for response in responses:
            if response.status_code == 409:
                assert response.json() == {"detail": f"Employee with card id 77{n} already exists"}


def test_one_feecc_user_created_twice_at_once_is_one_200_and_the_documented_409s(demo_user):
    for n in range(ROUNDS):
        body = {"username": f"qc_user_{n}", "password": "long-enough-pass-1", "rule_set": ["read"]}
        clients = [bearer_client(demo_user) for _ in range(4)]
        responses = run_parallel([lambda c=c, b=body: c.post("/api/v1/users/", b, format="json") for c in clients])
        assert sorted(statuses(responses)) == [200, 409, 409, 409], [r.content for r in responses]
        for response in responses:
            if response.status_code == 409:
                assert response.json() == {"detail": f"User qc_user_{n} already exists"}
