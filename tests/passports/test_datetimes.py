"""Every Feecc datetime is valid ISO 8601 (issue 13): whole-minute offsets, also before 1919.

Europe/Moscow's zone data has mean-time offsets with seconds until July 1919 (``+02:30:17``,
``+02:31:19``, ``+03:31:19``, ``+04:31:19``); they are rounded to the minute, keeping the
instant (passports/localtime.py).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from passports.models import ProductionStage, Protocol, Unit
from tests.passports.conftest import passport_body
from tests.passports.factories import ProtocolFactory, StageFactory, UnitFactory

pytestmark = pytest.mark.django_db

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}:\d{2}$")
UTC = dt.UTC


def out_of_range(field: str) -> dict:
    return {"detail": [{"loc": ["body", field], "msg": "Datetime value out of range.", "type": "value_error"}]}


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        (dt.datetime(1900, 1, 1, tzinfo=UTC), "1900-01-01T02:30:00+02:30"),  # +02:30:17
        (dt.datetime(1900, 1, 1, 0, 0, 45, tzinfo=UTC), "1900-01-01T02:30:45+02:30"),
        (dt.datetime(1916, 8, 1, tzinfo=UTC), "1916-08-01T02:31:00+02:31"),  # +02:31:19
        (dt.datetime(1917, 8, 1, tzinfo=UTC), "1917-08-01T03:31:00+03:31"),  # +03:31:19
        (dt.datetime(1918, 7, 1, 12, 0, 0, 250000, tzinfo=UTC), "1918-07-01T16:31:00.250000+04:31"),  # +04:31:19
        (dt.datetime(1919, 7, 1, 12, tzinfo=UTC), "1919-07-01T16:00:00+04:00"),
        (dt.datetime(1, 1, 1, tzinfo=UTC), "0001-01-01T02:30:00+02:30"),
        (dt.datetime(2023, 7, 20, 9, tzinfo=UTC), "2023-07-20T12:00:00+03:00"),
    ],
)
def test_every_feecc_datetime_output_has_a_whole_minute_offset(demo_client, schemas, instant, shown):
    unit = UnitFactory(schema=schemas["board"], creation_time=instant)
    stage = StageFactory(parent_unit=unit, creation_time=instant, session_start_time=instant, session_end_time=None)
    protocol = ProtocolFactory(associated_unit=unit, creation_time=instant)

    listed = demo_client.get("/api/v1/passports/")
    assert listed.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 1,
        "data": [passport_body(unit, creation_time=shown, date=shown)],
    }
    passport = demo_client.get(f"/api/v1/passports/{unit.internal_id}").json()["passport"]
    assert (passport["creation_time"], passport["date"]) == (shown, shown)
    assert passport["biography"][0]["creation_time"] == shown
    assert demo_client.get(f"/api/v1/stages/{stage.stage_id}").json()["stage"]["creation_time"] == shown
    assert demo_client.get("/api/v1/tcd/protocols/").json()["data"] == [
        {
            "protocol_name": protocol.protocol_name,
            "protocol_schema_id": protocol.protocol_schema_id,
            "associated_with_schema_id": protocol.associated_with_schema_id,
            "default_serial_number": protocol.default_serial_number,
            "rows": protocol.rows,
            "protocol_id": protocol.protocol_id,
            "associated_unit_id": unit.internal_id,
            "status": protocol.status,
            "creation_time": shown,
            "ipfs_cid": None,
            "txn_hash": None,
        }
    ]
    assert demo_client.get(f"/api/v1/tcd/protocols/{unit.internal_id}").json()["protocol"]["creation_time"] == shown

    assert ISO.match(shown) and dt.datetime.fromisoformat(shown) == instant  # the same instant
    # the database keeps the instants as stored
    assert Unit.objects.get().creation_time == instant
    assert ProductionStage.objects.get().creation_time == instant
    assert Protocol.objects.get().creation_time == instant


@pytest.mark.parametrize(
    ("sent", "instant", "shown"),
    [
        # naive: a Moscow wall-clock time, on the offset shown, so it reads back as sent
        ("1900-01-01T00:00:00", dt.datetime(1899, 12, 31, 21, 30, tzinfo=UTC), "1900-01-01T00:00:00+02:30"),
        ("1900-01-01T02:30:00+02:30", dt.datetime(1900, 1, 1, tzinfo=UTC), "1900-01-01T02:30:00+02:30"),
        # what this server rendered before: still read, at its exact instant
        ("1900-01-01T02:30:17+02:30:17", dt.datetime(1900, 1, 1, tzinfo=UTC), "1900-01-01T02:30:00+02:30"),
        ("1918-07-01T00:00:00", dt.datetime(1918, 6, 30, 19, 29, tzinfo=UTC), "1918-07-01T00:00:00+04:31"),
        ("0001-01-01T03:00:00", dt.datetime(1, 1, 1, 0, 30, tzinfo=UTC), "0001-01-01T03:00:00+02:30"),
        ("9999-12-31T23:59:59", dt.datetime(9999, 12, 31, 20, 59, 59, tzinfo=UTC), "9999-12-31T23:59:59+03:00"),
        ("2023-07-26T01:30:00", dt.datetime(2023, 7, 25, 22, 30, tzinfo=UTC), "2023-07-26T01:30:00+03:00"),
    ],
)
def test_passport_creation_time_input(demo_client, schemas, sent, instant, shown):
    response = demo_client.post(
        "/api/v1/passports/", {"schema_id": "board", "internal_id": "1", "creation_time": sent}, format="json"
    )
    assert (response.status_code, response.json()) == (200, {"status_code": 200, "detail": "Created new unit"})
    assert Unit.objects.get().creation_time == instant
    passport = demo_client.get("/api/v1/passports/1").json()["passport"]
    assert (passport["creation_time"], passport["date"]) == (shown, shown)


@pytest.mark.parametrize(
    "sent",
    [
        "0001-01-01T00:00:00",  # year 0 in UTC (DRF's own check crashed: a 500)
        "0001-01-01T01:00:00+02:00",
        "9999-12-31T23:00:00Z",  # year 10000 in Moscow
    ],
)
def test_passport_creation_time_out_of_range_is_422(demo_client, schemas, sent):
    for key in ("creation_time", "date"):
        response = demo_client.post(
            "/api/v1/passports/", {"schema_id": "board", "internal_id": "1", key: sent}, format="json"
        )
        assert (response.status_code, response.json()) == (422, out_of_range(key))
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    ("sent", "instant", "shown"),
    [
        ("01-01-1900 00:00:00", dt.datetime(1899, 12, 31, 21, 30, tzinfo=UTC), "01-01-1900 00:00:00"),
        ("1900-01-01T02:30:00+02:30", dt.datetime(1900, 1, 1, tzinfo=UTC), "01-01-1900 02:30:00"),
        ("05-06-0005 10:00:00", dt.datetime(5, 6, 5, 7, 30, tzinfo=UTC), "05-06-0005 10:00:00"),  # a 4-digit year
        ("31-12-9999 23:59:59", dt.datetime(9999, 12, 31, 20, 59, 59, tzinfo=UTC), "31-12-9999 23:59:59"),
    ],
)
def test_stage_session_time_input(demo_client, schemas, sent, instant, shown):
    unit = UnitFactory(schema=schemas["board"])
    body = {
        "name": "x",
        "parent_unit_uuid": unit.uuid,
        "ended_prematurely": False,
        "creation_time": "2023-07-20T10:00:00+03:00",
        "session_start_time": sent,
        "id": "s" * 32,
    }
    response = demo_client.post("/api/v1/stages/", body, format="json")
    assert (response.status_code, response.json()) == (
        200,
        {"status_code": 200, "detail": "Created new production stage"},
    )
    assert ProductionStage.objects.get().session_start_time == instant
    stage = demo_client.get(f"/api/v1/stages/{'s' * 32}").json()["stage"]
    assert (stage["session_start_time"], stage["creation_time"]) == (shown, "2023-07-20T10:00:00+03:00")


@pytest.mark.parametrize("sent", ["01-01-0001 00:00:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-05:00"])
def test_stage_session_time_out_of_range_is_422(demo_client, schemas, sent):
    # stored, these were a 500 on every later read (PostgreSQL keeps years 0 and 10000; Python cannot)
    unit = UnitFactory(schema=schemas["board"])
    body = {
        "name": "x",
        "parent_unit_uuid": unit.uuid,
        "ended_prematurely": False,
        "creation_time": "2023-07-20T10:00:00Z",
    }
    response = demo_client.post("/api/v1/stages/", {**body, "session_end_time": sent}, format="json")
    assert (response.status_code, response.json()) == (422, out_of_range("session_end_time"))
    assert not ProductionStage.objects.exists()
    assert demo_client.get(f"/api/v1/passports/{unit.internal_id}").status_code == 200


def test_date_filter_on_an_old_day_uses_the_offsets_shown(demo_client, schemas):
    made = {
        "before": dt.datetime(1899, 12, 31, 21, 29, 59, tzinfo=UTC),  # 23:59:59 on the 31st, as shown
        "first": dt.datetime(1899, 12, 31, 21, 30, tzinfo=UTC),  # 1900-01-01T00:00:00+02:30
        "last": dt.datetime(1900, 1, 1, 21, 29, 59, tzinfo=UTC),  # 1900-01-01T23:59:59+02:30
    }
    units = {key: UnitFactory(schema=schemas["board"], creation_time=when) for key, when in made.items()}
    for date in ("1900-01-01", "1900-01-01T12:00:00", "1899-12-31T21:30:00.000Z"):
        response = demo_client.get("/api/v1/passports/", {"date": date})
        assert [item["internal_id"] for item in response.json()["data"]] == [
            units["first"].internal_id,
            units["last"].internal_id,
        ], date
    shown = [item["creation_time"] for item in demo_client.get("/api/v1/passports/").json()["data"]]
    assert shown == ["1899-12-31T23:59:59+02:30", "1900-01-01T00:00:00+02:30", "1900-01-01T23:59:59+02:30"]


def test_local_times_are_time_zone_s_whatever_zone_is_active_and_naive_ones_are_refused(settings):
    """``to_local`` converts to ``TIME_ZONE`` (the setting, not an activated zone: the project
    activates none), on whole minutes, and refuses a naive value as ``localtime`` does."""
    from django.utils import timezone

    from passports.localtime import to_local

    instant = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    assert to_local(instant).isoformat() == "2026-07-01T15:00:00+03:00"  # Europe/Moscow
    with timezone.override("America/New_York"):
        assert to_local(instant).isoformat() == "2026-07-01T15:00:00+03:00"
    settings.TIME_ZONE = "Asia/Kolkata"
    assert to_local(instant).isoformat() == "2026-07-01T17:30:00+05:30"
    assert (
        to_local(dt.datetime(1900, 1, 1, tzinfo=dt.UTC)).isoformat() == "1900-01-01T05:21:00+05:21"
    )  # +05:21:10, rounded
    with pytest.raises(ValueError, match="naive"):
        to_local(dt.datetime(2026, 7, 1, 12, 0))
