"""Authorization rows of the terminals app: every URL pattern × actor (DECISIONS §2).

Any authenticated user of the company reads and writes its shops and terminals; ``other``
(another company) gets 404 for the demo company's objects and cannot use its shops.
"""

from __future__ import annotations

from terminals.services import shops_upsert, terminals_upsert
from tests.authz import Row
from tests.factories import TEST_PASSWORD

SAMPLE_VALUES = {"tid": "1-1", "shop": "1"}


def setup(users) -> dict:
    company = users["demo"].company
    shops_upsert(company=company, items=[{"shop_id": "1", "name": "Shop 1"}, {"shop_id": "2", "name": "Shop 2"}])
    terminals_upsert(company=company, items=[{"terminal_id": "1-1", "shop_id": "1", "name": "Kassa 1"}])
    return dict(SAMPLE_VALUES)


def everyone(status: int, *, anonymous: int = 401, other: int | None = None) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "demo": status,
        "viewer": status,
        "admin": status,
        "other": status if other is None else other,
    }


NEW_TERMINAL = {"terminal_id": "9-1", "shop_id": "2", "name": "New"}
NEW_SHOP = {"shop_id": "7", "name": "Shop 7"}

ROWS = [
    # terminals, list
    Row("GET", "/api/v1/terminals/", everyone(200)),
    Row("HEAD", "/api/v1/terminals/", everyone(200)),
    Row("OPTIONS", "/api/v1/terminals/", everyone(200)),
    Row("POST", "/api/v1/terminals/", everyone(201, other=400), data=NEW_TERMINAL, note="other: shop unknown"),
    Row("POST", "/api/v1/terminals/", everyone(201, other=400), data=[NEW_TERMINAL]),
    Row("GET", "/api/v1/terminals/.json", everyone(200)),
    Row("GET", "/api/v1/terminals", everyone(200)),
    # terminals, detail
    Row("GET", "/api/v1/terminals/{tid}/", everyone(200, other=404)),
    Row("HEAD", "/api/v1/terminals/{tid}/", everyone(200, other=404)),
    Row("OPTIONS", "/api/v1/terminals/{tid}/", everyone(200)),
    Row(
        "PUT",
        "/api/v1/terminals/{tid}/",
        everyone(200, other=404),
        data={"terminal_id": "1-1", "name": "Renamed", "shop_id": "1"},
    ),
    Row("PATCH", "/api/v1/terminals/{tid}/", everyone(200, other=404), data={"name": "Patched"}),
    Row("DELETE", "/api/v1/terminals/{tid}/", everyone(204, other=404)),
    Row("GET", "/api/v1/terminals/{tid}.json", everyone(200, other=404)),
    Row("GET", "/api/v1/terminals/{tid}", everyone(200, other=404)),
    # shops
    Row("GET", "/api/v1/shops/", everyone(200)),
    Row("HEAD", "/api/v1/shops/", everyone(200)),
    Row("OPTIONS", "/api/v1/shops/", everyone(200)),
    Row("POST", "/api/v1/shops/", everyone(201), data=NEW_SHOP, note="other: a shop of its own company"),
    Row("GET", "/api/v1/shops/.json", everyone(200)),
    Row("GET", "/api/v1/shops", everyone(200)),
    Row("GET", "/api/v1/shops/{shop}/", everyone(200, other=404)),
    Row("PUT", "/api/v1/shops/{shop}/", everyone(405), data=NEW_SHOP),
    Row("DELETE", "/api/v1/shops/{shop}/", everyone(405)),
    Row("GET", "/api/v1/shops/{shop}.json", everyone(200, other=404)),
    Row("GET", "/api/v1/shops/{shop}", everyone(200, other=404)),
    # OAuth2 token: anonymous by design; the form names the user, whoever calls
    Row(
        "POST",
        "/api/o/token/",
        everyone(200, anonymous=200),
        data={"grant_type": "password", "username": "demo", "password": TEST_PASSWORD},
        format=None,
    ),
    Row(
        "POST",
        "/api/o/token/",
        everyone(400, anonymous=400),
        data={"grant_type": "password", "username": "other", "password": "wrong-password-1"},
        format=None,
    ),
]
