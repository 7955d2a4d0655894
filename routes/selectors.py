"""Reads of the routes app: ordered querysets with their joins fixed (routes.md, Decision 5).

List selectors return ``.values()`` querysets whose rows are the exact dicts the API answers
(each documented by its serializer in ``routes/serializers.py``; ``tests/routes/
test_builders_match_schema.py`` holds them to it), so a page is one query and no serializer
has to walk model instances.
"""

from __future__ import annotations

from django.db.models import QuerySet
from psycopg.types.numeric import Int4, Int8

from common.compiled import CompiledFlatRows, CompiledQuery, CompiledRows, CompiledValues, Placeholder, Window
from common.exceptions import NotAllowedError, NotFoundError
from routes.models import STATISTICS, ChatRole, Department, Pizzeria, Region, ReportRoute, ReportType, TelegramChat

CHAT_NOT_FOUND = "Chat by chat ID is not found"
NO_ROLE = "User has no any role"

# ``/units/`` answers the region by its name under ``region``, which ``.values()`` cannot alias
# (it is the foreign key's own name): the rows are value tuples that ``pizzeria_row`` names once.
PIZZERIA_ROW = {
    "id": "id",
    "name": "name",
    "uuid": "uuid",
    "office_manager_account_name": "office_manager_account_name",
    "dodo_is_api_account_name": "dodo_is_api_account_name",
    "region": "region__name",
}
ROLE_PIZZERIA_FIELDS = ("id", "name", "uuid", "region_id", "office_manager_account_name", "dodo_is_api_account_name")
REPORT_TYPE_FIELDS = ("id", "name", "verbose_name")


def pizzeria_list() -> QuerySet:
    """Units by id, as value tuples in ``PIZZERIA_ROW`` order: ``pizzeria_row`` makes each ``/units/`` row."""
    return Pizzeria.objects.order_by("id").values_list(*PIZZERIA_ROW.values())


def pizzeria_row(values: tuple) -> dict:
    """A ``pizzeria_list`` tuple as ``/units/`` answers it (``UnitOutputSerializer``)."""
    return dict(zip(PIZZERIA_ROW, values, strict=True))


def _storable(text: str) -> bool:
    """PostgreSQL text cannot hold NUL: such a name names nothing (and must not reach the query)."""
    return "\x00" not in text


def _pizzeria_by_name(name: str) -> QuerySet:
    return pizzeria_list().filter(name=name)[:1]


_PIZZERIA_BY_NAME = CompiledRows(_pizzeria_by_name, [Placeholder(0, "unit-name-placeholder-7351902470")])


def pizzeria_get_by_name(*, name: str) -> dict:
    rows = _PIZZERIA_BY_NAME.fetch(name) if _storable(name) else []
    if not rows:
        raise NotFoundError("Unit by name is not found", resource="unit")
    return pizzeria_row(rows[0])


def region_list() -> QuerySet:
    return Region.objects.order_by("id").values("id", "name")


def department_list() -> QuerySet:
    return Department.objects.order_by("id").values("id", "name", "uuid")


def telegram_chat_list() -> QuerySet:
    return TelegramChat.objects.order_by("id").values("title", "chat_id")


def _chat_by_id(chat_id: int) -> QuerySet[TelegramChat]:
    return TelegramChat.objects.select_related("role").filter(chat_id=chat_id).order_by("pk")[:1]


# The bot looks a chat up (with its role) on most of its calls: the SQL is built once per
# process. The placeholder is no Telegram chat id (those are below -10**12 or above 0); a
# ``BigIntegerField``'s parameter is psycopg's ``Int8``, as the ORM sends it.
_CHAT_BY_ID = CompiledQuery(_chat_by_id, [Placeholder(0, Int8(-7_351_902_465))])


def telegram_chat_get(*, chat_id: int) -> TelegramChat:
    chat = _CHAT_BY_ID.first(Int8(chat_id))
    if chat is None:
        raise NotFoundError(CHAT_NOT_FOUND, resource="telegram_chat")
    return chat


def report_type_list() -> QuerySet:
    """Active types that are not statistics children (``STATISTICS`` itself is listed)."""
    return (
        ReportType.objects.filter(is_active=True)
        .exclude(parent__name=STATISTICS)
        .order_by("-priority", "id")
        .values(*REPORT_TYPE_FIELDS)
    )


def statistics_report_type_list() -> QuerySet:
    return (
        ReportType.objects.filter(is_active=True, parent__name=STATISTICS)
        .order_by("-priority", "id")
        .values(*REPORT_TYPE_FIELDS)
    )


def _active_report_type(name: str) -> QuerySet:
    return ReportType.objects.filter(name=name, is_active=True).order_by("pk").values(*REPORT_TYPE_FIELDS)


_ACTIVE_REPORT_TYPE = CompiledValues(_active_report_type, [Placeholder(0, "report-type-placeholder-7351902471")])


def report_type_get_active_by_name(*, name: str) -> dict:
    rows = _ACTIVE_REPORT_TYPE.fetch_window(name, offset=0, limit=1) if _storable(name) else []
    if not rows:
        raise NotFoundError("Report type is not found", resource="report_type")
    return rows[0]


def _routed_unit_ids(chat_id: int, report_type_id: int) -> QuerySet:
    return (
        ReportRoute.objects.filter(telegram_chat__chat_id=chat_id, report_type_id=report_type_id)
        .order_by("id")
        .values_list("unit_id", flat=True)
    )


def _routed_chat_ids(unit_id: int, report_type_id: int) -> QuerySet:
    return (
        ReportRoute.objects.filter(unit_id=unit_id, report_type_id=report_type_id)
        .order_by("id")
        .values_list("telegram_chat__chat_id", flat=True)
    )


# The report routes the bot reads for every report it sends, compiled once per process; the
# placeholders are no chat, unit or type (a chat id is an ``Int8`` parameter, a unit id an
# ``Int4``, as the ORM sends them).
_ROUTED_UNIT_IDS = CompiledFlatRows(
    _routed_unit_ids, [Placeholder(0, Int8(-7_351_902_467)), Placeholder(1, -7_351_902_468)]
)
_ROUTED_CHAT_IDS = CompiledFlatRows(
    _routed_chat_ids, [Placeholder(0, Int4(-735_190_246)), Placeholder(1, -7_351_902_468)]
)


def report_route_pizzeria_ids(*, chat_id: int, report_type_id: int) -> Window:
    """Unit ids routed to a chat for one type; an unknown chat or type is simply empty."""
    return Window(_ROUTED_UNIT_IDS, Int8(chat_id), report_type_id)


def report_route_chat_ids(*, unit_id: int, report_type_id: int) -> Window:
    """Telegram chat ids (not internal ids) that receive one type's reports about a unit."""
    return Window(_ROUTED_CHAT_IDS, Int4(unit_id), report_type_id)


def chat_role_of(*, chat_id: int) -> ChatRole:
    """The role of a chat: 404 for an unknown chat, 403 for a chat without a role."""
    chat = telegram_chat_get(chat_id=chat_id)
    if chat.role is None:
        raise NotAllowedError(NO_ROLE)
    return chat.role


def _role_units(role_id: int) -> QuerySet:
    return Pizzeria.objects.filter(roles=role_id).order_by("id")


def _role_unit_rows(role_id: int) -> QuerySet:
    return _role_units(role_id).values(*ROLE_PIZZERIA_FIELDS)


def _role_regions(role_id: int) -> QuerySet:
    """Regions holding at least one unit of the role."""
    region_ids = Pizzeria.objects.filter(roles=role_id).values("region_id")
    return Region.objects.filter(id__in=region_ids).order_by("id").values("id", "name")


def _role_report_types(role_id: int) -> QuerySet:
    """The role's report types, active or not, as the original listed them."""
    return ReportType.objects.filter(roles=role_id).order_by("-priority", "id").values(*REPORT_TYPE_FIELDS)


# A role's lists (the bot's menus), compiled once per process like the unfiltered lists below;
# the placeholder is no role's id.
_ROLE_PAGES = {
    select: CompiledValues(select, [Placeholder(0, -7_351_902_466)])
    for select in (_role_unit_rows, _role_regions, _role_report_types)
}


def chat_role_pizzeria_list(*, role: ChatRole, region_id: int | None = None) -> QuerySet | Window:
    if region_id is not None:
        return _role_units(role.pk).filter(region_id=region_id).values(*ROLE_PIZZERIA_FIELDS)
    return Window(_ROLE_PAGES[_role_unit_rows], role.pk)


def chat_role_region_list(*, role: ChatRole) -> Window:
    return Window(_ROLE_PAGES[_role_regions], role.pk)


def chat_role_report_type_list(*, role: ChatRole) -> Window:
    return Window(_ROLE_PAGES[_role_report_types], role.pk)


# The unfiltered lists' pages read SQL compiled once per process (``common.compiled``): the
# ORM compiled each on every request, about as long as the database took to answer it.
_PAGES = {
    select: (CompiledRows if select is pizzeria_list else CompiledValues)(select, [])
    for select in (
        pizzeria_list,
        region_list,
        department_list,
        telegram_chat_list,
        report_type_list,
        statistics_report_type_list,
    )
}


def page_of(select) -> Window:
    """What the paginator reads for one of the unfiltered list selectors above (``_PAGES``)."""
    return Window(_PAGES[select])
