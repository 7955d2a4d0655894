"""Statistics and the XLSX report (accounts.md, Decisions 6, 7)."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from openpyxl import load_workbook

from common.auth import issue_access_token
from tests.accounts.factories import ProcessFactory
from tests.accounts.helpers import is_trace

STATISTICS = "/account/statistics"
REPORT = "/account/report"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def usage(demo_user, other_user):
    """demo (UTC+3) around the local midnight of 2026-11-10, plus rows that must not count."""
    demo_user.timezone = 3
    demo_user.save()
    make = ProcessFactory
    # 2026-11-09 23:59:59 local
    make(
        user=demo_user,
        created_at=at("2026-11-09T20:59:59"),
        request_points_count=5,
        result_elements_count=1,
        unique_points_count=4,
    )
    # 2026-11-10 00:00:00 local and later that day
    make(
        user=demo_user,
        created_at=at("2026-11-09T21:00:00"),
        request_points_count=7,
        result_elements_count=2,
        unique_points_count=6,
    )
    make(
        user=demo_user,
        created_at=at("2026-11-10T12:00:00"),
        request_points_count=3,
        result_elements_count=None,
        unique_points_count=3,
        status="FINISHED_OUT_OF_TIME",
    )
    make(
        user=demo_user,
        created_at=at("2026-11-10T13:00:00"),
        service="ROUTING",
        process_type="VALIDATE",
        request_points_count=100,
        result_elements_count=40,
        unique_points_count=90,
    )
    make(
        user=demo_user,
        created_at=at("2026-11-10T14:00:00"),
        process_type="TRACE",
        request_points_count=1,
        result_elements_count=1,
        unique_points_count=1,
    )
    # not billed, another user's, and the next local day
    make(user=demo_user, created_at=at("2026-11-10T10:00:00"), status="FAILED", request_points_count=1000)
    make(user=demo_user, created_at=at("2026-11-10T10:00:00"), status="IN_PROGRESS", request_points_count=1000)
    make(user=other_user, created_at=at("2026-11-10T10:00:00"), request_points_count=1000)
    make(user=demo_user, created_at=at("2026-11-10T21:00:00"), request_points_count=1000)


def stats(process_type, points, unique, elements, processes):
    return {
        "process_type": process_type,
        "points_per_day": points,
        "unique_points_per_day": unique,
        "elements_per_day": elements,
        "processes_per_day": processes,
    }


@pytest.mark.django_db
def test_statistics_sum_per_local_day_service_and_process_type(demo_client, usage, django_assert_num_queries):
    with django_assert_num_queries(2):  # the token's user, then one GROUP BY
        response = demo_client.get(STATISTICS, {"from": "2026-11-09", "to": "2026-11-10"})
    assert response.status_code == 200
    assert response.json() == {
        "username": "demo",
        "dates": [
            {"date": "2026-11-09", "services": [{"service": "UNIVERSAL", "processes": [stats("PLAN", 5, 4, 1, 1)]}]},
            {
                "date": "2026-11-10",
                "services": [
                    {"service": "ROUTING", "processes": [stats("VALIDATE", 100, 90, 40, 1)]},
                    {"service": "UNIVERSAL", "processes": [stats("PLAN", 10, 9, 2, 2), stats("TRACE", 1, 1, 1, 1)]},
                ],
            },
        ],
    }


@pytest.mark.django_db
def test_statistics_filter_by_service_and_process_type(demo_client, usage):
    body = demo_client.get(
        STATISTICS, {"from": "2026-11-10", "to": "2026-11-10", "service": "UNIVERSAL", "process_type": "PLAN"}
    ).json()
    assert body == {
        "username": "demo",
        "dates": [
            {"date": "2026-11-10", "services": [{"service": "UNIVERSAL", "processes": [stats("PLAN", 10, 9, 2, 2)]}]}
        ],
    }
    empty = demo_client.get(
        STATISTICS, {"from": "2026-11-10", "to": "2026-11-10", "service": "AGRO", "process_type": ""}
    )
    assert empty.json() == {"username": "demo", "dates": []}


@pytest.mark.django_db
def test_statistics_in_utc_put_the_midnight_rows_on_other_days(demo_client, demo_user, usage):
    demo_user.timezone = 0
    demo_user.save()
    dates = demo_client.get(STATISTICS, {"from": "2026-11-09", "to": "2026-11-09"}).json()["dates"]
    assert dates == [
        {"date": "2026-11-09", "services": [{"service": "UNIVERSAL", "processes": [stats("PLAN", 12, 10, 3, 2)]}]}
    ]


@pytest.mark.django_db
def test_statistics_query_count_is_fixed_whatever_the_rows(demo_client, demo_user, django_assert_num_queries):
    for day in range(1, 4):
        ProcessFactory(user=demo_user, created_at=at(f"2026-10-0{day}T12:00:00"))
    with django_assert_num_queries(2):
        assert len(demo_client.get(STATISTICS, {"from": "2026-10-01", "to": "2026-10-31"}).json()["dates"]) == 3
    for day in range(4, 31):
        ProcessFactory(user=demo_user, created_at=at(f"2026-10-{day:02d}T12:00:00"), service="ROUTING")
    with django_assert_num_queries(2):
        assert len(demo_client.get(STATISTICS, {"from": "2026-10-01", "to": "2026-10-31"}).json()["dates"]) == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "expected_dates"),
    [
        # 2026-11-25 02:00 local (UTC+3): 1st..24th; the row of the 25th (today) is excluded
        (at("2026-11-24T23:00:00"), ["2026-11-01", "2026-11-24"]),
        # on the 1st the default range is empty
        (at("2026-11-30T22:00:00"), []),
    ],
)
def test_statistics_default_period_is_month_start_to_yesterday(api_client, demo_user, now, expected_dates):
    demo_user.timezone = 3
    demo_user.save()
    for stamp in ("2026-10-31T20:00:00", "2026-10-31T21:30:00", "2026-11-24T12:00:00", "2026-11-24T22:00:00"):
        ProcessFactory(user=demo_user, created_at=at(stamp))
    # The whole process lives at ``now``, so the token is issued then too (its ``iat`` is checked).
    with time_machine.travel(now, tick=False):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(demo_user)}")
        response = api_client.get(STATISTICS)
    assert response.status_code == 200
    assert [entry["date"] for entry in response.json()["dates"]] == expected_dates


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "entity", "message"),
    [
        ({"from": "2026-11-10", "to": "2026-11-09"}, "from", "is later than"),
        ({"from": "2016-11-08", "to": "2026-11-09"}, "to", "longer than 3653 days"),
        ({"from": "2026-13-01"}, "from", "Date has wrong format"),
        ({"from": ""}, "from", "may not be blank"),
        ({"from": "2026-01-01", "to": "9999-12-31"}, "to", "between 1900-01-01 and 9998-12-31"),
        ({"from": "0001-01-01", "to": "2026-01-02"}, "from", "between 1900-01-01 and 9998-12-31"),
        ({"service": "REGISTRY"}, "service", "not a valid choice"),
        ({"process_type": "plan"}, "process_type", "not a valid choice"),
    ],
)
@pytest.mark.parametrize("path", [STATISTICS, REPORT])
def test_statistics_and_report_bad_input_is_general400(demo_client, path, query, entity, message):
    response = demo_client.get(path, query, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert [error["entity"] for error in body["schema_errors"]] == [entity]
    assert message in body["schema_errors"][0]["message"]
    operation = "generate_statistics" if path == STATISTICS else "generate_report"
    assert is_trace(body["tracedata"], operation=operation, username="demo", company="demo_company")


@pytest.mark.django_db
def test_statistics_are_the_callers_own_even_for_a_vrt_admin(admin_client_api, usage):
    response = admin_client_api.get(STATISTICS, {"from": "2026-11-09", "to": "2026-11-10"})
    assert response.json() == {"username": "admin", "dates": []}


@pytest.mark.django_db
def test_a_range_of_exactly_3653_days_is_accepted(demo_client):
    response = demo_client.get(STATISTICS, {"from": "2016-11-10", "to": "2026-11-10"})
    assert (response.status_code, response.json()) == (200, {"username": "demo", "dates": []})


@pytest.mark.django_db
def test_report_is_the_statistics_rows_as_xlsx(demo_client, usage, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = demo_client.get(REPORT, {"from": "2026-11-09", "to": "2026-11-10"}, HTTP_ACCEPT="application/json")
        content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="statistics_demo_2026-11-09_2026-11-10.xlsx"'
    assert content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    rows = [[value.date().isoformat() if isinstance(value, datetime) else value for value in row] for row in rows]
    assert rows == [
        ["Date", "Service", "Process type", "Points", "Unique points", "Elements", "Processes"],
        ["2026-11-09", "UNIVERSAL", "PLAN", 5, 4, 1, 1],
        ["2026-11-10", "ROUTING", "VALIDATE", 100, 90, 40, 1],
        ["2026-11-10", "UNIVERSAL", "PLAN", 10, 9, 2, 2],
        ["2026-11-10", "UNIVERSAL", "TRACE", 1, 1, 1, 1],
    ]
    assert sheet.column_dimensions["A"].width == 12


@pytest.mark.django_db
def test_an_empty_report_is_a_valid_workbook_with_a_header(demo_client):
    response = demo_client.get(REPORT, {"from": "2026-01-01", "to": "2026-01-31"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Date", "Service", "Process type", "Points", "Unique points", "Elements", "Processes"]
    ]


@pytest.mark.django_db
def test_statistics_days_west_of_utc(demo_client, demo_user):
    demo_user.timezone = -5
    demo_user.save()
    ProcessFactory(user=demo_user, created_at=at("2026-11-10T04:59:59"), request_points_count=1)  # 11-09 23:59:59
    ProcessFactory(user=demo_user, created_at=at("2026-11-10T05:00:00"), request_points_count=2)  # 11-10 00:00
    ProcessFactory(user=demo_user, created_at=at("2026-11-11T04:59:59"), request_points_count=4)  # 11-10 23:59:59
    dates = demo_client.get(STATISTICS, {"from": "2026-11-09", "to": "2026-11-10"}).json()["dates"]
    assert [(d["date"], d["services"][0]["processes"][0]["points_per_day"]) for d in dates] == [
        ("2026-11-09", 1),
        ("2026-11-10", 6),
    ]
