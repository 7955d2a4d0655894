"""The statistics rollup (``ProcessUsage``) equals the aggregate of the processes after every kind
of write, because PostgreSQL triggers keep it, not the code paths that happen to remember it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from accounts.demo import demo_usage
from accounts.imports import processes_import
from accounts.models import BILLED_STATUSES, CalculationStatus, Process, ProcessUsage
from accounts.selectors import STATISTICS_FROM_PROCESSES_SQL, statistics_rows, statistics_sql
from tests.accounts.factories import ProcessFactory
from tests.concurrency import run_parallel
from tests.factories import UserFactory

PERIOD = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}


def from_processes(user) -> list[tuple]:
    sql, params = statistics_sql(user=user, **PERIOD, source=STATISTICS_FROM_PROCESSES_SQL)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def rollup(user) -> list[tuple]:
    user.refresh_from_db()
    return [tuple(row) for row in statistics_rows(user=user, **PERIOD)]


def assert_exact(*users) -> None:
    for user in users:
        assert rollup(user) == from_processes(user)


@pytest.fixture
def user(company):
    return UserFactory(username="usage", company=company, timezone=3)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.django_db
def test_rows_are_the_billed_sums_per_local_day_service_and_type(user):
    ProcessFactory(user=user, created_at=at(10, 20, 59), request_points_count=5)  # 23:59 local: the 10th
    ProcessFactory(user=user, created_at=at(10, 21, 0), request_points_count=7)  # 00:00 local: the 11th
    ProcessFactory(user=user, created_at=at(10, 22), service="ROUTING", process_type="TRACE", unique_points_count=1)
    ProcessFactory(user=user, created_at=at(10, 12), status="FAILED")  # not billed
    assert rollup(user) == [
        (date(2026, 11, 10), "UNIVERSAL", "PLAN", 5, 8, 2, 1),
        (date(2026, 11, 11), "ROUTING", "TRACE", 10, 1, 2, 1),
        (date(2026, 11, 11), "UNIVERSAL", "PLAN", 7, 8, 2, 1),
    ]
    assert_exact(user)


@pytest.mark.django_db
def test_only_the_billed_statuses_are_counted(user):
    for status in CalculationStatus.values:
        ProcessFactory(user=user, status=status)
    (row,) = rollup(user)
    assert row[-1] == len(BILLED_STATUSES)
    assert_exact(user)


@pytest.mark.django_db
def test_updates_moves_and_deletes_keep_the_rollup_exact(user, company):
    other = UserFactory(username="usage2", company=company, timezone=-5)
    processes = [ProcessFactory(user=user, created_at=at(day, 12)) for day in (3, 3, 4, 5)]
    assert_exact(user, other)

    processes[0].status = "FAILED"  # billed → not billed
    processes[0].save()
    processes[1].request_points_count = None
    processes[1].save()
    processes[2].created_at = at(4, 22)  # the next local day
    processes[2].save()
    assert_exact(user, other)

    Process.objects.filter(pk=processes[3].pk).update(user=other)  # one UPDATE statement, two users
    Process.objects.filter(pk=processes[0].pk).update(status="FINISHED_OUT_OF_TIME")
    assert_exact(user, other)

    Process.objects.filter(user=user).delete()
    assert_exact(user, other)
    assert not ProcessUsage.objects.filter(user=user).exists()  # keys at zero are gone


@pytest.mark.django_db
def test_a_new_timezone_moves_every_billing_day_of_the_user(user):
    ProcessFactory(user=user, created_at=at(10, 22))  # the 11th at +3
    user.timezone = -3
    user.save(update_fields=["timezone"])
    assert [row[0] for row in rollup(user)] == [date(2026, 11, 10)]
    assert_exact(user)


@pytest.mark.django_db
def test_the_import_command_path_keeps_the_rollup_exact(user):
    actions = demo_usage(user=user, now=at(20, 12), per_day=(3, 6), days=10)
    summary = processes_import(lines=(json.dumps(action) for action in actions))
    assert summary.processes == len(actions) == Process.objects.filter(user=user).count()
    billed = Process.objects.filter(user=user, status__in=BILLED_STATUSES, created_at__gte=at(1, 0)).count()
    assert sum(row[-1] for row in rollup(user)) == billed > 0
    assert_exact(user)


@pytest.mark.django_db
def test_deleting_through_the_admin_keeps_the_rollup_exact(user, admin_client):
    kept, deleted = ProcessFactory(user=user), ProcessFactory(user=user, request_points_count=1)
    response = admin_client.post(
        "/admin/accounts/process/", {"action": "delete_selected", "_selected_action": [deleted.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert list(Process.objects.values_list("pk", flat=True)) == [kept.pk]
    assert rollup(user) == [(date(2026, 11, 10), "UNIVERSAL", "PLAN", 10, 8, 2, 1)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_key_are_all_counted(company):
    user = UserFactory(username="usage3", company=company)

    def write(n: int):
        def call():
            with transaction.atomic():
                ProcessFactory.create_batch(20, user=user, request_points_count=n)

        return call

    run_parallel([write(n) for n in range(1, 5)])
    assert rollup(user) == [(date(2026, 11, 10), "UNIVERSAL", "PLAN", 20 * (1 + 2 + 3 + 4), 8 * 80, 2 * 80, 80)]
    assert_exact(user)
