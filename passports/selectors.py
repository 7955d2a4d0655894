"""Reads of the Feecc API: ordered querysets with their joins fixed here (constant query counts)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.compiled import CompiledCount, CompiledFlatRows, CompiledQuery, CompiledValues, Placeholder, Window
from common.exceptions import NotFoundError
from passports.models import (
    Employee,
    ProductionSchema,
    ProductionStage,
    Protocol,
    ProtocolStatus,
    ProtocolTemplate,
    Unit,
)
from passports.permissions import rule_set_of

_THIRTEEN_DIGITS = re.compile(r"^\d{13}$")
TESTING_TYPE = "Testing"


# --- not-found errors (the feecc style adds the resource's keys as null: Decision 10) --------


def passport_not_found() -> NotFoundError:
    return NotFoundError("Not found", resource="passport")


def stage_not_found() -> NotFoundError:
    return NotFoundError("Not found", resource="stage")


def schema_not_found(schema_id: str) -> NotFoundError:
    return NotFoundError(f"Not found: No schema for unit {schema_id}", resource="schema", key=schema_id)


def user_not_found() -> NotFoundError:
    return NotFoundError("Not found", resource="user")


def employee_not_found(rfid_card_id: str) -> NotFoundError:
    return NotFoundError(f"Employee with id {rfid_card_id} not found", resource="employee", key=rfid_card_id)


# --- passports ------------------------------------------------------------------------------


def _ordered(queryset: QuerySet, sort_by_date: str) -> QuerySet:
    # The original's inverted enum (passports.md §0.5): "asc" shows the newest first.
    if sort_by_date == "asc":
        return queryset.order_by("-creation_time", "-id")
    return queryset.order_by("creation_time", "id")


def _schema_ids(condition: Q) -> list[str]:
    return list(ProductionSchema.objects.filter(condition).values_list("schema_id", flat=True))


def unit_list(
    *,
    sort_by_date: str = "desc",
    status: str | None = None,
    name: str | None = None,
    date: tuple[dt.datetime, dt.datetime] | None = None,
    types: list[str] | None = None,
) -> QuerySet[Unit]:
    """Units matching every given filter (passports.md §4.8 with recommendations 6, 9–11).

    Schema-level conditions are resolved to schema ids first (schemas are few), so the unit
    query filters on indexed columns only: at most two extra queries whatever the page.
    """
    queryset = _all_units()
    if status:
        queryset = queryset.filter(status=status)
    if date:
        queryset = queryset.filter(creation_time__gte=date[0], creation_time__lt=date[1])
    if types:
        queryset = queryset.filter(schema_id__in=_schema_ids(Q(schema_type__in=types)))
    if name:
        if "url.today" in name:
            queryset = queryset.filter(passport_short_url=name)
        elif len(name) == 32:
            queryset = queryset.filter(uuid=name)
        elif _THIRTEEN_DIGITS.match(name):
            queryset = queryset.filter(internal_id=name)
        else:
            by_schema = Q(schema_id__in=_schema_ids(Q(unit_name__icontains=name)))
            by_model = Q(model__isnull=False, model__icontains=name)
            queryset = queryset.filter(by_schema | by_model)
    return _ordered(queryset, sort_by_date)


#: What the list never shows of a unit's schema and its parent (each row would decode them).
_SCHEMA_BODY = ("production_stages", "required_components_schema_ids")


def _all_units() -> QuerySet[Unit]:
    """Units with their schema and its parent, without the schemas' stages and components
    (``_SCHEMA_BODY``): a page of 100 decoded up to 200 JSON documents it never showed."""
    unread = [f"{path}__{name}" for path in ("schema", "schema__parent_schema") for name in _SCHEMA_BODY]
    return Unit.objects.select_related("schema__parent_schema").defer(*unread)


#: What the list shows of a unit (``PassportRowOutputSerializer`` reads them): its own
#: columns, and by name its schema's type and name and its parent schema's name.
UNIT_ROW_FIELDS = (
    "schema_id",
    "uuid",
    "internal_id",
    "passport_short_url",
    "passport_ipfs_cid",
    "is_in_db",
    "featured_in_int_id",
    "components_internal_ids",
    "model",
    "creation_time",
    "serial_number",
    "status",
    "txn_hash",
)
_UNIT_ROW_SCHEMA = {
    "schema_type": F("schema__schema_type"),
    "schema_unit_name": F("schema__unit_name"),
    "parent_unit_name": F("schema__parent_schema__unit_name"),
}


def unit_rows(units: QuerySet[Unit]) -> QuerySet:
    """``units`` as ``.values()`` rows of what the list shows (``UNIT_ROW_FIELDS`` and the schema's
    columns): a page of 100 built 300 model instances (unit, schema, parent) it only read."""
    return units.values(*UNIT_ROW_FIELDS, **_UNIT_ROW_SCHEMA)


#: The unfiltered list's rows in either order, compiled once per process, and its count.
_UNIT_PAGES = {
    order: CompiledValues(lambda order=order: unit_rows(_ordered(Unit.objects.all(), order)), [])
    for order in ("asc", "desc")
}
_UNIT_COUNT = CompiledCount(_all_units, [])


def unit_page(*, sort_by_date: str = "desc", **filters) -> QuerySet | Window:
    """What the passports list's paginator reads: ``unit_list``'s units as ``unit_rows``, from SQL
    compiled once per order when no filter is given (the list as the frontend opens it)."""
    if any(filters.values()):
        return unit_rows(unit_list(sort_by_date=sort_by_date, **filters))
    return Window(_UNIT_PAGES["asc" if sort_by_date == "asc" else "desc"], counted=_UNIT_COUNT)


def _first(queryset: QuerySet) -> QuerySet:
    """What ``queryset.first()`` reads: its first row by the model's order, else by pk."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


# The detail lookups, compiled once per process (``common.compiled``); the placeholders are
# no real id.
_UNIT_BY_ID = CompiledQuery(
    lambda internal_id: _first(Unit.objects.select_related("schema__parent_schema").filter(internal_id=internal_id)),
    [Placeholder(0, "unit-placeholder-7351902472")],
)
_STAGE_BY_ID = CompiledQuery(
    lambda stage_id: _first(ProductionStage.objects.filter(stage_id=stage_id)),
    [Placeholder(0, "stage-placeholder-7351902472")],
)
_SCHEMA_BY_ID = CompiledQuery(
    lambda schema_id: _first(ProductionSchema.objects.filter(schema_id=schema_id)),
    [Placeholder(0, "schema-placeholder-7351902472")],
)
_EMPLOYEE_BY_CARD = CompiledQuery(
    lambda card: _first(Employee.objects.filter(rfid_card_id=card)), [Placeholder(0, "card-placeholder-7351902472")]
)
_EMPLOYEE_BY_CODE = CompiledQuery(
    lambda code: _first(Employee.objects.filter(passport_code=code)), [Placeholder(0, "code-placeholder-7351902472")]
)


# A unit's stages in biography order (the detail's ``biography``), compiled too.
_BIOGRAPHY = CompiledQuery(
    lambda unit_uuid: ProductionStage.objects.filter(parent_unit_id=unit_uuid).order_by(
        "number", "creation_time", "id"
    ),
    [Placeholder(0, "biography-placeholder-7351902475")],
)


def unit_get(*, internal_id: str, with_biography: bool = False) -> Unit:
    """The unit (with its schema and parent schema); ``with_biography``: its stages too, as
    ``unit.biography`` (each with the unit as its ``parent_unit``, as a prefetch leaves them)."""
    unit = _UNIT_BY_ID.first(internal_id)
    if unit is None:
        raise passport_not_found()
    if with_biography:
        unit.biography = _BIOGRAPHY.fetch(unit.uuid)
        for stage in unit.biography:
            stage.parent_unit = unit
    return unit


_UNIT_TYPES = CompiledFlatRows(
    lambda: (
        ProductionSchema.objects.exclude(schema_type=TESTING_TYPE)
        .order_by("schema_type")
        .values_list("schema_type", flat=True)
        .distinct()
    ),
    [],
)


def unit_types() -> list[str]:
    """The schemas' types but the testing one, in order (compiled once per process)."""
    return _UNIT_TYPES.fetch()


# --- stages, schemas, employees -------------------------------------------------------------


def stage_list(*, with_employee_names: bool = False) -> QuerySet[ProductionStage]:
    """Stages by id; ``with_employee_names``: each with ``employee_display_name``, the name of the
    employee whose ``passport_code`` the stage stores, or the stored value when none has it."""
    queryset = ProductionStage.objects.order_by("id")
    if with_employee_names:
        name = Employee.objects.filter(passport_code=OuterRef("employee_name")).values("name")[:1]
        queryset = queryset.annotate(employee_display_name=Coalesce(Subquery(name), F("employee_name")))
    return queryset


def stage_get(*, stage_id: str) -> ProductionStage:
    stage = _STAGE_BY_ID.first(stage_id)
    if stage is None:
        raise stage_not_found()
    return stage


def schema_list() -> QuerySet[ProductionSchema]:
    return ProductionSchema.objects.order_by("id")


def schema_get(*, schema_id: str) -> ProductionSchema:
    schema = _SCHEMA_BY_ID.first(schema_id)
    if schema is None:
        raise schema_not_found(schema_id)
    return schema


def employee_list() -> QuerySet[Employee]:
    return Employee.objects.order_by("id")


def employee_get(*, rfid_card_id: str) -> Employee:
    employee = _EMPLOYEE_BY_CARD.first(rfid_card_id)
    if employee is None:
        raise employee_not_found(rfid_card_id)
    return employee


def employee_decode(*, passport_code: str) -> Employee:
    employee = _EMPLOYEE_BY_CODE.first(passport_code)
    if employee is None:
        raise NotFoundError(f"Employee with code {passport_code} not found")
    return employee


_EMPLOYEE_OF_USER = CompiledQuery(
    lambda user_id: _first(Employee.objects.filter(user_links__user=user_id)), [Placeholder(0, -7_351_902_473)]
)


def employee_of_user(user) -> Employee | None:
    """The employee linked to a Feecc user (``associated_employee``), or ``None``."""
    return _EMPLOYEE_OF_USER.first(user.pk)


@dataclass(frozen=True)
class FeeccUserProfile:
    """What the users API tells about a user: its rules and its employee."""

    username: str
    rule_set: list[str]
    employee: Employee | None


def feecc_user_profile(user) -> FeeccUserProfile:
    return FeeccUserProfile(username=user.username, rule_set=rule_set_of(user), employee=employee_of_user(user))


# --- protocols ------------------------------------------------------------------------------


def protocol_list(
    *,
    sort_by_date: str = "desc",
    status: str | None = None,
    name: str | None = None,
    date: tuple[dt.datetime, dt.datetime] | None = None,
) -> QuerySet[Protocol]:
    """Filled protocols (never templates); ``name`` is an OR (recommendation 20, Decision 10)."""
    queryset = Protocol.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if date:
        queryset = queryset.filter(creation_time__gte=date[0], creation_time__lt=date[1])
    if name:
        queryset = queryset.filter(
            Q(protocol_name__icontains=name)
            | Q(default_serial_number__icontains=name)
            | Q(associated_unit__serial_number__icontains=name)
        )
    return _ordered(queryset, sort_by_date)


def pending_threshold(now: dt.datetime | None = None) -> dt.datetime:
    """Local (``TIME_ZONE``) midnight of today minus two days (passports.md §4.6)."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=2)


_PENDING_IDS = CompiledFlatRows(
    lambda threshold: (
        Protocol.objects.filter(creation_time__lte=threshold, status__in=[ProtocolStatus.FIRST, ProtocolStatus.SECOND])
        .order_by("creation_time", "id")
        .values_list("protocol_id", flat=True)
    ),
    [Placeholder(0, dt.datetime(1901, 2, 3, 4, 5, 6, 735190, tzinfo=dt.UTC))],  # no real threshold
)


def protocol_pending_ids(*, now: dt.datetime | None = None) -> list[str]:
    """Protocols halfway through their approval created before ``pending_threshold`` (compiled)."""
    return _PENDING_IDS.fetch(pending_threshold(now))


_PROTOCOL_OF_UNIT = CompiledQuery(
    lambda internal_id: _first(
        Protocol.objects.select_related("associated_unit").filter(associated_unit_id=internal_id)
    ),
    [Placeholder(0, "protocol-unit-placeholder-7351902473")],
)


def protocol_of_unit(*, internal_id: str) -> Protocol | None:
    """The protocol of the unit ``internal_id`` with its unit (``associated_unit``, one join), or
    ``None``: where a protocol exists, the unit comes with it (the TCD detail's one read)."""
    return _PROTOCOL_OF_UNIT.first(internal_id)


def protocol_templates_for(*, schema_id: str) -> list[ProtocolTemplate]:
    """The first template of each distinct name for the schema (passports.md §4.5)."""
    return list(
        ProtocolTemplate.objects.filter(associated_with_schema_id=schema_id)
        .order_by("protocol_name", "id")
        .distinct("protocol_name")
    )


# --- Feecc users ----------------------------------------------------------------------------


def _feecc_user(username: str, company_id: int) -> QuerySet:
    from django.contrib.auth import get_user_model

    return _first(get_user_model().objects.filter(username=username, company_id=company_id))


_FEECC_USER = CompiledQuery(
    _feecc_user, [Placeholder(0, "feecc-user-placeholder-7351902474"), Placeholder(1, -7_351_902_474)]
)


def feecc_user_get(*, actor, username: str):
    """A user of the actor's company (the users API is fenced per company, Decision 5)."""
    user = _FEECC_USER.first(username, actor.company_id)
    if user is None:
        raise user_not_found()
    return user
