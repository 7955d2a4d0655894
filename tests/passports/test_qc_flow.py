"""Issue 11, item 3: the QC flow cannot be skipped. A serial number needs ``approve`` on every
path; ``status``, ``txn_hash``, ``passport_ipfs_cid`` and ``passport_short_url`` change only
through the transitions (revision, cancel, approve)."""

from __future__ import annotations

import pytest

from passports.models import Unit, UnitStatus
from tests.conftest import bearer_client
from tests.passports.factories import UnitFactory

pytestmark = pytest.mark.django_db

SERIAL_403 = {"detail": "insufficient permissions for current user: serial_number needs the approve rule"}
TRANSITION_ONLY = "Set only by the transitions (revision, cancel, approve), never by a create or a patch."


def unit_row(internal_id: str) -> tuple:
    unit = Unit.objects.get(internal_id=internal_id)
    return (
        unit.serial_number,
        unit.status,
        unit.txn_hash,
        unit.passport_ipfs_cid,
        unit.passport_short_url,
        unit.components_internal_ids,
    )


def error(*fields: str) -> dict:
    return {"detail": [{"loc": ["body", name], "msg": TRANSITION_ONLY, "type": "value_error"} for name in fields]}


@pytest.fixture
def writer(writer_user):
    return bearer_client(writer_user)


@pytest.fixture
def finalized(schemas):
    return UnitFactory(
        schema=schemas["board"],
        status=UnitStatus.FINALIZED,
        serial_number="SN-QC-1",
        txn_hash="0xapproved",
        passport_ipfs_cid="QmApproved",
        passport_short_url="https://url.today/approved",
    )


def test_serial_number_needs_approve_on_every_path(writer, demo_client, schemas, finalized):
    before = unit_row(finalized.internal_id)
    patched = writer.patch(f"/api/v1/passports/{finalized.internal_id}", {"serial_number": "FAKE-1"}, format="json")
    assert (patched.status_code, patched.json()) == (403, SERIAL_403)
    serial = writer.post(f"/api/v1/passports/{finalized.internal_id}/serial?serial_number=FAKE-1")
    assert (serial.status_code, serial.json()) == (403, {"detail": "insufficient permissions for current user"})
    assert unit_row(finalized.internal_id) == before
    created = writer.post(
        "/api/v1/passports", {"schema_id": "board", "internal_id": "777001", "serial_number": "FAKE-2"}, format="json"
    )
    assert (created.status_code, created.json()) == (403, SERIAL_403)
    assert not Unit.objects.filter(internal_id="777001").exists()
    # Without a serial number (or with an empty one) the write user creates units as before.
    created = writer.post(
        "/api/v1/passports", {"schema_id": "board", "internal_id": "777002", "serial_number": ""}, format="json"
    )
    assert created.json() == {"status_code": 200, "detail": "Created new unit"}
    # The QC user (approve) sets it through PATCH as through /serial.
    response = demo_client.patch(f"/api/v1/passports/{finalized.internal_id}", {"serial_number": "SN-2"}, format="json")
    assert response.json() == {"status_code": 200, "detail": "Successfully patched unit"}
    assert Unit.objects.get(pk=finalized.pk).serial_number == "SN-2"


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({"status": "finalized"}, ["status"]),
        ({"status": "revision"}, ["status"]),
        ({"status": "approved"}, ["status"]),
        ({"txn_hash": "0xforged"}, ["txn_hash"]),
        ({"passport_ipfs_cid": "QmForged"}, ["passport_ipfs_cid"]),
        ({"passport_short_url": "https://url.today/forged"}, ["passport_short_url"]),
        (
            {"status": "built", "txn_hash": "0xforged", "passport_ipfs_cid": "QmForged"},
            ["txn_hash", "passport_ipfs_cid"],
        ),
    ],
)
def test_create_cannot_skip_the_transitions(demo_client, schemas, extra, fields):
    response = demo_client.post(
        "/api/v1/passports", {"schema_id": "board", "internal_id": "777003", **extra}, format="json"
    )
    assert response.status_code == 422
    body = response.json()
    if fields == ["status"]:
        assert body == {
            "detail": [
                {
                    "loc": ["body", "status"],
                    "msg": "A new unit is production or built; later statuses come only from the transitions "
                    "(revision, cancel, approve).",
                    "type": "value_error",
                }
            ]
        }
    else:
        assert body == error(*fields)
    assert not Unit.objects.exists()


@pytest.mark.parametrize("status", [None, "production", "built"])
def test_a_new_unit_may_start_where_the_workbench_starts_one(demo_client, schemas, status):
    body = {"schema_id": "board", "internal_id": "777004", "status": status, "txn_hash": None}
    response = demo_client.post("/api/v1/passports", body, format="json")
    assert response.json() == {"status_code": 200, "detail": "Created new unit"}
    assert unit_row("777004") == (None, status, None, None, None, None)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "built"},
        {"status": None},
        {"txn_hash": "0xforged"},
        {"txn_hash": None},
        {"passport_ipfs_cid": "QmForged"},
        {"passport_short_url": "https://url.today/forged"},
    ],
)
def test_patch_cannot_rewrite_a_finalized_unit(demo_client, finalized, change):
    before = unit_row(finalized.internal_id)
    response = demo_client.patch(
        f"/api/v1/passports/{finalized.internal_id}", {"components_internal_ids": ["9"], **change}, format="json"
    )
    assert (response.status_code, response.json()) == (422, error(*change))
    assert unit_row(finalized.internal_id) == before


def test_patch_reports_every_transition_field_it_tries(demo_client, finalized):
    body = {"status": "built", "txn_hash": "0x1", "passport_ipfs_cid": "Qm1", "passport_short_url": "https://x.y/1"}
    response = demo_client.patch(f"/api/v1/passports/{finalized.internal_id}", body, format="json")
    assert (response.status_code, response.json()) == (
        422,
        error("status", "txn_hash", "passport_ipfs_cid", "passport_short_url"),
    )


def test_the_whole_passport_sent_back_unchanged_is_accepted(writer, finalized):
    """Clients (the original's own tests) echo the whole passport with one change."""
    passport = writer.get(f"/api/v1/passports/{finalized.internal_id}").json()["passport"]
    passport["components_internal_ids"] = ["4600000000015"]
    response = writer.patch(f"/api/v1/passports/{finalized.internal_id}", passport, format="json")
    assert response.json() == {"status_code": 200, "detail": "Successfully patched unit"}
    assert unit_row(finalized.internal_id) == (
        "SN-QC-1",
        "finalized",
        "0xapproved",
        "QmApproved",
        "https://url.today/approved",
        ["4600000000015"],
    )
