"""What the Datawiz client really sends: pandas' ``NaN``/``Infinity``, and error
lists it can tell apart (it finds failed items with ``errors.index(entry)``)."""

from __future__ import annotations

import pytest

from terminals.models import Shop, Terminal
from tests.terminals.helpers import row, shop

pytestmark = pytest.mark.django_db

REQUIRED = ["This field is required."]
TAKEN = ["Terminal with this Shop and Name already exists."]


def stored(company):
    return sorted(Terminal.objects.filter(company=company).values_list("terminal_id", "shop__shop_id", "name"))


def stored_shops(company):
    return list(
        Shop.objects.filter(company=company)
        .order_by("shop_id")
        .values_list("shop_id", "name", "address", "open_date", "latitude", "longitude", "group_id", "format_id")
    )


def post_json(client, path, text):
    return client.generic("POST", path, text, content_type="application/json")


def test_shop_chunk_with_nan_and_infinity_is_stored_as_nulls(demo_client, company):
    text = (
        '[{"shop_id": "s1", "name": "Shop 1", "address": NaN, "open_date": NaN, "group_id": NaN, "format_id": NaN},'
        ' {"shop_id": "s2", "name": "Shop 2", "address": "Kyiv", "latitude": Infinity, "longitude": -Infinity}]'
    )
    response = post_json(demo_client, "/api/v1/shops/", text)
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 2})
    assert stored_shops(company) == [
        ("s1", "Shop 1", "", None, None, None, None, None),
        ("s2", "Shop 2", "Kyiv", None, None, None, None, None),
    ]
    listed = demo_client.get("/api/v1/shops/")
    assert listed.json()["results"] == [shop("s1", "Shop 1"), shop("s2", "Shop 2", address="Kyiv")]


def test_nan_where_a_value_is_required_is_the_usual_error(demo_client, terminals, company):
    before = stored(company)
    text = '[{"terminal_id": "t1", "shop_id": "1", "name": NaN}, {"terminal_id": "t2", "shop_id": NaN, "name": "K"}]'
    response = post_json(demo_client, "/api/v1/terminals/", text)
    assert (response.status_code, response.json()) == (400, [{"name": REQUIRED}, {"shop_id": REQUIRED}])
    single = demo_client.generic(
        "PUT",
        "/api/v1/terminals/1-1/",
        '{"terminal_id": "1-1", "shop_id": "1", "name": -Infinity}',
        content_type="application/json",
    )
    assert (single.status_code, single.json()) == (400, {"name": REQUIRED})
    assert stored(company) == before


def test_nan_is_not_a_string_token(demo_client, shops, company):
    # only the bare tokens are null; the text "NaN" is a name like any other
    response = post_json(demo_client, "/api/v1/terminals/", '{"terminal_id": "t1", "shop_id": "1", "name": "NaN"}')
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert stored(company) == [("t1", "1", "NaN")]


def test_equal_errors_name_their_item(demo_client, shops, company):
    items = [
        {"terminal_id": "a", "shop_id": "1", "name": ""},
        {"terminal_id": "b", "shop_id": "9", "name": "B"},
        {"terminal_id": "c", "shop_id": "1", "name": None},
        {"terminal_id": "d", "shop_id": "1", "name": "D"},
        {"terminal_id": "e", "shop_id": "8", "name": "E"},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    # the two blank names fail alike and get their index; the two unknown shops differ already
    assert (response.status_code, response.json()) == (
        400,
        [
            {"name": REQUIRED, "index": 0},
            {"shop_id": ["Shop with id=9 does not exist"]},
            {"name": REQUIRED, "index": 2},
            {},
            {"shop_id": ["Shop with id=8 does not exist"]},
        ],
    )
    assert stored(company) == []


def test_equal_shop_errors_name_their_item(demo_client, company):
    items = [{"shop_id": "s1", "name": ""}, {"shop_id": "s2", "name": "Ok"}, {"shop_id": "s3"}]
    response = demo_client.post("/api/v1/shops/", items, format="json")
    assert (response.status_code, response.json()) == (
        400,
        [{"name": REQUIRED, "index": 0}, {}, {"name": REQUIRED, "index": 2}],
    )
    assert stored_shops(company) == []


def test_an_exact_repeat_is_written_once(demo_client, shops, company):
    item = {"terminal_id": "r", "shop_id": "1", "name": "Kassa r"}
    response = demo_client.post(
        "/api/v1/terminals/", [item, {"terminal_id": "s", "shop_id": "2", "name": "S"}, item], format="json"
    )
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 2})
    assert stored(company) == [("r", "1", "Kassa r"), ("s", "2", "S")]
    assert demo_client.get("/api/v1/terminals/r/").json() == row("r", "Kassa r", "1")
    again = demo_client.post("/api/v1/terminals/", [item, item], format="json")
    assert (again.status_code, again.json()) == (201, {"updated": 1, "inserted": 0})
    assert stored(company) == [("r", "1", "Kassa r"), ("s", "2", "S")]


def test_an_exact_repeat_shares_the_first_ones_fate(demo_client, terminals, company):
    before = stored(company)
    taken = {"terminal_id": "n", "shop_id": "1", "name": "Kassa 1"}  # "1-1" holds that name
    response = demo_client.post("/api/v1/terminals/", [taken, taken], format="json")
    assert (response.status_code, response.json()) == (
        400,
        [{"non_field_errors": TAKEN, "index": 0}, {"non_field_errors": TAKEN, "index": 1}],
    )
    blank = {"terminal_id": "m", "shop_id": "1", "name": " "}
    response = demo_client.post("/api/v1/terminals/", [blank, blank], format="json")
    assert (response.status_code, response.json()) == (
        400,
        [{"name": REQUIRED, "index": 0}, {"name": REQUIRED, "index": 1}],
    )
    assert stored(company) == before


def test_a_conflicting_duplicate_is_still_an_error(demo_client, shops, company):
    items = [
        {"terminal_id": "d", "shop_id": "1", "name": "A"},
        {"terminal_id": "d", "shop_id": "1", "name": "A"},
        {"terminal_id": "d", "shop_id": "1", "name": "B"},
        {"terminal_id": "d", "shop_id": "2", "name": "A"},
    ]
    response = demo_client.post("/api/v1/terminals/", items, format="json")
    duplicate = ["Duplicate terminal_id in this request."]
    assert (response.status_code, response.json()) == (
        400,
        [{}, {}, {"terminal_id": duplicate, "index": 2}, {"terminal_id": duplicate, "index": 3}],
    )
    assert stored(company) == []


def test_an_exact_shop_repeat_is_written_once_and_a_conflicting_one_refused(demo_client, company):
    item = {"shop_id": "s1", "name": "Shop 1", "address": "Kyiv"}
    response = demo_client.post("/api/v1/shops/", [item, item], format="json")
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    conflicting = demo_client.post("/api/v1/shops/", [item, {**item, "address": "Lviv"}], format="json")
    assert (conflicting.status_code, conflicting.json()) == (
        400,
        [{}, {"shop_id": ["Duplicate shop_id in this request."]}],
    )
    assert stored_shops(company) == [("s1", "Shop 1", "Kyiv", None, None, None, None, None)]
