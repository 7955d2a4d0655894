"""The terminals app's part of ``seed_demo``: shops and cash terminals of ``demo_company``."""

from __future__ import annotations

from terminals.services import shops_upsert, terminals_upsert

DEMO_SHOPS = [
    {"shop_id": "1", "name": "Магазин №1", "address": "ул. Спартака, д. 88", "open_date": "2014-03-01",
     "latitude": "49.42127200", "longitude": "27.00445200", "group_id": "15", "format_id": "5"},
    {"shop_id": "2", "name": "Магазин №2", "address": "пр. Мира, д. 12", "open_date": "2015-09-15",
     "latitude": "50.45010000", "longitude": "30.52340000", "group_id": "15", "format_id": "5"},
    {"shop_id": "3", "name": "Магазин №3", "address": "ул. Садовая, д. 3", "open_date": None,
     "latitude": None, "longitude": None, "group_id": None, "format_id": "7"},
]  # fmt: skip


def _terminals() -> list[dict]:
    rows = [
        {"terminal_id": f"{shop}-{n}", "shop_id": str(shop), "name": f"Kassa {n}"} for shop in (1, 2) for n in (1, 2, 3)
    ]
    rows.append({"terminal_id": "CAT11", "shop_id": "3", "name": "Kassa 1"})
    return rows


def seed(*, actors) -> str:
    """Create (or refresh to the same values) the demo shops and terminals; idempotent."""
    shops = shops_upsert(company=actors.company, items=DEMO_SHOPS)
    terminals = terminals_upsert(company=actors.company, items=_terminals())
    return (
        f"shops: {shops.inserted} new, {shops.updated} refreshed; "
        f"terminals: {terminals.inserted} new, {terminals.updated} refreshed"
    )
