"""Numbering YYYY-NNNN through the counter table (calculations.md §6), under concurrency too."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from calculations.models import Calculation, CalculationNumberCounter
from calculations.services.calculations import calculation_create
from calculations.services.numbering import number_allocate, number_format


def test_format_widens_instead_of_truncating():
    assert number_format(year=2025, seq=1) == "2025-0001"
    assert number_format(year=2025, seq=12345) == "2025-12345"


@pytest.mark.django_db
def test_year_is_the_local_year(demo_user):
    # 2025-12-31T22:30Z is already 2026 in Moscow.
    calculation = calculation_create(author=demo_user, create_date=dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC))
    assert (calculation.year, calculation.number) == (2026, "2026-0001")
    other = calculation_create(author=demo_user, create_date=dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC))
    assert other.number == "2025-0001"


@pytest.mark.django_db
def test_rolled_back_creation_gives_its_number_back(demo_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_allocate(year=2030) == 1
        raise RuntimeError
    assert not CalculationNumberCounter.objects.filter(year=2030).exists()
    assert number_allocate(year=2030) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gets_distinct_consecutive_numbers(demo_user):
    threads_count, per_thread = 6, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_count)

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                calculation_create(author=demo_user, create_date=dt.datetime(2031, 6, 1, tzinfo=dt.UTC))
        except BaseException as exc:  # reported below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = threads_count * per_thread
    seqs = sorted(Calculation.objects.filter(year=2031).values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    assert CalculationNumberCounter.objects.get(year=2031).last_value == total
