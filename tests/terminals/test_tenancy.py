"""Another company's shops and terminals are invisible on every endpoint (DECISIONS §2)."""

from __future__ import annotations

import pytest

from terminals.models import Shop, Terminal

pytestmark = pytest.mark.django_db


def stored(company):
    return sorted(Terminal.objects.filter(company=company).values_list("terminal_id", "shop__shop_id", "name"))


def test_other_company_sees_only_its_own_rows(other_client, terminals, other_terminals):
    body = other_client.get("/api/v1/terminals/").json()
    assert [r["terminal_id"] for r in body["results"]] == ["9-9"]
    shops = other_client.get("/api/v1/shops/").json()
    assert [s["shop_id"] for s in shops["results"]] == ["1", "9"]


def test_other_company_with_no_rows_sees_empty_lists(other_client, terminals):
    empty = {"count": 0, "next": None, "previous": None, "results": []}
    assert other_client.get("/api/v1/terminals/").json() == empty
    assert other_client.get("/api/v1/shops/").json() == empty


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/terminals/1-1/", None),
        ("head", "/api/v1/terminals/1-1/", None),
        ("put", "/api/v1/terminals/1-1/", {"terminal_id": "1-1", "name": "Stolen", "shop_id": "9"}),
        ("patch", "/api/v1/terminals/1-1/", {"name": "Stolen"}),
        ("delete", "/api/v1/terminals/1-1/", None),
        ("get", "/api/v1/shops/2/", None),
    ],
)
def test_other_companys_objects_are_not_found(other_client, terminals, other_terminals, company, method, path, data):
    before = stored(company)
    response = getattr(other_client, method)(path, data, format="json")
    assert response.status_code == 404
    if method != "head":
        assert response.json() == {"detail": "Not found"}
    assert stored(company) == before


def test_other_companys_shop_does_not_exist_for_a_post(other_client, terminals, other_terminals, company):
    response = other_client.post(
        "/api/v1/terminals/", [{"terminal_id": "x", "shop_id": "2", "name": "X"}], format="json"
    )
    assert (response.status_code, response.json()) == (400, [{"shop_id": ["Shop with id=2 does not exist"]}])


def test_same_ids_in_two_companies_are_separate_rows(other_client, terminals, other_terminals, company, other_company):
    before = stored(company)
    response = other_client.post(
        "/api/v1/terminals/", {"terminal_id": "1-1", "shop_id": "1", "name": "Kassa 1"}, format="json"
    )
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 1})
    assert stored(company) == before
    assert stored(other_company) == [("1-1", "1", "Kassa 1"), ("9-9", "9", "Other kassa")]
    shops = other_client.post("/api/v1/shops/", {"shop_id": "2", "name": "Theirs"}, format="json")
    assert (shops.status_code, shops.json()) == (201, {"updated": 0, "inserted": 1})
    assert Shop.objects.get(company=company, shop_id="2").name == "Shop 2"


def test_superuser_sees_only_their_companys_rows(admin_client_api, terminals, other_terminals):
    body = admin_client_api.get("/api/v1/terminals/").json()
    assert [r["terminal_id"] for r in body["results"]] == ["1-1", "1-2", "2-1"]
    assert admin_client_api.get("/api/v1/terminals/9-9/").status_code == 404


def test_database_refuses_a_terminal_in_another_companys_shop(terminals, other_company, company):
    from django.db import IntegrityError, transaction

    shop = Shop.objects.get(company=company, shop_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Terminal.objects.create(company=other_company, shop=shop, terminal_id="z", name="Z")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
