"""Reads of the calculations app: catalogs, the calculation list with search, the detail."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    Indicator,
    NormTechDoc,
    Product,
    Specification,
    TechnicalRequirement,
)
from common.compiled import CompiledCount, CompiledDicts, CompiledQuery, CompiledValues, Placeholder, Window
from common.exceptions import NotFoundError

MAX_SEARCH_TOKENS = 10


def russian_key(name: str) -> tuple[str, str]:
    """Dictionary order for Russian names without an ICU collation: case-insensitive, Ё as Е.

    The embedded PostgreSQL is built without ICU (no ``ru-x-icu``) and its C.UTF-8 order puts
    "Ёлка" before "Апельсин"; catalogs are small and unpaginated, so they are sorted here.
    """
    folded = name.casefold().replace("ё", "е")
    return folded, name


def _by_name(row: dict) -> tuple[str, str]:
    return russian_key(row["name"])


@cache
def _compiled(build: Callable[..., QuerySet], *arguments) -> CompiledDicts:
    """``build(*arguments)``'s ``.values()`` rows from SQL compiled once per process: the
    catalogs are read on every formula page, and their queries never change."""
    return CompiledDicts(lambda: build(*arguments), [])


def _catalog_rows(model, fields: tuple[str, ...]) -> QuerySet:
    return model.objects.values("guid", "name", *fields)


def catalog_list(model, *fields: str) -> list[dict]:
    """Every row of a simple catalog (``guid``, ``name`` and ``fields``) as ``.values()`` dicts, in
    Russian name order (one query): no model instances for a list read straight into its body."""
    return sorted(_compiled(_catalog_rows, model, fields).fetch(), key=_by_name)


def _venue_rows(model) -> QuerySet:
    return model.objects.values("guid", "name", "is_main")


def venue_list(model) -> list[dict]:
    return sorted(_compiled(_venue_rows, model).fetch(), key=lambda row: (not row["is_main"], _by_name(row)))


def _product_rows(model) -> QuerySet:
    return model.objects.values("guid", "name", "product_type_id", product_type_name=F("product_type__name"))


def product_list(model) -> list[dict]:
    """Products with their type's name (``product_type_name``), one query."""
    return sorted(_compiled(_product_rows, model).fetch(), key=_by_name)


def _indicator_rows() -> QuerySet:
    return Indicator.objects.values(
        "guid",
        "name",
        "short_name",
        "unit_id",
        "test_method_id",
        "kind",
        "parent_id",
        "ordinal",
        "exclude",
        type_guids=ArrayAgg("product_types__guid", order_by=("product_types__name",), default=Value([])),
        type_names=ArrayAgg("product_types__name", order_by=("product_types__name",), default=Value([])),
    )


def indicator_list() -> list[dict]:
    """Indicators in ordinal order with their product types aggregated (one query)."""
    return sorted(_compiled(_indicator_rows).fetch(), key=lambda row: (row["ordinal"], _by_name(row)))


def _company_users(company_id) -> QuerySet:
    User = get_user_model()
    authors = Calculation.objects.filter(author=OuterRef("pk"))
    # Only what the catalog shows (``full_name``): not the password hash, the JSON attributes and
    # the five datetimes of each of up to hundreds of users.
    return User.objects.filter(Q(enabled=True) | Exists(authors), company_id=company_id).only(
        "guid", "username", "first_name", "last_name"
    )


# The catalog of users is read on every formula page: its SQL is built once per process.
_company_users_query = CompiledQuery(_company_users, [Placeholder(0, -7_351_902_465)])


def user_list(*, company_id) -> list:
    """The company's active users and its authors of a calculation, so each of their ``userID``
    resolves (Decision 2); other companies' users are never listed
    (no company may enumerate another's people)."""
    return sorted(_company_users_query.fetch(company_id), key=lambda user: russian_key(user.full_name))


@dataclass(frozen=True)
class CalculationFilters:
    search: str = ""
    product_ids: tuple[uuid.UUID, ...] = ()
    specification_ids: tuple[uuid.UUID, ...] = ()
    norm_tech_doc_ids: tuple[uuid.UUID, ...] = ()
    user_ids: tuple[uuid.UUID, ...] = ()
    created_from: datetime | None = None
    created_before: datetime | None = None  # exclusive
    created_until: datetime | None = None  # inclusive


def _names_matching(model, token: str, query: SearchQuery) -> QuerySet:
    """GUIDs of catalog rows whose name contains ``token`` or matches ``query`` (one uncorrelated subquery)."""
    lexemes = SearchVector("name", config="russian")
    return model.objects.annotate(lexemes=lexemes).filter(Q(name__icontains=token) | Q(lexemes=query)).values("pk")


def _authors_matching(token: str) -> QuerySet:
    User = get_user_model()
    full_name = Concat("first_name", Value(" "), "last_name")
    return (
        User.objects.annotate(full=full_name)
        .filter(Q(full__icontains=token) | Q(username__icontains=token))
        .values("pk")
    )


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """Every token matches some field as a substring or by Russian morphology (calculations.md §7).

    Substrings find "0001" and "битум" in "битумное"; full text finds "битумов" in "Битумы".
    Full text runs on the stored lexemes of the comment; names of products, specifications,
    NTDs and authors are matched in their own (small) tables, so the scan of calculations
    needs no join (bench/calculations_list.py).
    """
    tokens = text.split()[:MAX_SEARCH_TOKENS]
    for token in tokens:
        query = SearchQuery(token, search_type="websearch", config="russian")
        queryset = queryset.filter(
            Q(number__icontains=token)
            | Q(comment__icontains=token)
            | Q(search_vector=query)
            | Q(product_id__in=_names_matching(Product, token, query))
            | Q(specification_id__in=_names_matching(Specification, token, query))
            | Q(norm_tech_doc_id__in=_names_matching(NormTechDoc, token, query))
            | Q(author_id__in=_authors_matching(token))
        )
    return queryset


def calculation_search(filters: CalculationFilters) -> QuerySet[Calculation]:
    """The filtered, ordered calculations (no paging); ``select_related`` fixed for the row shape."""
    queryset = Calculation.objects.select_related("author", "product", "specification", "norm_tech_doc").defer(
        "search_vector"
    )
    if filters.product_ids:
        queryset = queryset.filter(product_id__in=filters.product_ids)
    if filters.specification_ids:
        queryset = queryset.filter(specification_id__in=filters.specification_ids)
    if filters.norm_tech_doc_ids:
        queryset = queryset.filter(norm_tech_doc_id__in=filters.norm_tech_doc_ids)
    if filters.user_ids:
        queryset = queryset.filter(author__guid__in=filters.user_ids)
    if filters.created_from is not None:
        queryset = queryset.filter(create_date__gte=filters.created_from)
    if filters.created_before is not None:
        queryset = queryset.filter(create_date__lt=filters.created_before)
    if filters.created_until is not None:
        queryset = queryset.filter(create_date__lte=filters.created_until)
    if filters.search:
        queryset = _search(queryset, filters.search)
    return queryset.order_by("-create_date", "-year", "-seq")


#: The unfiltered list, compiled once per process, and its count.
#: What the list shows of a calculation (``serializers.calculation_row_data`` reads them): its own
#: columns, its author's guid and its product's, specification's and NTD's names (one join each).
CALCULATION_ROW_FIELDS = (
    "guid",
    "number",
    "create_date",
    "comment",
    "product_id",
    "specification_id",
    "norm_tech_doc_id",
)
_CALCULATION_ROW_NAMES = {
    "author_guid": F("author__guid"),
    "product_name": F("product__name"),
    "specification_name": F("specification__name"),
    "norm_tech_doc_name": F("norm_tech_doc__name"),
}


def calculation_rows_of(calculations: QuerySet[Calculation]) -> QuerySet:
    """``calculations`` as ``.values()`` rows of what the list shows: a page of 100 built 500
    model instances (each calculation, author, product, specification, NTD) it only read."""
    return calculations.values(*CALCULATION_ROW_FIELDS, **_CALCULATION_ROW_NAMES)


_ALL_CALCULATIONS = CompiledValues(lambda: calculation_rows_of(calculation_search(CalculationFilters())), [])
_CALCULATIONS_COUNT = CompiledCount(lambda: calculation_search(CalculationFilters()), [])


def calculation_page(filters: CalculationFilters) -> QuerySet | Window:
    """What the list's paginator reads: ``calculation_search``'s rows as ``calculation_rows_of``,
    from SQL compiled once when no filter is given (the list as the frontend opens it)."""
    if filters != CalculationFilters():
        return calculation_rows_of(calculation_search(filters))
    return Window(_ALL_CALCULATIONS, counted=_CALCULATIONS_COUNT)


def calculation_not_found(guid: uuid.UUID) -> NotFoundError:
    return NotFoundError("Calculation not found.", resource="calculation", key=guid)


#: The order of a component row's indicator values, in the detail and in what a write reads.
_VALUE_ORDER = ("position", "indicator_id")


def _values_in_detail_order() -> Prefetch:
    return Prefetch("indicators", queryset=CalculationComponentIndicator.objects.order_by(*_VALUE_ORDER))


def calculation_rows(calculation: Calculation) -> tuple[list[CalculationComponent], list[TechnicalRequirement]]:
    """The stored rows a write or the engine works on, in detail order (3 queries).

    Component rows come with their component (and its type), their own component type and their
    indicator values; requirement rows with their indicator.
    """
    components = (
        CalculationComponent.objects.filter(calculation=calculation)
        .select_related("component__component_type", "component_type")
        .prefetch_related(_values_in_detail_order())
        .order_by("position")
    )
    requirements = (
        TechnicalRequirement.objects.filter(calculation=calculation).select_related("indicator").order_by("position")
    )
    return list(components), list(requirements)


# The detail's reads, compiled once per process (``common.compiled``): the ORM built their SQL
# on every request, about half of the detail's time. The values are read by the calculation
# (a join) rather than by the ids of its component rows, and grouped by row here.
_DETAIL_GUID = Placeholder(0, uuid.UUID("7351902a-0000-4000-8000-000000000474"))
_DETAIL_HEADER = CompiledQuery(
    lambda guid: Calculation.objects.select_related("author").filter(guid=guid)[:1], [_DETAIL_GUID]
)
_DETAIL_COMPONENTS = CompiledQuery(
    lambda guid: CalculationComponent.objects.filter(calculation_id=guid).order_by("position"), [_DETAIL_GUID]
)
_DETAIL_VALUES = CompiledQuery(
    lambda guid: CalculationComponentIndicator.objects.filter(calc_component__calculation_id=guid).order_by(
        *_VALUE_ORDER
    ),
    [_DETAIL_GUID],
)
_DETAIL_REQUIREMENTS = CompiledQuery(
    lambda guid: (
        TechnicalRequirement.objects.select_related("indicator").filter(calculation_id=guid).order_by("position")
    ),
    [_DETAIL_GUID],
)


@dataclass(frozen=True)
class CalculationDetail:
    """A calculation with everything its detail shows, in detail order (as ``WrittenCalculation``)."""

    calculation: Calculation
    components: list[tuple[CalculationComponent, list[CalculationComponentIndicator]]]
    requirements: list[TechnicalRequirement]


def calculation_detail(*, guid: uuid.UUID) -> CalculationDetail:
    """A calculation with everything the detail shows (4 queries); unknown: ``NotFoundError``."""
    calculation = _DETAIL_HEADER.first(guid)
    if calculation is None:
        raise calculation_not_found(guid)
    rows = _DETAIL_COMPONENTS.fetch(guid)
    values: dict[uuid.UUID, list[CalculationComponentIndicator]] = {row.id: [] for row in rows}
    for value in _DETAIL_VALUES.fetch(guid) if rows else ():
        values[value.calc_component_id].append(value)
    return CalculationDetail(calculation, [(row, values[row.id]) for row in rows], _DETAIL_REQUIREMENTS.fetch(guid))
