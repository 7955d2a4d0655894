"""/api/v1/tcd: protocols list, types, pending, get with template fallback, save, approve, delete."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from passports.models import EmployeeLink, Protocol, ProtocolStatus, Unit, UnitStatus
from passports.selectors import pending_threshold
from tests.passports.factories import ROWS, EmployeeFactory, ProtocolFactory, TemplateFactory, UnitFactory

pytestmark = pytest.mark.django_db

FIRST, SECOND, THIRD = ProtocolStatus.FIRST.value, ProtocolStatus.SECOND.value, ProtocolStatus.THIRD.value
NOT_FOUND = {"status_code": 404, "detail": "Not found", "passport": None}
MSK = ZoneInfo("Europe/Moscow")


def protocol_body(protocol) -> dict:
    return {
        "protocol_name": protocol.protocol_name,
        "protocol_schema_id": protocol.protocol_schema_id,
        "associated_with_schema_id": protocol.associated_with_schema_id,
        "default_serial_number": protocol.default_serial_number,
        "rows": protocol.rows,
        "protocol_id": protocol.protocol_id,
        "associated_unit_id": protocol.associated_unit_id,
        "status": protocol.status,
        "creation_time": protocol.creation_time.astimezone(MSK).isoformat(),
        "ipfs_cid": protocol.ipfs_cid,
        "txn_hash": protocol.txn_hash,
    }


def template_body(template) -> dict:
    return {
        "protocol_name": template.protocol_name,
        "protocol_schema_id": template.protocol_schema_id,
        "associated_with_schema_id": template.associated_with_schema_id,
        "default_serial_number": template.default_serial_number,
        "rows": template.rows,
    }


@pytest.fixture
def protocols(schemas):
    base = dt.datetime(2023, 7, 20, 9, 0, tzinfo=dt.UTC)
    return {
        "a": ProtocolFactory(
            associated_unit=UnitFactory(schema=schemas["board"], serial_number="SER-777"),
            protocol_name="Board acceptance",
            default_serial_number="B-1",
            creation_time=base,
        ),
        "b": ProtocolFactory(
            associated_unit=UnitFactory(schema=schemas["sensor"]),
            protocol_name="Sensor check",
            default_serial_number="S-1",
            status=SECOND,
            creation_time=base + dt.timedelta(days=1),
        ),
        "c": ProtocolFactory(
            associated_unit=UnitFactory(schema=schemas["sensor"], status=UnitStatus.FINALIZED),
            protocol_name="Sensor check",
            default_serial_number="S-2",
            status=THIRD,
            creation_time=base + dt.timedelta(days=2),
        ),
    }


def unit_ids(response):
    return [item["associated_unit_id"] for item in response.json()["data"]]


def test_list_with_trailing_slash_like_the_client(viewer_client, protocols):
    response = viewer_client.get("/api/v1/tcd/protocols/?page=1&items=11&sort_by_date=asc")
    assert response.status_code == 200
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 3,
        "data": [protocol_body(protocols[key]) for key in ("c", "b", "a")],
    }
    slashless = viewer_client.get("/api/v1/tcd/protocols?sort_by_date=desc")
    assert unit_ids(slashless) == [protocols[k].associated_unit_id for k in ("a", "b", "c")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": SECOND}, ["b"]),
        ({"status": ""}, ["a", "b", "c"]),
        ({"name": "sensor"}, ["b", "c"]),  # protocol_name, case-insensitive
        ({"name": "S-2"}, ["c"]),  # default serial number
        ({"name": "ser-777"}, ["a"]),  # the unit's serial number
        ({"name": "("}, []),
        ({"date": "2023-07-21"}, ["b"]),
        ({"date": "2023-07-20T21:00:00.000Z"}, ["b"]),  # the frontend picking the 21st in Moscow
        ({"date": "2023-07-21T21:00:00.000Z"}, ["c"]),  # … and the 22nd
        ({"name": "", "date": ""}, ["a", "b", "c"]),
    ],
)
def test_list_filters(viewer_client, protocols, query, expected):
    response = viewer_client.get("/api/v1/tcd/protocols/", query)
    assert response.status_code == 200
    assert unit_ids(response) == [protocols[k].associated_unit_id for k in expected]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2023-07-25T21:00:00.000Z", ["early", "late"]),  # the frontend picking 26 July in Moscow
        ("2023-07-26", ["early", "late"]),
        ("2023-07-26T12:00:00", ["early", "late"]),
        ("2023-07-26T05:00:00+05:00", ["early", "late"]),
        ("2023-07-26T21:00:00.000Z", ["next_early"]),
        ("2023-07-25", []),
    ],
)
def test_list_date_is_the_local_calendar_day(viewer_client, schemas, date, expected):
    made = {
        "early": dt.datetime(2023, 7, 26, 1, 30, tzinfo=MSK),
        "late": dt.datetime(2023, 7, 26, 23, 0, tzinfo=MSK),
        "next_early": dt.datetime(2023, 7, 27, 2, 0, tzinfo=MSK),
    }
    protocols = {
        key: ProtocolFactory(associated_unit=UnitFactory(schema=schemas["board"]), creation_time=when)
        for key, when in made.items()
    }
    response = viewer_client.get("/api/v1/tcd/protocols/", {"date": date})
    assert response.status_code == 200
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": len(expected),
        "data": [protocol_body(protocols[key]) for key in expected],
    }
    assert {p.protocol_id: p.creation_time for p in Protocol.objects.all()} == {
        protocols[key].protocol_id: made[key] for key in made
    }


def test_list_bad_status_is_422(viewer_client, protocols):
    response = viewer_client.get("/api/v1/tcd/protocols", {"status": "done"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


@pytest.mark.parametrize("size", [3, 30])
def test_list_constant_queries(viewer_client, schemas, django_assert_max_num_queries, size):
    for _ in range(size):
        ProtocolFactory(associated_unit=UnitFactory(schema=schemas["board"]))
    with django_assert_max_num_queries(3):
        response = viewer_client.get("/api/v1/tcd/protocols/?items=50&name=acc")
    assert len(response.json()["data"]) == size


def test_types_are_the_three_statuses(viewer_client):
    response = viewer_client.get("/api/v1/tcd/protocols/types")
    assert response.json() == {"status_code": 200, "detail": "Success", "data": [FIRST, SECOND, THIRD]}


def test_pending_threshold_is_local_midnight_minus_two_days():
    now = dt.datetime(2023, 7, 25, 22, 30, tzinfo=dt.UTC)  # 26th 01:30 in Moscow
    assert pending_threshold(now) == dt.datetime(2023, 7, 24, 0, 0, tzinfo=MSK)


def test_pending_lists_old_unapproved_protocol_ids(viewer_client, schemas):
    threshold = pending_threshold()
    at = ProtocolFactory(associated_unit=UnitFactory(schema=schemas["board"]), creation_time=threshold)
    ProtocolFactory(
        associated_unit=UnitFactory(schema=schemas["board"]), creation_time=threshold + dt.timedelta(seconds=1)
    )
    old = ProtocolFactory(
        associated_unit=UnitFactory(schema=schemas["board"]),
        creation_time=threshold - dt.timedelta(days=3),
        status=SECOND,
    )
    ProtocolFactory(
        associated_unit=UnitFactory(schema=schemas["board"]),
        creation_time=threshold - dt.timedelta(days=3),
        status=THIRD,
    )
    response = viewer_client.get("/api/v1/tcd/protocols/pending")
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 2,
        "pending": [old.protocol_id, at.protocol_id],
    }


# --- GET one ------------------------------------------------------------------------------


def test_get_returns_filled_protocol_serial_and_employee(demo_client, demo_user, protocols):
    employee = EmployeeFactory(name="Anna", position="QC engineer")
    EmployeeLink.objects.create(user=demo_user, employee=employee)
    protocol = protocols["a"]
    response = demo_client.get(f"/api/v1/tcd/protocols/{protocol.associated_unit_id}")
    assert response.status_code == 200
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "serial_number": "SER-777",
        "employee": {
            "rfid_card_id": employee.rfid_card_id,
            "name": "Anna",
            "position": "QC engineer",
            "passport_code": employee.passport_code,
        },
        "protocol": protocol_body(protocol),
    }


def test_get_falls_back_to_the_schema_template(viewer_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    template = TemplateFactory(associated_with_schema=schemas["board"], protocol_name="Board QC")
    TemplateFactory(associated_with_schema=schemas["sensor"])
    response = viewer_client.get(f"/api/v1/tcd/protocols/{unit.internal_id}/")
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "serial_number": None,
        "employee": None,
        "protocol": template_body(template),
    }


def test_get_offers_every_template_name_when_there_are_several(viewer_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    second = TemplateFactory(associated_with_schema=schemas["board"], protocol_name="B protocol")
    first = TemplateFactory(associated_with_schema=schemas["board"], protocol_name="A protocol")
    response = viewer_client.get(f"/api/v1/tcd/protocols/{unit.internal_id}")
    assert response.json()["protocol"] == {"protocols": [template_body(first), template_body(second)]}


def test_get_unknown_unit_or_no_template_is_404(viewer_client, schemas):
    response = viewer_client.get("/api/v1/tcd/protocols/none")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    unit = UnitFactory(schema=schemas["sensor"])
    response = viewer_client.get(f"/api/v1/tcd/protocols/{unit.internal_id}")
    assert (response.status_code, response.json()) == (404, {"detail": "No protocol template for schema sensor"})


# --- save, approve, delete ----------------------------------------------------------------


def save_body(unit, **extra) -> dict:
    return {
        "protocol_name": "Board QC",
        "protocol_schema_id": "proto_board",
        "associated_with_schema_id": unit.schema_id,
        "default_serial_number": "SN-0000",
        "rows": [{"name": "Voltage", "value": "12 V", "checked": True}],
        **extra,
    }


def test_save_creates_first_stage_then_second(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    body = save_body(unit, status=THIRD, protocol_id="forged", creation_time="2000-01-01T00:00:00")
    response = demo_client.post(f"/api/v1/tcd/protocols/{unit.internal_id}", body, format="json")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Success"}
    protocol = Protocol.objects.get(associated_unit=unit)
    assert protocol.status == FIRST and protocol.protocol_id != "forged" and len(protocol.protocol_id) == 32
    assert protocol.creation_time.year == timezone.now().year
    assert protocol.rows == [
        {"name": "Voltage", "value": "12 V", "deviation": None, "test1": None, "test2": None, "checked": True}
    ]
    rows = [{"name": "Voltage", "value": "12.1 V", "test1": "ok", "checked": True}]
    again = demo_client.post(
        f"/api/v1/tcd/protocols/{unit.internal_id}/", save_body(unit, protocol_name="Renamed", rows=rows), format="json"
    )
    assert again.status_code == 200
    protocol.refresh_from_db()
    assert (protocol.status, protocol.protocol_name) == (SECOND, "Board QC")  # only rows change
    assert protocol.rows == [
        {"name": "Voltage", "value": "12.1 V", "deviation": None, "test1": "ok", "test2": None, "checked": True}
    ]
    assert Protocol.objects.count() == 1


def test_saving_an_approved_protocol_is_409(demo_client, protocols):
    protocol = protocols["c"]
    response = demo_client.post(
        f"/api/v1/tcd/protocols/{protocol.associated_unit_id}",
        save_body(protocol.associated_unit, rows=[]),
        format="json",
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Protocol was already finalized. Can't update immutable protocol."}
    protocol.refresh_from_db()
    assert protocol.rows == ROWS


def test_save_refusals(demo_client, viewer_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    forbidden = viewer_client.post(f"/api/v1/tcd/protocols/{unit.internal_id}", save_body(unit), format="json")
    assert (forbidden.status_code, forbidden.json()) == (403, {"detail": "insufficient permissions for current user"})
    missing = demo_client.post("/api/v1/tcd/protocols/none", save_body(unit), format="json")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    invalid = demo_client.post(
        f"/api/v1/tcd/protocols/{unit.internal_id}", save_body(unit, rows=[{"name": "x"}]), format="json"
    )
    assert invalid.status_code == 422
    assert invalid.json() == {
        "detail": [{"loc": ["body", "rows", 0, "value"], "msg": "field required", "type": "value_error.missing"}]
    }
    assert not Protocol.objects.exists()


def test_approve_finalizes_unit_and_protocol_together(demo_client, protocols):
    protocol = protocols["b"]
    response = demo_client.post(f"/api/v1/tcd/protocols/{protocol.associated_unit_id}/approve", {}, format="json")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Success"}
    protocol.refresh_from_db()
    assert protocol.status == THIRD and (protocol.ipfs_cid, protocol.txn_hash) == (None, None)
    assert Unit.objects.get(internal_id=protocol.associated_unit_id).status == UnitStatus.FINALIZED
    assert demo_client.post(f"/api/v1/tcd/protocols/{protocol.associated_unit_id}/approve").status_code == 200


def test_approve_rolls_back_when_the_publisher_fails(demo_client, protocols, settings):
    settings.FEECC_PROTOCOL_PUBLISHER = "tests.passports.test_tcd.failing_publisher"
    protocol = protocols["a"]
    response = demo_client.post(f"/api/v1/tcd/protocols/{protocol.associated_unit_id}/approve")
    assert (response.status_code, response.json()) == (502, {"detail": "Can't publish the protocol"})
    protocol.refresh_from_db()
    assert protocol.status == FIRST
    assert Unit.objects.get(internal_id=protocol.associated_unit_id).status == UnitStatus.BUILT


def failing_publisher(protocol):
    raise RuntimeError("gateway down")


def test_approve_refusals(demo_client, viewer_client, protocols, schemas):
    unit = UnitFactory(schema=schemas["board"])
    no_protocol = demo_client.post(f"/api/v1/tcd/protocols/{unit.internal_id}/approve")
    assert (no_protocol.status_code, no_protocol.json()) == (
        404,
        {"detail": f"Protocol for unit {unit.internal_id} not found"},
    )
    assert demo_client.post("/api/v1/tcd/protocols/none/approve").json() == NOT_FOUND
    forbidden = viewer_client.post(f"/api/v1/tcd/protocols/{protocols['a'].associated_unit_id}/approve")
    assert forbidden.status_code == 403
    protocols["a"].refresh_from_db()
    assert protocols["a"].status == FIRST


def test_delete_protocol_returns_finalized_unit_to_built(demo_client, protocols):
    protocol = protocols["c"]
    response = demo_client.delete(f"/api/v1/tcd/protocols/{protocol.associated_unit_id}")
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Success"}
    assert not Protocol.objects.filter(pk=protocol.pk).exists()
    assert Unit.objects.get(internal_id=protocol.associated_unit_id).status == UnitStatus.BUILT
    again = demo_client.delete(f"/api/v1/tcd/protocols/{protocol.associated_unit_id}")
    assert (again.status_code, again.json()) == (
        404,
        {"detail": f"Protocol for unit {protocol.associated_unit_id} not found"},
    )
    assert demo_client.delete("/api/v1/tcd/protocols/none").json() == NOT_FOUND


@pytest.mark.parametrize("size", [3, 30])
def test_pending_constant_queries(viewer_client, schemas, django_assert_max_num_queries, size):
    old = pending_threshold() - dt.timedelta(days=1)
    for _ in range(size):
        ProtocolFactory(associated_unit=UnitFactory(schema=schemas["board"]), creation_time=old)
    with django_assert_max_num_queries(2):
        assert viewer_client.get("/api/v1/tcd/protocols/pending").json()["count"] == size
