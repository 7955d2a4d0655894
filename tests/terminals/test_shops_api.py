"""``/api/v1/shops/``: GET, HEAD, OPTIONS, POST upsert (one or a list); PUT/PATCH/DELETE → 405."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from terminals.models import Shop
from tests.terminals.helpers import BASE, shop

pytestmark = pytest.mark.django_db


FULL = {
    "shop_id": "30",
    "name": "Магазин №22",
    "address": "ул. Спартака, д. 88",
    "open_date": "2014-03-01",
    "latitude": "49.421272",
    "longitude": 27.004452,
    "group_id": 15,
    "format_id": "5",
}


def test_post_one_shop_then_read_it_in_every_spelling(demo_client, company):
    response = demo_client.post("/api/v1/shops/", FULL, format="json")
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert response["Location"] == f"{BASE}/shops/30/"
    expected = shop(
        "30",
        "Магазин №22",
        address="ул. Спартака, д. 88",
        open_date="2014-03-01",
        latitude="49.42127200",
        longitude="27.00445200",
        group_id="15",
        format_id="5",
    )
    for path in ("/api/v1/shops/30/", "/api/v1/shops/30", "/api/v1/shops/30.json", "/api/v1/shops/30/.json"):
        got = demo_client.get(path)
        assert (path, got.status_code, got.json()) == (path, 200, expected)
    row = Shop.objects.get(company=company, shop_id="30")
    assert (row.open_date, row.latitude, row.longitude) == (
        datetime.date(2014, 3, 1),
        Decimal("49.42127200"),
        Decimal("27.00445200"),
    )


def test_client_shaped_bulk_with_nulls_then_replace(demo_client, company):
    items = [
        {"shop_id": 1, "name": "One", "address": None, "open_date": None, "group_id": None, "format_id": None},
        {"shop_id": "2", "name": "Two", "address": "Addr", "open_date": None, "group_id": "", "format_id": "7"},
    ]
    response = demo_client.post("/api/v1/shops/", items, format="json")
    assert (response.status_code, response.json(), "Location" in response) == (
        201,
        {"updated": 0, "inserted": 2},
        False,
    )
    again = demo_client.post("/api/v1/shops/", [{"shop_id": "2", "name": "Two renamed"}], format="json")
    assert (again.status_code, again.json()) == (201, {"updated": 1, "inserted": 0})
    body = demo_client.get("/api/v1/shops/").json()
    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [shop("1", "One"), shop("2", "Two renamed")],
    }


def test_empty_collection_with_search(demo_client, shops):
    response = demo_client.get("/api/v1/shops/.json/?search=unknown-string")
    assert (response.status_code, response.json()) == (
        200,
        {"count": 0, "next": None, "previous": None, "results": []},
    )


def test_ordering_and_search(demo_client, shops):
    names = lambda r: [s["shop_id"] for s in r.json()["results"]]  # noqa: E731
    assert names(demo_client.get("/api/v1/shops/", {"ordering": "-identifier"})) == ["3", "2", "1"]
    assert names(demo_client.get("/api/v1/shops/", {"ordering": "-name", "search": "shop"})) == ["3", "2", "1"]
    assert names(demo_client.get("/api/v1/shops/", {"search": "Shop 2"})) == ["2"]


def test_bulk_errors_are_a_list_and_nothing_is_written(demo_client, company):
    items = [
        {"shop_id": "1", "name": "Ok"},
        {"shop_id": "2", "name": "", "open_date": "01.02.2020", "latitude": 91, "longitude": "east"},
        {"shop_id": "1", "name": "Again", "group_id": "g" * 51},
        {"name": "No id", "longitude": -181, "latitude": True},
    ]
    response = demo_client.post("/api/v1/shops/", items, format="json")
    assert response.status_code == 400
    assert response.json() == [
        {},
        {
            "name": ["This field is required."],
            "open_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            "latitude": ["Ensure this value is less than or equal to 90."],
            "longitude": ["A valid number is required."],
        },
        {
            "shop_id": ["Duplicate shop_id in this request."],
            "group_id": ["Ensure this field has no more than 50 characters."],
        },
        {
            "shop_id": ["This field is required."],
            "longitude": ["Ensure this value is greater than or equal to -180."],
            "latitude": ["A valid number is required."],
        },
    ]
    assert not Shop.objects.filter(company=company).exists()


def test_single_shop_error_is_a_dict(demo_client):
    response = demo_client.post("/api/v1/shops/", {"shop_id": "1"}, format="json")
    assert (response.status_code, response.json()) == (400, {"name": ["This field is required."]})


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_shop_writes_other_than_post_are_not_allowed(demo_client, shops, company, method):
    response = getattr(demo_client, method)("/api/v1/shops/1/", {"shop_id": "1", "name": "X"}, format="json")
    assert (response.status_code, response.json()) == (405, {"detail": f'Method "{method.upper()}" not allowed.'})
    assert Shop.objects.get(company=company, shop_id="1").name == "Shop 1"


def test_missing_shop_is_not_found(demo_client, shops):
    response = demo_client.get("/api/v1/shops/99/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_options_bodies(demo_client, shops):
    listing = demo_client.options("/api/v1/shops/").json()
    assert (listing["name"], listing["description"], list(listing["actions"])) == ("Shop List", "Shops", ["POST"])
    assert listing["actions"]["POST"]["shop_id"] == {
        "type": "string",
        "required": True,
        "read_only": False,
        "max_length": 50,
    }
    assert listing["actions"]["POST"]["latitude"] == {
        "type": "decimal",
        "required": False,
        "read_only": False,
        "max_digits": 11,
        "decimal_places": 8,
    }
    detail = demo_client.options("/api/v1/shops/1/").json()
    assert detail == {
        "name": "Shop Instance",
        "description": "my Shop doc",
        "renders": ["application/json", "text/html"],
        "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
    }


def test_browsable_api_for_shops(demo_client, shops):
    for path in ("/api/v1/shops/.api", "/api/v1/shops/1/?format=api"):
        response = demo_client.get(path)
        assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("open_date", "", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
        ("open_date", "2020-02-30", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
        ("latitude", "", "A valid number is required."),
        ("latitude", "1e1", "A valid number is required."),
        ("longitude", float("inf"), None),
    ],
)
def test_json_blank_or_odd_values_are_refused(demo_client, company, field, value, message):
    import json

    body = json.dumps({"shop_id": "1", "name": "X", field: value}).replace("Infinity", "1e999")
    response = demo_client.post("/api/v1/shops/", body, content_type="application/json")
    assert response.status_code == 400
    if message:
        assert response.json() == {field: [message]}
    assert not Shop.objects.filter(company=company).exists()


def test_form_post_treats_empty_fields_as_no_value(demo_client, company):
    response = demo_client.post("/api/v1/shops/", {"shop_id": "5", "name": "Form", "open_date": "", "latitude": ""})
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert Shop.objects.filter(company=company, shop_id="5", open_date=None, latitude=None).exists()
