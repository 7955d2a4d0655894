"""List parameters (search, ordering, shop_id, page/page_size) and constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terminals.services import shops_upsert, terminals_upsert

pytestmark = pytest.mark.django_db


def ids(response):
    return [r["terminal_id"] for r in response.json()["results"]]


@pytest.fixture
def many(shops, company):
    terminals_upsert(
        company=company,
        items=[
            {"terminal_id": "b", "shop_id": "1", "name": "Zeta kassa"},
            {"terminal_id": "a", "shop_id": "2", "name": "Alpha kassa"},
            {"terminal_id": "c", "shop_id": "1", "name": "Mid till"},
        ],
    )


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["a", "b", "c"]),
        ("identifier", ["a", "b", "c"]),
        ("-identifier", ["c", "b", "a"]),
        ("name", ["a", "c", "b"]),
        ("-name", ["b", "c", "a"]),
    ],
)
def test_ordering(demo_client, many, ordering, expected):
    params = {"ordering": ordering} if ordering else {}
    assert ids(demo_client.get("/api/v1/terminals/", params)) == expected


def test_search_is_one_case_insensitive_substring_of_name(demo_client, many):
    assert ids(demo_client.get("/api/v1/terminals/", {"search": "KASSA"})) == ["a", "b"]
    assert ids(demo_client.get("/api/v1/terminals/", {"search": "zeta kassa"})) == ["b"]
    assert ids(demo_client.get("/api/v1/terminals/", {"search": "kassa, zeta"})) == []


def test_shop_id_filter(demo_client, many):
    assert ids(demo_client.get("/api/v1/terminals/", {"shop_id": "1"})) == ["b", "c"]
    assert ids(demo_client.get("/api/v1/terminals/", {"shop_id": "33"})) == []


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"ordering": "shop"}, {"ordering": ['"shop" is not a valid choice.']}),
        ({"page": "x"}, {"page": ["A valid integer is required."]}),
        ({"page": "0"}, {"page": ["Ensure this value is greater than or equal to 1."]}),
        ({"page_size": "1001"}, {"page_size": ["Ensure this value is less than or equal to 1000."]}),
        ({"page_size": "-1"}, {"page_size": ["Ensure this value is greater than or equal to 1."]}),
    ],
)
def test_malformed_parameters_are_400(demo_client, many, params, body):
    response = demo_client.get("/api/v1/terminals/", params)
    assert (response.status_code, response.json()) == (400, body)


def test_page_past_the_end_is_not_found(demo_client, many):
    response = demo_client.get("/api/v1/terminals/", {"page": 3, "page_size": 2})
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_default_page_size_is_100(demo_client, shops, company):
    terminals_upsert(
        company=company, items=[{"terminal_id": f"t{i:03}", "shop_id": "1", "name": f"K{i}"} for i in range(150)]
    )
    body = demo_client.get("/api/v1/terminals/").json()
    assert (body["count"], len(body["results"]), body["next"]) == (
        150,
        100,
        "http://testserver/api/v1/terminals/?page=2",
    )


@pytest.mark.parametrize("size", [3, 30])
def test_list_queries_are_constant(demo_client, shops, company, size, django_assert_max_num_queries):
    terminals_upsert(
        company=company, items=[{"terminal_id": f"t{i}", "shop_id": "1", "name": f"K{i}"} for i in range(size)]
    )
    with django_assert_max_num_queries(3):  # user, count, page
        response = demo_client.get("/api/v1/terminals/", {"page_size": 1000})
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_shop_list_queries_are_constant(demo_client, company, size, django_assert_max_num_queries):
    shops_upsert(company=company, items=[{"shop_id": f"s{i}", "name": f"S{i}"} for i in range(size)])
    with django_assert_max_num_queries(3):
        response = demo_client.get("/api/v1/shops/", {"page_size": 1000})
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [10, 2000])
def test_bulk_upsert_runs_a_constant_number_of_queries(demo_client, company, size, django_assert_max_num_queries):
    shops_upsert(company=company, items=[{"shop_id": str(s), "name": f"S{s}"} for s in range(50)])
    terminals_upsert(
        company=company,
        items=[{"terminal_id": f"t{i}", "shop_id": str(i % 50), "name": f"K{i}"} for i in range(0, size, 2)],
    )
    items = [{"terminal_id": f"t{i}", "shop_id": str(i % 50), "name": f"N{i}"} for i in range(size)]
    # user, shops + names taken (one round trip), savepoint,
    # shop-names lock (concurrency) + SET CONSTRAINTS + upsert (one round trip), release
    with django_assert_max_num_queries(5):
        response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert (response.status_code, response.json()) == (201, {"updated": size // 2, "inserted": size // 2})


def test_bulk_validation_failure_runs_a_constant_number_of_queries(demo_client, shops, django_assert_max_num_queries):
    items = [{"terminal_id": f"t{i}", "shop_id": "1" if i % 2 else "99", "name": f"K{i}"} for i in range(2000)]
    with django_assert_max_num_queries(3):
        response = demo_client.post("/api/v1/terminals/", items, format="json")
    assert response.status_code == 400
    # 1000 items fail alike: each entry names its position (the client finds failed items by equality), valid ones stay {}
    missing = ["Shop with id=99 does not exist"]
    assert response.json() == [{} if i % 2 else {"shop_id": missing, "index": i} for i in range(2000)]


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/api/v1/terminals/a%00b/", 404, {"detail": "Not found"}),
        ("/api/v1/shops/a%00b/", 404, {"detail": "Not found"}),
        ("/api/v1/terminals/?search=a%00b", 200, {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/v1/terminals/?shop_id=%00", 200, {"count": 0, "next": None, "previous": None, "results": []}),
        ("/api/v1/shops/?search=%00", 200, {"count": 0, "next": None, "previous": None, "results": []}),
    ],
)
def test_nul_characters_never_reach_the_database(demo_client, many, path, status, body):
    response = demo_client.get(path)
    assert (response.status_code, response.json()) == (status, body)


def test_unsupported_media_type_is_a_415(demo_client, shops):
    response = demo_client.post("/api/v1/terminals/", "x", content_type="text/plain")
    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "text/plain" in request.'},
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 6),
        ({"shop_id": "1"}, 4),
        ({"search": "even"}, 3),
        ({"shop_id": "2", "search": "odd"}, 1),
        ({"shop_id": "9"}, 0),
    ],
)
def test_a_full_page_is_counted_without_the_shops_join_unless_it_filters_by_shop(
    demo_client, shops, company, other_company, params, expected
):
    """The rows join the shops for ``shop_url``; their COUNT needs the join only for ``shop_id``."""
    terminals_upsert(
        company=company,
        items=[
            {"terminal_id": f"t{i}", "shop_id": "1" if i < 4 else "2", "name": f"{'odd' if i % 2 else 'even'} {i}"}
            for i in range(6)
        ],
    )
    shops_upsert(company=other_company, items=[{"shop_id": "1", "name": "Theirs"}])
    terminals_upsert(company=other_company, items=[{"terminal_id": "t9", "shop_id": "1", "name": "even"}])
    with CaptureQueriesContext(connection) as queries:
        response = demo_client.get("/api/v1/terminals/", {"page_size": 1, **params})
    assert response.status_code == 200
    assert response.json()["count"] == expected
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == (1 if expected else 0)
    if counts:
        assert ("JOIN" in counts[0]) == ("shop_id" in params), counts[0]
