"""The fast row builders and the serializers that document them describe one shape.

Lists are built by ``terminal_representation``/``shop_representation`` from ``.values()``
rows (no serializer per row); ``TerminalSerializer``/``ShopSerializer`` document them for
the schema and OPTIONS. Over the demo data, every built dict has exactly the serializer's
fields, and the API answers exactly the built dicts.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rest_framework.test import APIRequestFactory

from terminals import demo, selectors
from terminals.links import ResourceLinks
from terminals.serializers import ShopSerializer, TerminalSerializer, shop_representation, terminal_representation

pytestmark = pytest.mark.django_db

BUILDERS = [
    ("/api/v1/terminals/", terminal_representation, TerminalSerializer, selectors.terminal_list),
    ("/api/v1/shops/", shop_representation, ShopSerializer, selectors.shop_list),
]


@pytest.fixture
def demo_data(company):
    demo.seed(actors=SimpleNamespace(company=company))


@pytest.mark.parametrize(("path", "build", "serializer", "rows"), BUILDERS)
def test_every_built_row_has_exactly_the_serializers_fields(demo_data, company, path, build, serializer, rows):
    links = ResourceLinks(APIRequestFactory().get(path))
    built = [build(links, row) for row in rows(company=company)]
    assert built, "the demo has rows"
    assert [set(item) for item in built] == [set(serializer().fields)] * len(built)


@pytest.mark.parametrize(("path", "build", "serializer", "rows"), BUILDERS)
def test_the_list_answers_the_built_rows(demo_data, demo_client, company, path, build, serializer, rows):
    links = ResourceLinks(APIRequestFactory().get(path))
    expected = [build(links, row) for row in rows(company=company)]
    assert demo_client.get(path).json()["results"] == expected


@pytest.mark.parametrize(("path", "build", "serializer", "rows"), BUILDERS)
def test_the_serializer_of_a_model_instance_answers_the_built_row(demo_data, company, path, build, serializer, rows):
    request = APIRequestFactory().get(path)
    row = rows(company=company).first()
    instance = (
        selectors.terminal_get(company=company, terminal_id=row["terminal_id"])
        if serializer is TerminalSerializer
        else company.shops.get(shop_id=row["shop_id"])
    )
    assert serializer(instance, context={"request": request}).data == build(ResourceLinks(request), row)
