"""The calculation detail, read by queries compiled once per process, answers what the ORM reads.

``selectors.calculation_detail`` runs four compiled queries (the calculation with its author,
its component rows, their indicator values read by the calculation, its requirements with
their indicator). Over the demo calculations, one with no rows and one whose rows have no
values, it gives the instances and the order the ORM's prefetches give; through HTTP the detail
runs those four queries after the token's and the permissions', whatever the number of rows
(the values' query is left out when there are no rows);
an unknown calculation is a 404.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from accounts.demo import demo_actors_ensure
from calculations import demo, selectors
from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    TechnicalRequirement,
)
from calculations.services.calculations import calculation_create
from tests.compiled import fields_of

pytestmark = pytest.mark.django_db

URL = "/formula/calculations/write"


@pytest.fixture
def calculations():
    actors = demo_actors_ensure(password="demo-password-2026")
    demo.seed(actors=actors)
    calculation_create(author=actors.demo, comment="Без строк")  # no rows at all
    no_values = Calculation.objects.filter(components__isnull=False).order_by("number").last()
    CalculationComponentIndicator.objects.filter(calc_component__calculation=no_values).delete()
    return list(Calculation.objects.order_by("number"))


def orm_detail(guid) -> tuple:
    """The detail as the ORM's prefetches read it (what the selector read before it was compiled)."""
    calculation = (
        Calculation.objects.select_related("author")
        .prefetch_related(
            Prefetch(
                "components",
                queryset=CalculationComponent.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=CalculationComponentIndicator.objects.order_by("position", "indicator_id"),
                    )
                ),
            ),
            Prefetch(
                "technical_requirements",
                queryset=TechnicalRequirement.objects.select_related("indicator").order_by("position"),
            ),
        )
        .get(guid=guid)
    )
    components = [(row, list(row.indicators.all())) for row in calculation.components.all()]
    return calculation, components, list(calculation.technical_requirements.all())


def loaded(detail) -> tuple:
    calculation, components, requirements = detail
    return (
        fields_of(calculation),
        fields_of(calculation.author),
        [(fields_of(row), [fields_of(v) for v in values]) for row, values in components],
        [(fields_of(r), fields_of(r.indicator)) for r in requirements],
    )


def test_every_detail_is_what_the_orm_reads(calculations):
    shapes = set()
    for calculation in calculations:
        got = selectors.calculation_detail(guid=calculation.guid)
        expected = orm_detail(calculation.guid)
        with CaptureQueriesContext(connection) as related:
            mine = loaded((got.calculation, got.components, got.requirements))
        assert related.captured_queries == []  # the author and the indicators came with the rows
        assert mine == loaded(expected), calculation.number
        shapes.add((bool(got.components), any(values for _, values in got.components), bool(got.requirements)))
    # with rows and values, rows without values, no rows at all: every shape was compared
    assert {(True, True, True), (True, False, True), (False, False, False)} <= shapes


def test_the_detail_runs_four_queries_whatever_its_rows(demo_client, calculations):
    counts = {}
    for calculation in calculations:
        with CaptureQueriesContext(connection) as queries:
            response = demo_client.get(URL, {"guid": str(calculation.guid)})
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["guid"], len(body["components"])) == (
            str(calculation.guid),
            calculation.components.count(),
        )
        counts[len(body["components"])] = len(queries)
    # the token, the permissions and the four reads; with no rows, there are no values to read
    assert counts == {0: 5, **{rows: 6 for rows in counts if rows}} and len(counts) > 2, counts


def test_an_unknown_calculation_is_a_404_after_one_lookup(demo_client, calculations):
    unknown = uuid.UUID("00000000-0000-4000-8000-000000000001")
    with CaptureQueriesContext(connection) as queries:
        response = demo_client.get(URL, {"guid": str(unknown)})
    assert (response.status_code, response.json()) == (404, {"detail": "Calculation not found."})
    looked_up = [q["sql"] for q in queries.captured_queries if '"calculations_calculation"' in q["sql"]]
    assert len(looked_up) == 1
