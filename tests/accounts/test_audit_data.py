"""Audit and process data (accounts.md, Decisions 4, 8, 9)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import UserRole
from tests.accounts.factories import ProcessDataFactory, ProcessFactory, ProcessRequestFactory
from tests.accounts.helpers import is_trace
from tests.factories import UserFactory

AUDIT = "/account/audit"
PERIOD = {"from": "2026-11-01T00:00:00+0000", "to": "2026-11-30T00:00:00+0000"}
FIRST = "a1a1a1a1-0000-4000-8000-000000000001"
FIRST_PLAN = "a1a1a1a1-0000-4000-8000-0000000000f1"
FIRST_RESULT = "a1a1a1a1-0000-4000-8000-0000000000f2"
SECOND = "b2b2b2b2-0000-4000-8000-000000000002"
SECOND_VALIDATION = "b2b2b2b2-0000-4000-8000-0000000000f1"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def actions(demo_user, viewer_user, other_user):
    first = ProcessFactory(
        user=demo_user, created_at=at("2026-11-10T10:00:00"), process_type="PLAN", process_code=FIRST
    )
    ProcessRequestFactory(
        process=first, operation="run_planning", time=at("2026-11-10T10:00:00"), request_code=FIRST_PLAN
    )
    ProcessRequestFactory(
        process=first, operation="read_result", time=at("2026-11-10T10:05:00"), request_code=FIRST_RESULT
    )
    ProcessDataFactory(process=first, flow_type="INPUT", content=b"input-bytes")
    ProcessDataFactory(process=first, flow_type="OUTPUT", content=b"output-bytes")
    second = ProcessFactory(
        user=demo_user,
        created_at=at("2026-11-11T10:00:00"),
        service="ROUTING",
        process_type="VALIDATE",
        status="FAILED",
        message="Validation failed.",
        request_points_count=None,
        result_elements_count=None,
        process_code=SECOND,
    )
    ProcessRequestFactory(process=second, operation="run_validation", request_code=SECOND_VALIDATION)
    ProcessDataFactory(process=second, flow_type="INPUT")
    colleague = ProcessFactory(user=viewer_user, created_at=at("2026-11-12T10:00:00"))
    foreign = ProcessFactory(user=other_user, created_at=at("2026-11-12T11:00:00"))
    outside = ProcessFactory(user=demo_user, created_at=at("2026-10-12T11:00:00"))
    return {"first": first, "second": second, "colleague": colleague, "foreign": foreign, "outside": outside}


@pytest.mark.django_db
def test_audit_lists_own_actions_of_the_period_with_counters(demo_client, actions):
    response = demo_client.get(AUDIT, PERIOD)
    assert response.status_code == 200
    assert response.json() == {
        "actions": [
            {
                "process_code": FIRST,
                "process_type": "PLAN",
                "username": "demo",
                "company": "demo_company",
                "service": "UNIVERSAL",
                "time": "2026-11-10T10:00:00+00:00",
                "requests": [
                    {
                        "process_code": FIRST,
                        "request_code": FIRST_PLAN,
                        "username": "demo",
                        "company": "demo_company",
                        "service": "UNIVERSAL",
                        "operation": "run_planning",
                        "env": "test",
                        "pod": "pod-1",
                        "time": "2026-11-10T10:00:00+00:00",
                    },
                    {
                        "process_code": FIRST,
                        "request_code": FIRST_RESULT,
                        "username": "demo",
                        "company": "demo_company",
                        "service": "UNIVERSAL",
                        "operation": "read_result",
                        "env": "test",
                        "pod": "pod-1",
                        "time": "2026-11-10T10:05:00+00:00",
                    },
                ],
                "statistics": {
                    "request_points_count": 10,
                    "result_elements_count": 2,
                    "calculation_info": {
                        "status": "FINISHED_IN_TIME",
                        "message": None,
                        "result_version": 1,
                        "preparing_time": "PT0S",
                        "business_validation_time": "PT0S",
                        "math_validation_time": "PT0S",
                        "waiting_time": "PT0S",
                        "calculation_time": "PT5.25S",
                        "postprocessing_time": "PT0S",
                    },
                },
                "input_file_exists": True,
                "output_file_exists": True,
            },
            {
                "process_code": SECOND,
                "process_type": "VALIDATE",
                "username": "demo",
                "company": "demo_company",
                "service": "ROUTING",
                "time": "2026-11-11T10:00:00+00:00",
                "requests": [
                    {
                        "process_code": SECOND,
                        "request_code": SECOND_VALIDATION,
                        "username": "demo",
                        "company": "demo_company",
                        "service": "ROUTING",
                        "operation": "run_validation",
                        "env": "test",
                        "pod": "pod-1",
                        "time": "2026-11-11T10:00:00+00:00",
                    }
                ],
                "statistics": {
                    "request_points_count": None,
                    "result_elements_count": None,
                    "calculation_info": {
                        "status": "FAILED",
                        "message": "Validation failed.",
                        "result_version": 1,
                        "preparing_time": "PT0S",
                        "business_validation_time": "PT0S",
                        "math_validation_time": "PT0S",
                        "waiting_time": "PT0S",
                        "calculation_time": "PT5.25S",
                        "postprocessing_time": "PT0S",
                    },
                },
                "input_file_exists": True,
                "output_file_exists": False,
            },
        ],
        "counters": {"overall": {"total": 2}, "filter": {"total": 2}},
    }


@pytest.mark.django_db
def test_a_user_without_the_admin_role_sees_only_their_own(viewer_client, other_client, actions):
    body = viewer_client.get(AUDIT, PERIOD).json()
    assert [a["process_code"] for a in body["actions"]] == [str(actions["colleague"].process_code)]
    body = other_client.get(AUDIT, PERIOD).json()
    assert [a["process_code"] for a in body["actions"]] == [str(actions["foreign"].process_code)]


@pytest.mark.django_db
def test_a_vrt_admin_sees_the_company_but_not_other_companies(admin_client_api, actions):
    body = admin_client_api.get(AUDIT, {**PERIOD, "sort_direction": "DESC", "limit": 2}).json()
    assert [a["process_code"] for a in body["actions"]] == [
        str(actions["colleague"].process_code),
        str(actions["second"].process_code),
    ]
    assert body["counters"] == {"overall": {"total": 3}, "filter": {"total": 3}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"service": "ROUTING"}, ["second"]),
        ({"process_type": "PLAN"}, ["first"]),
        ({"status": "FAILED"}, ["second"]),
        ({"operation": "read_result"}, ["first"]),
        ({"operation": "run_nothing"}, []),
        ({"service": "UNIVERSAL", "status": "FAILED"}, []),
    ],
)
def test_audit_filters_count_against_the_overall_total(demo_client, actions, query, expected):
    body = demo_client.get(AUDIT, {**PERIOD, **query}).json()
    assert [a["process_code"] for a in body["actions"]] == [str(actions[name].process_code) for name in expected]
    assert body["counters"] == {"overall": {"total": 2}, "filter": {"total": len(expected)}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        ("time", "ASC", ["first", "second", "colleague"]),
        ("time", "desc", ["colleague", "second", "first"]),
        ("service", "DESC", ["colleague", "first", "second"]),
        ("process_type", "ASC", ["first", "colleague", "second"]),
        ("status", "ASC", ["second", "first", "colleague"]),
        ("username", "DESC", ["colleague", "second", "first"]),
    ],
)
def test_audit_sorts_with_a_tiebreak_in_the_same_direction(admin_client_api, actions, sort, direction, expected):
    body = admin_client_api.get(AUDIT, {**PERIOD, "sort_field": sort, "sort_direction": direction}).json()
    assert [a["process_code"] for a in body["actions"]] == [str(actions[name].process_code) for name in expected]


@pytest.mark.django_db
def test_audit_sorts_by_process_code(admin_client_api, actions):
    body = admin_client_api.get(AUDIT, {**PERIOD, "sort_field": "process_code"}).json()
    codes = [a["process_code"] for a in body["actions"]]
    assert codes == sorted(codes)


@pytest.mark.django_db
def test_offset_and_limit_page_after_counting(admin_client_api, actions):
    body = admin_client_api.get(AUDIT, {**PERIOD, "offset": 1, "limit": 1}).json()
    assert [a["process_code"] for a in body["actions"]] == [str(actions["second"].process_code)]
    assert body["counters"] == {"overall": {"total": 3}, "filter": {"total": 3}}
    beyond = admin_client_api.get(AUDIT, {**PERIOD, "offset": 3}).json()
    assert beyond == {"actions": [], "counters": {"overall": {"total": 3}, "filter": {"total": 3}}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "count"),
    [
        ("2026-11-10T13:00:00+0300", 2),  # = 10:00Z, inclusive
        ("2026-11-10T13:00:01+03:00", 1),
        ("2026-11-10T10:00:01Z", 1),
        ("2026-11-10T13:00:01 03:00", 1),  # a hand-typed + that became a space
        ("2026-11-10T13:00:00", 2),  # naive: the user's zone (UTC+3)
        # Python allows offsets up to ±23:59, PostgreSQL only ±15:59 (the fuzzer found it as a 500).
        ("2026-11-11T09:00:00+23:00", 2),
        ("2026-11-09T10:30:01-23:30", 1),
    ],
)
def test_audit_datetimes_with_offsets_or_naive_in_the_user_zone(demo_client, demo_user, actions, start, count):
    demo_user.timezone = 3
    demo_user.save()
    body = demo_client.get(AUDIT, {"from": start, "to": PERIOD["to"]}).json()
    assert body["counters"]["overall"]["total"] == count


@pytest.mark.django_db
def test_audit_default_period_is_today_in_the_user_zone(demo_client, demo_user):
    demo_user.timezone = 3
    demo_user.save()
    now = datetime.now(UTC)
    local_midnight = (now + timedelta(hours=3)).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(hours=3)
    ProcessFactory(user=demo_user, created_at=local_midnight + timedelta(seconds=1))
    ProcessFactory(user=demo_user, created_at=local_midnight - timedelta(seconds=1))
    ProcessFactory(user=demo_user, created_at=now + timedelta(hours=1))
    assert demo_client.get(AUDIT).json()["counters"] == {"overall": {"total": 1}, "filter": {"total": 1}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 2002}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10_000_001}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"sort_field": "name"}, "sort_field"),
        ({"sort_direction": "UP"}, "sort_direction"),
        ({"from": "yesterday"}, "from"),
        ({"to": ""}, "to"),
        ({"limit": ""}, "limit"),
        ({"to": "2026-11-31T00:00:00"}, "to"),
        ({"service": "REGISTRY"}, "service"),
        ({"status": "DONE"}, "status"),
        ({"process_type": "ACTUALIZED"}, "process_type"),
        ({"operation": "ab"}, "operation"),
        ({"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}, "from"),
    ],
)
def test_audit_bad_input_is_general400(demo_client, query, entity):
    response = demo_client.get(AUDIT, query)
    assert response.status_code == 400
    body = response.json()
    assert [error["entity"] for error in body["schema_errors"]] == [entity]
    assert is_trace(body["tracedata"], operation="read_audit", username="demo", company="demo_company")


@pytest.mark.django_db
def test_audit_with_only_to_covers_that_day(demo_client, actions):
    body = demo_client.get(AUDIT, {"to": "2026-11-11T23:00:00Z"}).json()
    assert [a["process_code"] for a in body["actions"]] == [str(actions["second"].process_code)]


@pytest.mark.django_db
def test_audit_datetimes_at_the_calendar_ends_are_clamped_not_overflowed(demo_client, actions):
    response = demo_client.get(AUDIT, {"from": "0001-01-01T00:00:00+03:00", "to": "9999-12-31T23:59:59-12:00"})
    assert response.status_code == 200
    assert response.json()["counters"] == {"overall": {"total": 3}, "filter": {"total": 3}}


@pytest.mark.django_db
def test_audit_runs_a_fixed_number_of_queries_per_page(demo_client, demo_user, django_assert_num_queries):
    def make(count):
        for _ in range(count):
            process = ProcessFactory(user=demo_user, created_at=at("2026-11-10T10:00:00"))
            ProcessRequestFactory(process=process)
            ProcessRequestFactory(process=process)
            ProcessDataFactory(process=process)

    make(3)
    # token user, page (with file flags), requests: the page shows the end, so it is the count
    with django_assert_num_queries(3):
        assert len(demo_client.get(AUDIT, {**PERIOD, "limit": 2001}).json()["actions"]) == 3
    make(27)
    with django_assert_num_queries(3):
        assert len(demo_client.get(AUDIT, {**PERIOD, "limit": 2001}).json()["actions"]) == 30
    # a full page, or a filter (the overall count differs): the counters query runs too
    for query in ({"limit": 10}, {"limit": 2001, "service": "UNIVERSAL"}):
        with django_assert_num_queries(4):
            demo_client.get(AUDIT, {**PERIOD, **query})


@pytest.mark.django_db
def test_audit_counters_are_the_period_counts_whatever_the_page(demo_client, demo_user):
    services = ["ROUTING", "UNIVERSAL", "ROUTING", "ROUTING", "UNIVERSAL"]
    for n, service in enumerate(services):
        ProcessFactory(user=demo_user, service=service, created_at=at(f"2026-11-10T10:0{n}:00"))
    ProcessFactory(user=demo_user, service="ROUTING", created_at=at("2026-12-05T10:00:00"))  # outside the period
    for offset in range(7):
        for limit in (1, 2, 5, 6):
            for service, filtered in ((None, 5), ("ROUTING", 3), ("PACKER", 0)):
                query = {**PERIOD, "offset": offset, "limit": limit, **({"service": service} if service else {})}
                body = demo_client.get(AUDIT, query).json()
                counters = {"overall": {"total": 5}, "filter": {"total": filtered}}
                assert body["counters"] == counters, query
                assert len(body["actions"]) == max(0, min(limit, filtered - offset)), query


# --- data ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "content"), [({}, b"input-bytes"), ({"data_flow_type": "OUTPUT"}, b"output-bytes")])
def test_read_data_returns_the_stored_bytes(demo_client, actions, query, content):
    response = demo_client.get(f"/account/data/{actions['first'].process_code}", query, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response.content == content


@pytest.mark.django_db
def test_missing_flow_unknown_and_invisible_processes_are_general404(demo_client, actions):
    for code, query in (
        (actions["second"].process_code, {"data_flow_type": "OUTPUT"}),
        (uuid.uuid4(), {}),
        (actions["foreign"].process_code, {}),
    ):
        response = demo_client.get(f"/account/data/{code}", query)
        assert response.status_code == 404
        body = response.json()
        assert body == {"resource_key": str(code), "detail": {"tracedata": body["detail"]["tracedata"]}}
        assert is_trace(body["detail"]["tracedata"], operation="read_data", username="demo", company="demo_company")


@pytest.mark.django_db
def test_a_vrt_admin_reads_the_data_of_the_company(company, actions):
    from tests.conftest import bearer_client

    boss = UserFactory(username="boss", company=company, roles=[UserRole.ADMIN])
    assert bearer_client(boss).get(f"/account/data/{actions['first'].process_code}").content == b"input-bytes"
    assert bearer_client(boss).get(f"/account/data/{actions['foreign'].process_code}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "query", "entity"),
    [
        ("not-a-uuid", {}, "process_code"),
        (None, {"data_flow_type": "BOTH"}, "data_flow_type"),
        (None, {"data_flow_stage": "CLEAN"}, "data_flow_stage"),
    ],
)
def test_read_data_bad_input_is_general400(demo_client, actions, code, query, entity):
    response = demo_client.get(f"/account/data/{code or actions['first'].process_code}", query)
    assert response.status_code == 400
    assert [error["entity"] for error in response.json()["schema_errors"]] == [entity]
