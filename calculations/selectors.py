"""Reads of the calculations app: catalogs, the calculation list with search, the detail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    Indicator,
    TechnicalRequirement,
)

MAX_SEARCH_TOKENS = 10


def russian_key(name: str) -> tuple[str, str]:
    """Dictionary order for Russian names without an ICU collation: case-insensitive, Ё as Е.

    The embedded PostgreSQL is built without ICU (no ``ru-x-icu``) and its C.UTF-8 order puts
    "Ёлка" before "Апельсин"; catalogs are small and unpaginated, so they are sorted here.
    """
    folded = name.casefold().replace("ё", "е")
    return folded, name


def catalog_list(model) -> list:
    """Every row of a simple catalog in Russian name order (one query)."""
    return sorted(model.objects.all(), key=lambda row: russian_key(row.name))


def venue_list(model) -> list:
    return sorted(model.objects.all(), key=lambda row: (not row.is_main, russian_key(row.name)))


def component_list(model) -> list:
    return sorted(model.objects.all(), key=lambda row: russian_key(row.name))


def product_list(model) -> list:
    return sorted(model.objects.select_related("product_type"), key=lambda row: russian_key(row.name))


def indicator_list() -> list[Indicator]:
    """Indicators in ordinal order with their product types aggregated (one query)."""
    rows = Indicator.objects.annotate(
        type_guids=ArrayAgg("product_types__guid", order_by=("product_types__name",), default=Value([])),
        type_names=ArrayAgg("product_types__name", order_by=("product_types__name",), default=Value([])),
    )
    return sorted(rows, key=lambda row: (row.ordinal, russian_key(row.name)))


def user_list() -> list:
    """Active users and every author of a calculation, so each ``userID`` resolves (Decision 2)."""
    User = get_user_model()
    authors = Calculation.objects.filter(author=OuterRef("pk"))
    users = User.objects.filter(Q(enabled=True) | Exists(authors))
    return sorted(users, key=lambda user: russian_key(user.full_name))


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


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """Every token matches some field as a substring, or the whole query matches Russian full text (§7)."""
    tokens = text.split()[:MAX_SEARCH_TOKENS]
    if not tokens:
        return queryset
    queryset = queryset.annotate(
        author_name=Concat("author__first_name", Value(" "), "author__last_name"),
        document=SearchVector(
            "comment", "product__name", "specification__name", "norm_tech_doc__name", config="russian"
        ),
    )
    substring = Q()
    for token in tokens:
        substring &= (
            Q(number__icontains=token)
            | Q(comment__icontains=token)
            | Q(product__name__icontains=token)
            | Q(specification__name__icontains=token)
            | Q(norm_tech_doc__name__icontains=token)
            | Q(author_name__icontains=token)
            | Q(author__username__icontains=token)
        )
    query = SearchQuery(" ".join(tokens), search_type="websearch", config="russian")
    return queryset.filter(substring | Q(document=query))


def calculation_search(filters: CalculationFilters) -> QuerySet[Calculation]:
    """The filtered, ordered calculations (no paging); ``select_related`` fixed for the row shape."""
    queryset = Calculation.objects.select_related("author", "product", "specification", "norm_tech_doc")
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


def calculation_detail(*, guid: uuid.UUID) -> Calculation | None:
    """A calculation with everything the detail shows (4 queries)."""
    indicators = Prefetch(
        "indicators", queryset=CalculationComponentIndicator.objects.order_by("position", "indicator_id")
    )
    return (
        Calculation.objects.select_related("author")
        .prefetch_related(
            Prefetch(
                "components",
                queryset=CalculationComponent.objects.order_by("position").prefetch_related(indicators),
            ),
            Prefetch(
                "technical_requirements",
                queryset=TechnicalRequirement.objects.select_related("indicator").order_by("position"),
            ),
        )
        .filter(guid=guid)
        .first()
    )
