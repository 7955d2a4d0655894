"""The unfiltered calculations list, compiled once per process, answers what the ORM answers.

``selectors.calculation_page`` without a filter is a ``Window`` over SQL compiled once: over
several windows its rows are ``calculation_rows_of(calculation_search(...))`` (the listed
columns, the author's guid, the product's, specification's and NTD's names), its SQL is the
ORM's with the window as parameters, and its count the ORM's. Through HTTP the pages answer the
same rows in at most two calculation queries; a filter or a search still reads the ORM's
queryset. The catalogs read SQL compiled once too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from calculations import selectors
from calculations.reference import S, X
from calculations.selectors import CalculationFilters
from calculations.services.calculations import calculation_create
from common.compiled import Window
from tests.compiled import orm_and_window

pytestmark = pytest.mark.django_db

URL = "/formula/calculations/list"
WINDOWS = ((0, 3), (2, 4), (0, 100), (7, 5), (40, 2))
T0 = dt.datetime(2025, 7, 14, 9, 0, tzinfo=dt.UTC)
RELATED = ("author", "product", "specification", "norm_tech_doc")


@pytest.fixture
def calcs(catalog, demo_user):
    headers = (
        {"product": S(37), "specification": S(40), "norm_tech_doc": S(48)},
        {"product": S(38), "specification": X(701), "norm_tech_doc": X(801)},
        {"product": S(39)},
    )
    # pairs share a creation time, so year and number break the tie
    return [
        calculation_create(
            author=demo_user, create_date=T0 + dt.timedelta(days=n // 2), comment=f"Расчёт {n}", header=headers[n % 3]
        )
        for n in range(9)
    ]


def test_every_window_is_the_orm_slice_from_the_orm_sql(calcs):
    page = selectors.calculation_page(CalculationFilters())
    assert isinstance(page, Window)
    calculations = selectors.calculation_search(CalculationFilters())
    everything = selectors.calculation_rows_of(calculations)
    with CaptureQueriesContext(connection) as expected_count:
        assert page.count() == calculations.count() == len(calcs)
    for offset, limit in WINDOWS:
        expected, got = orm_and_window(everything, page, offset, limit)
        assert got == expected, (offset, limit)
    with CaptureQueriesContext(connection) as got_count:
        page.count()
    assert [q["sql"] for q in got_count.captured_queries] == [q["sql"] for q in expected_count.captured_queries[-1:]]


def test_a_row_is_what_the_calculation_and_its_references_show(calcs):
    """``calculation_rows_of``: the listed columns, the author's guid and the references' names
    (``None`` where a reference is unset), in ``calculation_search``'s order."""
    calculations = list(selectors.calculation_search(CalculationFilters()))
    rows = list(selectors.calculation_rows_of(selectors.calculation_search(CalculationFilters())))
    assert [row["guid"] for row in rows] == [c.guid for c in calculations]
    for row, c in zip(rows, calculations, strict=True):
        assert row == {
            **{name: getattr(c, name) for name in selectors.CALCULATION_ROW_FIELDS},
            "author_guid": c.author.guid,
            **{f"{name}_name": getattr(c, name) and getattr(c, name).name for name in RELATED[1:]},
        }
    assert any(row["norm_tech_doc_name"] is None for row in rows) and any(row["norm_tech_doc_name"] for row in rows)


def test_a_filter_or_a_search_reads_the_orm_queryset(calcs):
    for filters in (
        CalculationFilters(search="Расчёт 4"),
        CalculationFilters(product_ids=(S(38),)),
        CalculationFilters(created_from=T0 + dt.timedelta(days=2)),
    ):
        page = selectors.calculation_page(filters)
        assert isinstance(page, QuerySet)
        expected = selectors.calculation_rows_of(selectors.calculation_search(filters))
        assert list(page) == list(expected) != []


def test_pages_through_http_are_every_calculation_in_at_most_two_calculation_queries(demo_client, calcs):
    whole = demo_client.post(URL, {"defaultQuantity": 100}, format="json")
    assert whole.status_code == 200 and whole.json()["itemsCount"] == len(calcs)
    rows = whole.json()["calculations"]
    assert [row["guid"] for row in rows] == [str(c.guid) for c in selectors.calculation_search(CalculationFilters())]
    seen = []
    for current in (1, 5, 9):
        with CaptureQueriesContext(connection) as queries:
            response = demo_client.post(URL, {"currentQuantity": current, "defaultQuantity": 4}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert body["itemsCount"] == len(calcs)
        full = len(body["calculations"]) == 4  # a page short of full tells the count without a query
        assert sum('"calculations_calculation"' in q["sql"] for q in queries.captured_queries) == (2 if full else 1)
        seen += body["calculations"]
    assert seen == rows
    only = demo_client.post(URL, {"productIDs": [str(S(38))], "defaultQuantity": 100}, format="json")
    assert only.json()["calculations"] == [row for row in rows if row["product"] == "ПБВ 60"] != []
    assert demo_client.post(URL, {"defaultQuantity": 0}, format="json").json() == {"itemsCount": 9, "calculations": []}


@pytest.mark.parametrize(("rows", "size"), [(3, 3), (60, 50)])
def test_the_unfiltered_list_runs_constant_queries_whatever_the_page_size(
    catalog, demo_user, demo_client, django_assert_num_queries, rows, size
):
    for n in range(rows):
        calculation_create(author=demo_user, header={"product": S(38), "specification": X(701)}, comment=f"№{n}")
    demo_client.post(URL, {}, format="json")
    with django_assert_num_queries(4):  # the token's user, its permissions, the page, the count (the page is full)
        response = demo_client.post(URL, {"defaultQuantity": size}, format="json")
    assert len(response.json()["calculations"]) == size and response.json()["itemsCount"] == rows


def test_every_catalog_reads_the_orm_rows_from_the_orm_sql_compiled_once(catalog, demo_user, monkeypatch):
    """Each catalog's rows (``selectors._compiled``) against the same selector read by the ORM:
    the same rows in the same order, from the same SQL, one query each."""
    from calculations.serializers.catalogs import CATALOGS

    def read():
        rows, sql = {}, {}
        for name, listed in CATALOGS.items():
            with CaptureQueriesContext(connection) as sent:
                rows[name] = listed.rows(demo_user)
            sql[name] = [q["sql"] for q in sent.captured_queries]
        return rows, sql

    compiled_rows, compiled_sql = read()

    class ReadByTheORM:
        def __init__(self, build, *arguments):
            self.queryset = build(*arguments)

        def fetch(self):
            return list(self.queryset)

    monkeypatch.setattr(selectors, "_compiled", ReadByTheORM)
    orm_rows, orm_sql = read()
    assert compiled_rows == orm_rows and compiled_sql == orm_sql
    assert all(len(sent) == 1 for sent in compiled_sql.values())
    assert sum(bool(rows) for rows in compiled_rows.values()) >= 10, compiled_rows
