"""The audit's page of actions, compiled once per shape, answers what the ORM answers.

For every shape (who sees, which filters narrow the period, each sort field in both
directions) and several windows: the compiled SQL is the ORM's with the window as parameters,
and the rows are the ORM's rows, over processes of two users and two services, types and
statuses, with requests and data.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import selectors
from tests.accounts.factories import ProcessDataFactory, ProcessFactory, ProcessRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 11, 30, tzinfo=UTC)
VALUES = {"service": "ROUTING", "process_type": "PLAN", "status": "FAILED", "operation": "read_result"}


@pytest.fixture
def processes(demo_user):
    colleague = UserFactory(company=demo_user.company, username="colleague")
    kinds = itertools.product(("ROUTING", "UNIVERSAL"), ("PLAN", "VALIDATE"), ("FAILED", "FINISHED_IN_TIME"))
    for n, (service, process_type, status) in enumerate(kinds):
        for user in (demo_user, colleague):
            process = ProcessFactory(
                user=user,
                service=service,
                process_type=process_type,
                status=status,
                created_at=START + timedelta(hours=n, minutes=7 * (user is colleague)),
            )
            ProcessRequestFactory(process=process, operation="read_result" if n % 3 == 0 else "run_planning")
            if n % 2:
                ProcessDataFactory(process=process, flow_type="OUTPUT" if n % 4 == 1 else "INPUT")
    ProcessFactory(user=demo_user, created_at=END + timedelta(days=2))  # outside the period
    return demo_user, colleague


def _sql(capture) -> str:
    return capture.captured_queries[0]["sql"]


def test_every_shape_answers_the_orm_rows_with_the_orm_sql(processes):
    demo_user, _ = processes
    shapes = 0
    for admin in (False, True):
        owner = demo_user.company_id if admin else demo_user.pk
        for count in range(len(selectors.AUDIT_MATCH_FIELDS) + 1):
            for present in itertools.combinations(selectors.AUDIT_MATCH_FIELDS, count):
                match = {name: VALUES[name] for name in present}
                for sort_field, descending in itertools.product(sorted(selectors.AUDIT_SORT_FIELDS), (False, True)):
                    query = selectors.audit_actions_query((admin, present, sort_field, descending))
                    orm = selectors.audit_actions_queryset(admin, owner, START, END, sort_field, descending, **match)
                    for offset, limit in ((0, 3), (2, 100), (40, 5)):
                        with CaptureQueriesContext(connection) as expected_sql:
                            expected = list(orm[offset : offset + limit])
                        with CaptureQueriesContext(connection) as got_sql:
                            got = query.fetch_window(owner, START, END, *match.values(), offset=offset, limit=limit)
                        assert got == expected, (admin, present, sort_field, descending, offset, limit)
                        # the ORM leaves out OFFSET 0
                        literal = _sql(expected_sql) + ("" if offset else " OFFSET 0")
                        assert _sql(got_sql) == literal
                    shapes += 1
    assert shapes == 2 * 16 * len(selectors.AUDIT_SORT_FIELDS) * 2


def test_the_compiled_page_is_the_orm_query_with_the_window_as_parameters(processes):
    demo_user, _ = processes
    query = selectors.audit_actions_query((False, ("service",), "time", True))
    orm = selectors.audit_actions_queryset(False, demo_user.pk, START, END, "time", True, service="ROUTING")
    with CaptureQueriesContext(connection) as expected_sql:
        expected = list(orm[1:3])
    with CaptureQueriesContext(connection) as got_sql:
        rows = query.fetch_window(demo_user.pk, START, END, "ROUTING", offset=1, limit=2)
    assert _sql(expected_sql).endswith("LIMIT 2 OFFSET 1")
    assert _sql(got_sql) == _sql(expected_sql)
    assert rows == expected and len(rows) == 2 and all(row["service"] == "ROUTING" for row in rows)


def test_a_user_sees_only_its_own_actions_and_an_admin_its_company_s(processes):
    demo_user, colleague = processes
    own = selectors.audit_actions_query((False, (), "time", False)).fetch_window(
        demo_user.pk, START, END, offset=0, limit=100
    )
    company = selectors.audit_actions_query((True, (), "time", False)).fetch_window(
        demo_user.company_id, START, END, offset=0, limit=100
    )
    assert {row["username"] for row in own} == {demo_user.username} and len(own) == 8
    assert {row["username"] for row in company} == {demo_user.username, colleague.username} and len(company) == 16


def test_a_page_s_requests_are_the_orm_s_in_time_order_from_one_statement_whatever_the_page(processes):
    """``_AUDIT_REQUESTS``: the rows ``process_id__in`` reads, with one array parameter
    (``= ANY(%s)``) whatever the number of actions, so its SQL is built once."""
    from accounts.models import Process, ProcessRequest

    for process in Process.objects.all()[:5]:  # a few actions with several requests
        ProcessRequestFactory(process=process, operation="second")
    ids = list(Process.objects.order_by("id").values_list("id", flat=True))
    statements = set()
    for chosen in (ids[:1], ids[:3], ids[2:9], ids, [-1]):
        expected = list(
            ProcessRequest.objects.filter(process_id__in=chosen)
            .order_by("time", "id")
            .values("process_id", *selectors.AUDIT_REQUEST_FIELDS, time_text=selectors.UtcIsoformat("time"))
        )
        with CaptureQueriesContext(connection) as compiled:
            assert selectors._AUDIT_REQUESTS.fetch(chosen) == expected
        (sql,) = [q["sql"] for q in compiled.captured_queries]
        statements.add(sql.split(" = ANY(")[0])
    assert len(statements) == 1 and " = ANY(" in sql
    assert len(selectors._AUDIT_REQUESTS.fetch(ids)) == ProcessRequest.objects.count() == 16 + 5
