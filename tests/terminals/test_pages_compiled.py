"""The terminals' and shops' pages without a search, compiled once per shape, answer what the
ORM answers, within the company.

Every shape (``shop_id`` given or not, each ordering) over several windows: the rows are
``terminal_list``'s (``shop_list``'s) rows from the ORM's SQL with the window as parameters,
the count is the company's, and another company's rows, with the same ids and names, never
show; a search still reads the ORM's query.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terminals import selectors
from terminals.models import Shop, Terminal
from terminals.services import shops_upsert, terminals_upsert

pytestmark = pytest.mark.django_db

ORDERINGS = (None, "name", "-name", "identifier", "-identifier")
WINDOWS = ((0, 3), (2, 4), (0, 100), (6, 5), (40, 2))


@pytest.fixture
def listed(company, other_company):
    for owner in (company, other_company):
        shops_upsert(company=owner, items=[{"shop_id": str(n), "name": f"Shop {n % 3} #{n}"} for n in range(1, 6)])
        terminals_upsert(
            company=owner,
            items=[{"terminal_id": f"t-{n}", "shop_id": str(1 + n % 2), "name": f"Kassa {n // 2}"} for n in range(9)],
        )


def _same(page, orm, offset, limit):
    with CaptureQueriesContext(connection) as expected_sql:
        expected = list(orm[offset : offset + limit])
    with CaptureQueriesContext(connection) as got_sql:
        got = page[offset : offset + limit]
    assert got == expected, (offset, limit)
    literal = expected_sql.captured_queries[0]["sql"] + ("" if offset else " OFFSET 0")  # the ORM leaves out OFFSET 0
    assert got_sql.captured_queries[0]["sql"] == literal
    return got


@pytest.mark.parametrize(("shop_id", "ordering"), list(itertools.product((None, "1", "2"), ORDERINGS)))
def test_every_terminals_shape_is_the_orm_page_of_the_company(listed, company, shop_id, ordering):
    page = selectors.terminal_page_source(company=company, shop_id=shop_id, ordering=ordering)
    orm = selectors.terminal_list(company=company, shop_id=shop_id, ordering=ordering)
    everything = _same(page, orm, 0, 100)
    for offset, limit in WINDOWS:
        _same(page, orm, offset, limit)
    assert page.count() == len(everything) == (9 if shop_id is None else {"1": 5, "2": 4}[shop_id])
    assert {row["shop_code"] for row in everything} == ({"1", "2"} if shop_id is None else {shop_id})


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_every_shops_ordering_is_the_orm_page_of_the_company(listed, company, ordering):
    page = selectors.shop_page_source(company=company, ordering=ordering)
    orm = selectors.shop_list(company=company, ordering=ordering)
    for offset, limit in WINDOWS:
        _same(page, orm, offset, limit)
    assert page.count() == 5


def test_another_company_s_rows_never_show(listed, company, other_company):
    terminals_upsert(company=other_company, items=[{"terminal_id": "theirs", "shop_id": "1", "name": "Theirs"}])
    shops_upsert(company=other_company, items=[{"shop_id": "theirs", "name": "Theirs"}])
    ours = selectors.terminal_page_source(company=company, shop_id="1")[0:100]
    assert len(ours) == 5 and "theirs" not in {row["terminal_id"] for row in ours}
    theirs = selectors.terminal_page_source(company=other_company, shop_id="1")[0:100]
    assert len(theirs) == 6 and "theirs" in {row["terminal_id"] for row in theirs}
    assert "theirs" not in {row["shop_id"] for row in selectors.shop_page_source(company=company)[0:100]}
    assert selectors.shop_page_source(company=other_company).count() == 6


def test_a_search_reads_the_orm_query(listed, company):
    terminals = selectors.terminal_page_source(company=company, search="kassa 1")
    shops = selectors.shop_page_source(company=company, search="shop 1")
    assert [row["terminal_id"] for row in terminals[0:100]] == ["t-2", "t-3"]
    assert [row["shop_id"] for row in shops[0:100]] == ["1", "4"]
    assert terminals.count() == 2 and shops.count() == 2


def test_the_compiled_detail_lookups_are_the_orm_s_within_the_company(listed, company, other_company):
    from common.exceptions import NotFoundError
    from terminals.models import Shop, Terminal
    from tests.compiled import fields_of

    for n in range(9):
        expected = Terminal.objects.select_related("shop").filter(company=company, terminal_id=f"t-{n}").first()
        with CaptureQueriesContext(connection) as queries:
            got = selectors.terminal_get(company=company, terminal_id=f"t-{n}")
            shop = got.shop  # loaded with the terminal
        assert len(queries.captured_queries) == 1
        assert fields_of(got) == fields_of(expected) and fields_of(shop) == fields_of(expected.shop)
        assert got.company_id == company.pk
    for n in range(1, 6):
        orm = Shop.objects.filter(company=company, shop_id=str(n)).values(*selectors.SHOP_VALUES).first()
        assert selectors.shop_get(company=company, shop_id=str(n)) == orm
    Terminal.objects.filter(company=company, terminal_id="t-0").delete()
    Shop.objects.filter(company=company, shop_id="5").delete()
    for missing in ("t-0", "t-99", "a\x00b"):  # t-0 still exists in the other company
        with pytest.raises(NotFoundError):
            selectors.terminal_get(company=company, terminal_id=missing)
    assert selectors.terminal_get(company=other_company, terminal_id="t-0").company_id == other_company.pk
    for missing in ("5", "99", "a\x00b"):
        with pytest.raises(NotFoundError):
            selectors.shop_get(company=company, shop_id=missing)


@pytest.mark.parametrize("shop_id", [None, "1", "2"])
def test_the_compiled_counts_are_the_orm_counts_from_the_orm_sql(listed, company, other_company, shop_id):
    """The terminals' count (no join to the shops) and the shops' count, per company."""
    terminals_upsert(company=other_company, items=[{"terminal_id": "theirs", "shop_id": "1", "name": "Theirs"}])
    cases = [
        (selectors.terminal_page_source(company=company, shop_id=shop_id), Terminal.objects.filter(company=company)),
        (selectors.shop_page_source(company=company), Shop.objects.filter(company=company)),
    ]
    if shop_id:
        cases[0] = (cases[0][0], cases[0][1].filter(shop__shop_id=shop_id))
    for page, orm in cases:
        with CaptureQueriesContext(connection) as expected_sql:
            expected = orm.count()
        with CaptureQueriesContext(connection) as got_sql:
            got = page.count()
        assert got == expected > 0
        assert [q["sql"] for q in got_sql.captured_queries] == [q["sql"] for q in expected_sql.captured_queries]
