"""Each response builder emits exactly the fields its documenting serializer declares.

The bodies are plain dicts for speed (DECISIONS §7) and the serializers document them; this
keeps the two from drifting, recursively (rows, their indicators), over the demo data.
"""

from __future__ import annotations

import pytest
from rest_framework import serializers

from accounts.demo import demo_actors_ensure
from calculations import demo, selectors
from calculations import serializers as s
from calculations.models import Calculation
from calculations.serializers.catalogs import CATALOGS
from calculations.services.access import user_access_role

pytestmark = pytest.mark.django_db


def mismatches(body, serializer: serializers.Serializer, path: str = "") -> list[str]:
    """Where ``body`` has other keys than ``serializer``'s fields, descending into nested ones."""
    fields = serializer.fields
    problems = [] if set(body) == set(fields) else [f"{path or '.'}: {sorted(set(body) ^ set(fields))}"]
    for name, field in fields.items():
        if name not in body:
            continue
        if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.Serializer):
            for index, item in enumerate(body[name]):
                problems += mismatches(item, field.child, f"{path}.{name}[{index}]")
        elif isinstance(field, serializers.Serializer):
            problems += mismatches(body[name], field, f"{path}.{name}")
    return problems


@pytest.fixture
def actors():
    actors = demo_actors_ensure(password="demo-password-2026")
    demo.seed(actors=actors)
    return actors


def test_demo_data_has_rows_of_every_shape(actors):
    details = [selectors.calculation_detail(guid=c.guid) for c in Calculation.objects.all()]
    assert any(d.components for d in details)
    assert any(values for d in details for _, values in d.components)
    assert any(d.requirements for d in details)
    assert all(CATALOGS[name].rows(actors.demo) for name in CATALOGS)


def test_calculation_builders_match_their_serializers(actors):
    for row in selectors.calculation_rows_of(selectors.calculation_search(selectors.CalculationFilters())):
        assert mismatches(s.calculation_row_data(row), s.CalculationRowOutputSerializer()) == []
    for calculation in selectors.calculation_search(selectors.CalculationFilters()):
        detail = selectors.calculation_detail(guid=calculation.guid)
        assert mismatches(s.calculation_detail_data(detail), s.CalculationDetailOutputSerializer()) == []


@pytest.mark.parametrize("name", list(CATALOGS))
def test_catalog_builders_match_their_serializers(actors, name):
    catalog = CATALOGS[name]
    for row in catalog.rows(actors.demo):
        assert mismatches(catalog.build(row), catalog.serializer()) == [], name


def test_user_builders_match_their_serializers(actors):
    assert mismatches(s.user_data(actors.demo), s.FormulaUserOutputSerializer()) == []
    assert mismatches(user_access_role(actors.demo), s.FormulaAccessRoleOutputSerializer()) == []


def test_the_list_page_and_the_list_row_match_their_serializers(actors):
    from tests.conftest import bearer_client

    client = bearer_client(actors.demo)
    page = client.post("/formula/calculations/list", {"defaultQuantity": 2}, format="json").json()
    assert len(page["calculations"]) == 2
    assert mismatches(page, s.CalculationListOutputSerializer()) == []
    guid = page["calculations"][0]["guid"]
    on_list = client.post(f"/formula/calculations/writeOnlist?guid={guid}", {"comment": "c"}, format="json").json()
    assert mismatches(on_list, s.CalculationOnListOutputSerializer()) == []


def test_mismatches_names_the_nested_field_that_drifted():
    body = {"calculation": {**dict.fromkeys(s.CalculationRowOutputSerializer().fields), "extra": 1}}
    assert mismatches(body, s.CalculationOnListOutputSerializer()) == [".calculation: ['extra']"]
