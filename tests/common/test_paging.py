"""``common.paging``: the page first, a COUNT only when the page cannot tell the total."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.paging import rows_at, total_of
from passports.models import Employee
from tests.passports.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ROWS = 7


@pytest.fixture
def ordered():
    EmployeeFactory.create_batch(ROWS)
    return Employee.objects.order_by("id")


def test_every_window_gives_the_true_total_and_counts_only_when_it_must(ordered):
    ids = list(ordered.values_list("id", flat=True))
    for offset in range(ROWS + 3):
        for limit in range(ROWS + 3):
            with CaptureQueriesContext(connection) as queries:
                rows = rows_at(ordered, offset, limit)
                total = total_of(ordered, offset, limit, rows)
            shows_end = len(rows) < limit and (rows or offset == 0)
            expected_queries = (1 if limit else 0) + (0 if shows_end else 1)
            assert [row.id for row in rows] == ids[offset : offset + limit], (offset, limit)
            assert (total, len(queries)) == (ROWS, expected_queries), (offset, limit)


def test_an_empty_list_is_counted_from_its_first_page_alone():
    with CaptureQueriesContext(connection) as queries:
        rows = rows_at(Employee.objects.order_by("id"), 0, 20)
        total = total_of(Employee.objects.order_by("id"), 0, 20, rows)
    assert (rows, total, len(queries)) == ([], 0, 1)


def test_a_sequence_is_measured_with_len():
    items = list(range(30))
    assert total_of(items, 10, 10, rows_at(items, 10, 10)) == 30
    assert total_of(items, 40, 10, rows_at(items, 40, 10)) == 30
    assert total_of(items, 25, 10, rows_at(items, 25, 10)) == 30


def test_an_offset_past_any_table_reads_nothing_and_counts(ordered):
    offset = 10**22
    with CaptureQueriesContext(connection) as queries:
        rows = rows_at(ordered, offset, 5)
        total = total_of(ordered, offset, 5, rows)
    assert (rows, total, len(queries)) == ([], ROWS, 1)
