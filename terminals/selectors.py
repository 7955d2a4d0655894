"""Reads of the terminals app, always within one company (DECISIONS §2)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from accounts.models import Company
from common.compiled import CompiledCount, CompiledQuery, CompiledValues, Placeholder, Window
from common.exceptions import NotFoundError
from common.paging import Counted
from terminals.models import Shop, Terminal
from terminals.validation import storable

#: ``ordering`` values of the seed: ``identifier`` is the resource's own id.
TERMINAL_ORDERING = {"name": ("name", "terminal_id"), "identifier": ("terminal_id",)}
SHOP_ORDERING = {"name": ("name", "shop_id"), "identifier": ("shop_id",)}
SHOP_VALUES = ("shop_id", "name", "address", "open_date", "longitude", "latitude", "format_id", "group_id")


def _order(ordering: str | None, fields: dict[str, tuple[str, ...]]) -> list[str]:
    if not ordering:
        return list(fields["identifier"])
    descending = ordering.startswith("-")
    columns = fields[ordering.lstrip("-")]
    return [f"-{c}" if descending else c for c in columns]


def _terminals(*, company: Company, shop_id: str | None = None, search: str | None = None) -> QuerySet:
    """The company's terminals that pass the list's filters (none for unstorable text)."""
    rows = Terminal.objects.filter(company=company)
    if not all(storable(text) for text in (shop_id or "", search or "")):
        return rows.none()
    if shop_id:
        rows = rows.filter(shop__shop_id=shop_id)
    if search:
        rows = rows.filter(name__icontains=search)
    return rows


def terminal_list(
    *, company: Company, shop_id: str | None = None, search: str | None = None, ordering: str | None = None
) -> QuerySet:
    """Rows ``{"terminal_id", "name", "shop_code"}`` of the company's terminals (one query)."""
    rows = _terminals(company=company, shop_id=shop_id, search=search)
    return rows.order_by(*_order(ordering, TERMINAL_ORDERING)).values(
        "terminal_id", "name", shop_code=F("shop__shop_id")
    )


# A page without ``search`` reads SQL compiled once per shape (``shop_id`` given or not, the
# ordering: 2 × 5 shapes), as ``common.compiled`` explains; a search's ``icontains`` value is
# rewritten by the ORM (``%…%``, escaped), so those pages stay the ORM's.
_COMPANY = Placeholder(0, -7_351_902_466)
_SHOP = Placeholder(1, "datawiz-shop-placeholder-7351902466")
_TERMINAL_PAGES: dict[tuple, CompiledValues] = {}
_SHOP_PAGES: dict[str, CompiledValues] = {}
# Their counts, compiled too (the ORM built each COUNT on every page: ~0.3 ms).
_TERMINAL_COUNTS = {
    False: CompiledCount(lambda company_id: _terminals(company=company_id), [_COMPANY]),
    True: CompiledCount(lambda company_id, shop_id: _terminals(company=company_id, shop_id=shop_id), [_COMPANY, _SHOP]),
}
_SHOP_COUNT = CompiledCount(lambda company_id: Shop.objects.filter(company=company_id), [_COMPANY])


def _terminal_page(by_shop: bool, ordering: str) -> CompiledValues:
    query = _TERMINAL_PAGES.get((by_shop, ordering))
    if query is None:

        def build(company_id, shop_id=None):
            return terminal_list(company=company_id, shop_id=shop_id, ordering=ordering)

        placeholders = [_COMPANY, _SHOP] if by_shop else [_COMPANY]
        query = _TERMINAL_PAGES.setdefault((by_shop, ordering), CompiledValues(build, placeholders))
    return query


def terminal_page_source(
    *, company: Company, shop_id: str | None = None, search: str | None = None, ordering: str | None = None
) -> Counted | Window:
    """``terminal_list`` as the paginator reads it, counted without its join to the shops:
    every terminal has its shop in its company (``shop_id`` NOT NULL, the composite foreign
    key of migration 0002), so the join adds a column, never a row. On 80,000 terminals the
    COUNT took 7.8 ms with the join and 3.7 ms without. ``ordering`` is one of the query
    serializer's choices."""
    if search or not storable(shop_id or ""):
        counted = _terminals(company=company, shop_id=shop_id, search=search)
        return Counted(terminal_list(company=company, shop_id=shop_id, search=search, ordering=ordering), counted)
    query = _terminal_page(bool(shop_id), ordering or "")
    return Window(query, company.pk, *([shop_id] if shop_id else []), counted=_TERMINAL_COUNTS[bool(shop_id)])


def _terminal_by_id(company_id: int, terminal_id: str) -> QuerySet:
    return (
        Terminal.objects.select_related("shop").filter(company=company_id, terminal_id=terminal_id).order_by("pk")[:1]
    )


def _shop_by_id(company_id: int, shop_id: str) -> QuerySet:
    return Shop.objects.filter(company=company_id, shop_id=shop_id).order_by("pk").values(*SHOP_VALUES)


# The detail lookups (a terminal's also before its PUT, PATCH or DELETE), compiled once.
_TERMINAL_BY_ID = CompiledQuery(_terminal_by_id, [_COMPANY, Placeholder(1, "datawiz-terminal-placeholder-7351902466")])
_SHOP_BY_ID = CompiledValues(_shop_by_id, [_COMPANY, _SHOP])


def terminal_get(*, company: Company, terminal_id: str) -> Terminal:
    """The company's terminal by its ``terminal_id`` (with its shop), or ``NotFoundError``."""
    if not storable(terminal_id):
        raise NotFoundError()
    terminal = _TERMINAL_BY_ID.first(company.pk, terminal_id)
    if terminal is None:
        raise NotFoundError()
    return terminal


def shop_list(*, company: Company, search: str | None = None, ordering: str | None = None) -> QuerySet:
    rows = Shop.objects.filter(company=company)
    if not storable(search or ""):
        return rows.none().values(*SHOP_VALUES)
    if search:
        rows = rows.filter(name__icontains=search)
    return rows.order_by(*_order(ordering, SHOP_ORDERING)).values(*SHOP_VALUES)


def shop_page_source(*, company: Company, search: str | None = None, ordering: str | None = None) -> QuerySet | Window:
    """``shop_list`` as the paginator reads it: compiled once per ordering without ``search``
    (as the terminals' page)."""
    if search:
        return shop_list(company=company, search=search, ordering=ordering)
    ordering = ordering or ""
    query = _SHOP_PAGES.get(ordering)
    if query is None:
        query = _SHOP_PAGES.setdefault(
            ordering, CompiledValues(lambda company_id: shop_list(company=company_id, ordering=ordering), [_COMPANY])
        )
    return Window(query, company.pk, counted=_SHOP_COUNT)


def shop_get(*, company: Company, shop_id: str) -> dict:
    if not storable(shop_id):
        raise NotFoundError()
    rows = _SHOP_BY_ID.fetch_window(company.pk, shop_id, offset=0, limit=1)
    if not rows:
        raise NotFoundError()
    return rows[0]
