"""GET /api/v1/passports: envelope, paging, sorting and every filter (passports.md §4.8)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from passports.models import Unit, UnitStatus
from tests.passports.conftest import passport_body
from tests.passports.factories import UnitFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2023, 7, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def units(schemas):
    return {
        "a": UnitFactory(
            schema=schemas["board"], creation_time=T0, status=UnitStatus.BUILT, internal_id="4600000000008"
        ),
        "b": UnitFactory(
            schema=schemas["sensor"],
            creation_time=T0 + dt.timedelta(hours=20),  # 2023-07-21 05:00 UTC
            status=UnitStatus.PRODUCTION,
            passport_short_url="https://url.today/abc",
            model="Own Model X",
        ),
        "c": UnitFactory(
            schema=schemas["composite"], creation_time=T0 + dt.timedelta(days=2), status=UnitStatus.FINALIZED
        ),
    }


def ids(response) -> list[str]:
    return [item["internal_id"] for item in response.json()["data"]]


def test_default_page_returns_envelope_oldest_first(demo_client, units):
    response = demo_client.get("/api/v1/passports/")
    assert response.status_code == 200
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 3,
        "data": [passport_body(units["a"]), passport_body(units["b"]), passport_body(units["c"])],
    }
    assert response.json()["data"][0]["parential_unit"] == "Composite Robot"
    assert response.json()["data"][0]["creation_time"] == "2023-07-20T12:00:00+03:00"


def test_sort_by_date_asc_means_newest_first(demo_client, units):
    response = demo_client.get("/api/v1/passports?sort_by_date=asc")
    assert ids(response) == [units["c"].internal_id, units["b"].internal_id, units["a"].internal_id]
    assert ids(demo_client.get("/api/v1/passports?sort_by_date=desc")) == [
        units["a"].internal_id,
        units["b"].internal_id,
        units["c"].internal_id,
    ]


def test_paging_counts_all_matches(demo_client, units):
    response = demo_client.get("/api/v1/passports/?page=2&items=2")
    assert response.json()["count"] == 3
    assert ids(response) == [units["c"].internal_id]
    assert demo_client.get("/api/v1/passports/?page=9&items=2").json() == {
        "status_code": 200,
        "detail": "Success",
        "count": 3,
        "data": [],
    }


@pytest.mark.parametrize(
    ("query", "loc", "type_"),
    [
        ("page=0", ["query", "page"], "value_error.number.not_ge"),
        ("page=x", ["query", "page"], "value_error"),
        ("items=0", ["query", "items"], "value_error.number.not_ge"),
        ("items=1001", ["query", "items"], "value_error.number.not_le"),
        ("sort_by_date=up", ["query", "sort_by_date"], "type_error.enum"),
        ("status=broken", ["query", "status"], "type_error.enum"),
        ("date=yesterday", ["query", "date"], "value_error"),
    ],
)
def test_bad_query_values_are_422_in_query(demo_client, units, query, loc, type_):
    response = demo_client.get(f"/api/v1/passports/?{query}")
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == loc
    assert item["type"] == type_
    assert item["msg"]


def test_status_filter_last_value_wins_and_empty_means_any(demo_client, units):
    assert ids(demo_client.get("/api/v1/passports/?status=built")) == [units["a"].internal_id]
    # The frontend sends status twice; after its reset button both are empty.
    assert ids(demo_client.get("/api/v1/passports/?status=built&status=production")) == [units["b"].internal_id]
    assert demo_client.get("/api/v1/passports/?status=&status=").json()["count"] == 3
    approved = demo_client.get("/api/v1/passports/?status=approved")
    assert approved.status_code == 200 and approved.json()["count"] == 0


def test_empty_filters_after_reset_mean_no_filter(demo_client, units):
    response = demo_client.get("/api/v1/passports/?page=1&items=11&status=&name=&date=&types=&sort_by_date=asc&status=")
    assert response.status_code == 200
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("control", ["a"]),  # schema unit_name, case-insensitive substring
        ("BOARD", ["a"]),
        ("own model", ["b"]),  # the unit's own model (Decision 10)
        ("https://url.today/abc", ["b"]),
        ("4600000000008", ["a"]),
        ("46000", []),  # partial internal ids don't match
        ("(", []),  # literal, never a regex
        ("Gadget.P", []),
    ],
)
def test_name_filter_dispatch(demo_client, units, name, expected):
    response = demo_client.get("/api/v1/passports/", {"name": name})
    assert response.status_code == 200
    assert ids(response) == [units[key].internal_id for key in expected]


def test_name_filter_by_uuid(demo_client, units):
    assert ids(demo_client.get("/api/v1/passports/", {"name": units["c"].uuid})) == [units["c"].internal_id]


MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def day_units(schemas):
    """Units around 26 July 2023, Moscow time (UTC+3): the edges of the local day."""
    made = {
        "before": dt.datetime(2023, 7, 25, 23, 59, 59),
        "early": dt.datetime(2023, 7, 26, 1, 30),  # 2023-07-25 22:30 UTC
        "late": dt.datetime(2023, 7, 26, 23, 0),  # 2023-07-26 20:00 UTC
        "after": dt.datetime(2023, 7, 27, 0, 0),
        "next_early": dt.datetime(2023, 7, 27, 2, 0),  # 2023-07-26 23:00 UTC
    }
    return {
        key: UnitFactory(schema=schemas["board"], creation_time=when.replace(tzinfo=MSK)) for key, when in made.items()
    }


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        # the frontend: toISOString() of the picked day's local midnight in Moscow
        ("2023-07-25T21:00:00.000Z", ["early", "late"]),
        ("2023-07-25T21:00:00Z", ["early", "late"]),
        ("2023-07-26T00:00:00+03:00", ["early", "late"]),
        ("2023-07-26T10:00+05:00", ["early", "late"]),  # 08:00 in Moscow
        ("2023-07-26 12:00:00+0000", ["early", "late"]),
        ("2023-07-26", ["early", "late"]),  # a plain date: that day in Moscow
        ("2023-07-26T00:00:00", ["early", "late"]),  # naive: Moscow wall-clock time
        ("2023-07-26 23:59", ["early", "late"]),
        (str(int(dt.datetime(2023, 7, 25, 21, tzinfo=dt.UTC).timestamp())), ["early", "late"]),
        ("2023-07-25T20:59:59Z", ["before"]),  # 23:59:59 in Moscow: the 25th
        ("2023-07-26T21:00:00.000Z", ["after", "next_early"]),  # picking the 27th
        ("2023-07-26T22:00:00Z", ["after", "next_early"]),  # 01:00 on the 27th in Moscow
        ("2023-07-26T23:30:00-02:00", ["after", "next_early"]),  # 04:30 on the 27th in Moscow
        ("2023-07-27", ["after", "next_early"]),
        ("2023-07-24", []),
    ],
)
def test_date_filter_takes_the_local_calendar_day(demo_client, day_units, date, expected):
    response = demo_client.get("/api/v1/passports/", {"date": date})
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status_code": 200,
        "detail": "Success",
        "count": len(expected),
        "data": [passport_body(day_units[key]) for key in expected],
    }
    # the database holds the instants as made (the filter only reads)
    stored = dict(Unit.objects.values_list("internal_id", "creation_time"))
    assert {key: stored[unit.internal_id].astimezone(MSK).strftime("%d %H:%M") for key, unit in day_units.items()} == {
        "before": "25 23:59",
        "early": "26 01:30",
        "late": "26 23:00",
        "after": "27 00:00",
        "next_early": "27 02:00",
    }


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        ("Boards", ["a"]),
        ("Boards,Sensors", ["a", "b"]),
        ("[Boards,Sensors]", ["a", "b"]),
        ('["Boards", "Robots"]', ["a", "c"]),
        ("Boards, Sensors", ["a", "b"]),
        ("Nothing", []),
        (",", ["a", "b", "c"]),
    ],
)
def test_types_filter_forms(demo_client, units, types, expected):
    response = demo_client.get("/api/v1/passports/", {"types": types})
    assert ids(response) == [units[key].internal_id for key in expected]


def test_filters_are_anded(demo_client, units):
    response = demo_client.get(
        "/api/v1/passports/", {"types": "Boards,Sensors", "name": "sensor", "status": "production"}
    )
    assert ids(response) == [units["b"].internal_id]
    assert demo_client.get("/api/v1/passports/", {"types": "Boards", "name": "sensor"}).json()["count"] == 0


@pytest.mark.parametrize("size", [3, 30])
def test_list_runs_constant_queries(demo_client, schemas, django_assert_max_num_queries, size):
    UnitFactory.create_batch(size, schema=schemas["board"])
    # auth user + count + page (+ schema ids for the types and the name filters)
    with django_assert_max_num_queries(5):
        response = demo_client.get("/api/v1/passports/?items=100&types=Boards&name=control&sort_by_date=asc")
    assert response.json()["count"] == size
    assert len(response.json()["data"]) == size


def test_types_endpoint_lists_distinct_types_without_testing(viewer_client, schemas):
    response = viewer_client.get("/api/v1/passports/types")
    expected = ["Boards", "Robots", "Sensors"]
    assert response.status_code == 200
    assert response.json() == {"status_code": 200, "detail": "Success", "data": expected, "types": expected}
