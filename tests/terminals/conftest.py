"""Shops and terminals of the demo and other companies, built through the services."""

from __future__ import annotations

import pytest

from terminals.services import shops_upsert, terminals_upsert


@pytest.fixture
def shops(company):
    shops_upsert(
        company=company,
        items=[
            {"shop_id": "1", "name": "Shop 1"},
            {"shop_id": "2", "name": "Shop 2"},
            {"shop_id": "3", "name": "Shop 3"},
        ],
    )


@pytest.fixture
def terminals(shops, company):
    terminals_upsert(
        company=company,
        items=[
            {"terminal_id": "1-1", "shop_id": "1", "name": "Kassa 1"},
            {"terminal_id": "1-2", "shop_id": "1", "name": "Kassa 2"},
            {"terminal_id": "2-1", "shop_id": "2", "name": "Kassa 1"},
        ],
    )


@pytest.fixture
def other_terminals(other_company):
    shops_upsert(company=other_company, items=[{"shop_id": "1", "name": "Other shop"}, {"shop_id": "9", "name": "S9"}])
    terminals_upsert(company=other_company, items=[{"terminal_id": "9-9", "shop_id": "9", "name": "Other kassa"}])
