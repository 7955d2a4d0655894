"""Parallel creation of calculations through HTTP (issue 8, item 3).

The service-level race is ``test_numbering.test_concurrent_creation_gets_distinct_consecutive_numbers``;
this drives the same race through ``POST /formula/calculations/write`` with one client per thread.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from calculations.models import Calculation
from tests.concurrency import run_parallel, statuses
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, PER_THREAD = 6, 4


def test_parallel_new_calculations_get_distinct_consecutive_numbers(demo_user):
    def create():
        client = bearer_client(demo_user)
        return lambda: [
            client.post("/formula/calculations/write", {"status": "NEW"}, format="json") for _ in range(PER_THREAD)
        ]

    batches = run_parallel([create() for _ in range(THREADS)])
    responses = [response for batch in batches for response in batch]
    assert statuses(responses) == [200] * THREADS * PER_THREAD
    year = timezone.localdate().year
    expected = [f"{year}-{seq:04d}" for seq in range(1, THREADS * PER_THREAD + 1)]
    assert sorted(response.json()["number"] for response in responses) == expected
    assert sorted(Calculation.objects.values_list("number", flat=True)) == expected
    assert {response.json()["guid"] for response in responses} == {
        str(guid) for guid in Calculation.objects.values_list("guid", flat=True)
    }
