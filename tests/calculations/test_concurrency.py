"""Parallel creation of calculations through HTTP: numbers stay distinct and consecutive under load.

The service-level race is ``test_numbering.test_concurrent_creation_gets_distinct_consecutive_numbers``;
this drives the same race through ``POST /formula/calculations/write`` with one client per thread.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    TechnicalRequirement,
)
from calculations.reference import S
from tests.calculations.helpers import comp
from tests.concurrency import run_parallel, statuses
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, PER_THREAD = 6, 4
BND70, BND100 = S(7), S(8)


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


def test_an_edit_replacing_rows_racing_a_delete_leaves_nothing_behind(catalog, demo_user):
    for _ in range(6):
        setup = bearer_client(demo_user)
        body = setup.post("/formula/calculations/write", {"components": [comp(BND70, 100)]}, format="json").json()
        editor, deleter = bearer_client(demo_user), bearer_client(demo_user)
        edit = {"guid": body["guid"], "components": [comp(BND100, 60), comp(BND70, 40)]}
        edited, deleted = run_parallel(
            [
                lambda c=editor, b=edit: c.post("/formula/calculations/write", b, format="json"),
                lambda c=deleter, g=body["guid"]: c.delete(f"/formula/calculations/delete?guid={g}"),
            ]
        )
        assert (deleted.status_code, deleted.content) == (200, b""), deleted.content
        assert edited.status_code in (200, 404), edited.content
        assert not Calculation.objects.filter(guid=body["guid"]).exists()
        assert CalculationComponent.objects.count() == CalculationComponentIndicator.objects.count() == 0
        assert TechnicalRequirement.objects.count() == 0


def test_a_comment_change_racing_a_delete_is_200_or_404(catalog, demo_user):
    for _ in range(8):
        body = bearer_client(demo_user).post("/formula/calculations/write", {}, format="json").json()
        commenter, deleter = bearer_client(demo_user), bearer_client(demo_user)
        commented, deleted = run_parallel(
            [
                lambda c=commenter, g=body["guid"]: c.post(
                    f"/formula/calculations/writeOnlist?guid={g}", {"comment": "гонка"}, format="json"
                ),
                lambda c=deleter, g=body["guid"]: c.delete(f"/formula/calculations/delete?guid={g}"),
            ]
        )
        assert deleted.status_code == 200, deleted.content
        assert commented.status_code in (200, 404), commented.content
        if commented.status_code == 404:
            assert commented.json() == {"detail": "Calculation not found."}
        assert not Calculation.objects.filter(guid=body["guid"]).exists()
