"""Reads of the accounts app: statistics, audit, process data, quotas (accounts.md, Decisions 4-10)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.db import connections, router
from django.db.models import CharField, Count, Exists, F, Func, Lookup, OuterRef, Q, QuerySet

from accounts.models import (
    BILLED_STATUSES,
    FlowType,
    Process,
    ProcessData,
    ProcessRequest,
    Quota,
    User,
    UserRole,
    default_quotas,
)
from accounts.statistics import StatisticsRow
from common.compiled import CompiledDicts, CompiledQuery, CompiledValues, Placeholder
from common.exceptions import FieldErrors, NotFoundError
from common.paging import total_of

AUDIT_SORT_FIELDS = {
    "time": "created_at",
    "process_code": "process_code",
    "service": "service",
    "process_type": "process_type",
    "username": "user__username",
    "status": "status",
}


def user_zone(user: User) -> dt_timezone:
    """The user's billing time zone: a fixed UTC offset in hours (Decision 6)."""
    return dt_timezone(timedelta(hours=user.timezone or 0))


def user_today(user: User, *, now: datetime) -> date:
    return now.astimezone(user_zone(user)).date()


#: The longest statistics period, in days (ten years and their leap days).
STATISTICS_DAYS_MAX = 3653


def statistics_period(
    *, user: User, now: datetime, date_from: date | None = None, date_to: date | None = None
) -> tuple[date, date]:
    """The billing days a statistics request covers, inclusive (Decision 6).

    ``date_from`` defaults to the first day of the user's month, ``date_to`` to yesterday (so
    on the 1st the default period is empty, not an error); a given period must run forwards
    and last at most ``STATISTICS_DAYS_MAX`` days.
    """
    today = user_today(user, now=now)
    start = date_from or today.replace(day=1)
    end = date_to or today - timedelta(days=1)
    if start > end and (date_from is not None or date_to is not None):
        raise FieldErrors({"from": [f"`from` ({start}) is later than `to` ({end})."]})
    if (end - start).days + 1 > STATISTICS_DAYS_MAX:
        raise FieldErrors({"to": [f"The period is longer than {STATISTICS_DAYS_MAX} days."]})
    return start, end


# --- statistics and report -------------------------------------------------------------


# The rows of ``ProcessUsage``, the rollup the triggers of migration 0003 keep exact on every
# write: a year is at most 365 x services x process types rows of one index range (the
# aggregate over the processes themselves took ~330 ms for a year of 1,000,000;
# bench/accounts_statistics.py prints both).
_STATISTICS_SQL = """
SELECT day, service, process_type, points, unique_points, elements, processes
FROM accounts_processusage
WHERE user_id = %(user_id)s AND day BETWEEN %(date_from)s AND %(date_to)s AND processes > 0
  {filters}
ORDER BY day, service COLLATE "C", process_type COLLATE "C"
"""

# The same rows computed from the processes (what the rollup must always equal): one
# aggregate per billing day, each an index-only range scan of ``accounts_process_stats_idx``.
STATISTICS_FROM_PROCESSES_SQL = """
SELECT days.day::date, usage.service, usage.process_type, usage.points, usage.unique_points, usage.elements,
       usage.processes
FROM generate_series(%(date_from)s::date, %(date_to)s::date, interval '1 day') AS days(day)
CROSS JOIN LATERAL (
    SELECT service, process_type,
           COALESCE(SUM(request_points_count), 0) AS points,
           COALESCE(SUM(unique_points_count), 0) AS unique_points,
           COALESCE(SUM(result_elements_count), 0) AS elements,
           COUNT(*) AS processes
    FROM accounts_process
    WHERE user_id = %(user_id)s
      AND status = ANY(%(statuses)s)
      AND created_at >= (days.day::timestamp - %(offset)s * interval '1 hour') AT TIME ZONE 'UTC'
      AND created_at < (days.day::timestamp + interval '1 day' - %(offset)s * interval '1 hour') AT TIME ZONE 'UTC'
      {filters}
    GROUP BY service, process_type
) AS usage
ORDER BY 1, usage.service COLLATE "C", usage.process_type COLLATE "C"
"""


def statistics_sql(
    *,
    user: User,
    date_from: date,
    date_to: date,
    service: str | None = None,
    process_type: str | None = None,
    source: str = _STATISTICS_SQL,
) -> tuple[str, dict]:
    """The statistics query (one SQL statement) and its parameters; ``source`` may be
    ``STATISTICS_FROM_PROCESSES_SQL`` to compute the same rows from the processes."""
    filters = []
    params = {
        "user_id": user.pk,
        "date_from": date_from,
        "date_to": date_to,
        "offset": user.timezone or 0,
        "statuses": [str(status) for status in BILLED_STATUSES],
    }
    if service:
        filters.append("AND service = %(service)s")
        params["service"] = service
    if process_type:
        filters.append("AND process_type = %(process_type)s")
        params["process_type"] = process_type
    return source.format(filters=" ".join(filters)), params


def statistics_rows(
    *,
    user: User,
    date_from: date,
    date_to: date,
    service: str | None = None,
    process_type: str | None = None,
    stream: bool = True,
) -> Iterator[StatisticsRow]:
    """Per billing day × service × process type sums of the user's billed processes.

    Rows are :data:`accounts.statistics.COLUMNS` tuples ordered by day, service, process
    type; days run in the user's fixed UTC offset, ``date_to`` inclusive. One query, read
    through a server-side cursor so that the report streams in bounded memory; ``stream=False``
    (an answer that holds every row anyway) reads them in one round trip, ~20 % faster for a year.
    """
    sql, params = statistics_sql(
        user=user, date_from=date_from, date_to=date_to, service=service, process_type=process_type
    )
    # Chosen now, inside the request: a streamed report's body runs after the request has ended
    # (and the router's per-request choice with it).
    alias = router.db_for_read(Process)
    if not stream:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return iter(cursor.fetchall())
    return _stream_rows(alias, sql, params)


def _stream_rows(alias: str, sql: str, params: dict) -> Iterator[StatisticsRow]:
    connection = connections[alias]
    # Behind a transaction-mode pooler a WITH HOLD cursor would outlive its server connection.
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            yield from rows


# --- audit -------------------------------------------------------------------------------


def audit_period(
    *, user: User, now: datetime, start: datetime | None = None, end: datetime | None = None
) -> tuple[datetime, datetime]:
    """The audit's creation-time period, inclusive (Decision 8).

    ``end`` defaults to now and ``start`` to the beginning of ``end``'s day in the user's time
    zone (today when ``end`` is absent); ``start`` must not be later than ``end``.
    """
    end = end or now
    if start is None:
        zone = user_zone(user)
        start = datetime.combine(end.astimezone(zone).date(), datetime.min.time(), tzinfo=zone)
    if start > end:
        raise FieldErrors({"from": ["`from` must not be later than `to`."]})
    return start, end


@dataclass(frozen=True)
class AuditFilters:
    start: datetime
    end: datetime
    service: str | None = None
    operation: str | None = None
    process_type: str | None = None
    status: str | None = None
    sort_field: str = "time"
    sort_direction: str = "ASC"
    offset: int = 0
    limit: int = 100


def processes_visible(*, user: User) -> QuerySet[Process]:
    """The processes a user may see: their own; the whole company's for a VRt ``ADMIN`` (Decision 4)."""
    return _visible(*_viewer(user))


def _viewer(user: User) -> tuple[bool, int]:
    """``(admin, owner id)``: a VRt ``ADMIN`` sees its company's processes, anyone else its own."""
    admin = UserRole.ADMIN in (user.roles or [])
    return admin, user.company_id if admin else user.pk


def _visible(admin: bool, owner_id: int) -> QuerySet[Process]:
    return Process.objects.filter(company_id=owner_id) if admin else Process.objects.filter(user_id=owner_id)


class UtcIsoformat(Func):
    """A ``timestamptz`` as ``datetime.isoformat()`` spells it in UTC (``2026-01-10T08:30:00+00:00``,
    microseconds only when not zero), computed by PostgreSQL: Django's ``timestamptz`` loader
    parses in Python (~9 µs a value), which was a quarter of a 2,001-action audit page."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        inner, params = compiler.compile(self.source_expressions[0])
        utc = f"({inner}) AT TIME ZONE 'UTC'"
        sql = (
            f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || CASE WHEN mod(date_part('microseconds', {utc})::bigint, 1000000) = 0 THEN ''"
            f" ELSE to_char({utc}, '.US') END || '+00:00')"
        )
        return sql, (*params, *params, *params)


@dataclass(frozen=True)
class AuditPage:
    overall: int
    filtered: int
    #: One dict per process: ``AUDIT_FIELDS`` plus ``time`` (ISO text), ``username``, ``company_key``,
    #: the two file flags and ``requests`` (``AUDIT_REQUEST_FIELDS`` and ``time_text``, in time order).
    actions: list[dict]


def audit_page(*, user: User, filters: AuditFilters) -> AuditPage:
    """One page of actions with their requests (two queries), and the counters (one aggregate).

    Without a filter beyond the period both counters are the period's total, and a page that
    is not full shows the end of the list: the total is then ``offset + len(page)`` and the
    aggregate does not run (``common.paging.total_of``). With a filter, or a full page,
    the aggregate runs first and an empty result skips the page queries.

    Rows are read as ``.values()``: a page of 2,001 actions with their requests built as model
    instances spent ~80% of the request instantiating them (bench/accounts_audit.py). The
    page's SQL is compiled once per shape of the request (``_audit_actions``).
    """
    admin, owner_id = _viewer(user)
    period = _visible(admin, owner_id).filter(created_at__gte=filters.start, created_at__lte=filters.end)
    match = _audit_match(**{name: getattr(filters, name) for name in AUDIT_MATCH_FIELDS})
    if match:
        counters = period.aggregate(overall=Count("id"), filtered=Count("id", filter=match))
        if not counters["filtered"] or filters.offset >= counters["filtered"]:
            return AuditPage(overall=counters["overall"], filtered=counters["filtered"], actions=[])
    actions = _audit_actions(admin, owner_id, filters)
    if not match:
        total = total_of(period, filters.offset, filters.limit, actions)
        counters = {"overall": total, "filtered": total}
    by_process: dict[int, list[dict]] = {action["id"]: [] for action in actions}
    if by_process:
        for request in _AUDIT_REQUESTS.fetch(list(by_process)):
            by_process[request["process_id"]].append(request)
    for action in actions:
        action["requests"] = by_process[action["id"]]
    return AuditPage(overall=counters["overall"], filtered=counters["filtered"], actions=actions)


#: The audit filters that narrow the period, in the order their values follow the period's.
AUDIT_MATCH_FIELDS = ("service", "process_type", "status", "operation")


def _audit_match(*, service=None, process_type=None, status=None, operation=None) -> Q:
    match = Q()
    if service:
        match &= Q(service=service)
    if process_type:
        match &= Q(process_type=process_type)
    if status:
        match &= Q(status=status)
    if operation:
        match &= Q(Exists(ProcessRequest.objects.filter(process_id=OuterRef("pk"), operation=operation)))
    return match


def audit_actions_queryset(
    admin: bool, owner_id: int, start: datetime, end: datetime, sort_field: str, descending: bool, **match
) -> QuerySet:
    """The audit's actions of a period (``match``: the ``AUDIT_MATCH_FIELDS`` given), in the
    requested order, as ``.values()`` dicts: unsliced."""
    column = AUDIT_SORT_FIELDS[sort_field]
    order = [F(column).desc() if descending else F(column).asc(), "-id" if descending else "id"]
    has_data = ProcessData.objects.filter(process_id=OuterRef("pk"))
    matching = (
        _visible(admin, owner_id).filter(created_at__gte=start, created_at__lte=end).filter(_audit_match(**match))
    )
    return matching.order_by(*order).values(
        "id",
        *AUDIT_FIELDS,
        time=UtcIsoformat("created_at"),
        username=F("user__username"),
        company_key=F("company__key"),
        input_file_exists=Exists(has_data.filter(flow_type=FlowType.INPUT)),
        output_file_exists=Exists(has_data.filter(flow_type=FlowType.OUTPUT)),
    )


# The page of actions built by the ORM cost ~1.1 ms a request to compile for ~1 ms of running
# it: its SQL is compiled once per shape (who sees, which filters, the order), at most
# 2 × 16 × 7 × 2 of them, with placeholders for the values.
_AUDIT_ACTIONS: dict[tuple, CompiledValues] = {}
_OWNER = Placeholder(0, -7_351_902_460)
_START = Placeholder(1, datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=UTC))
_END = Placeholder(2, datetime(1901, 2, 3, 4, 5, 7, 789_013, tzinfo=UTC))


def audit_actions_query(shape: tuple) -> CompiledValues:
    """The compiled page of actions of one shape: ``(admin, filters present, sort field, descending)``."""
    query = _AUDIT_ACTIONS.get(shape)
    if query is None:
        admin, present, sort_field, descending = shape

        def build(owner_id, start, end, *values):
            match = dict(zip(present, values, strict=True))
            return audit_actions_queryset(admin, owner_id, start, end, sort_field, descending, **match)

        placeholders = [
            _OWNER,
            _START,
            _END,
            *(Placeholder(3 + i, f"audit-{name}-placeholder-7351902460") for i, name in enumerate(present)),
        ]
        query = _AUDIT_ACTIONS.setdefault(shape, CompiledValues(build, placeholders))
    return query


def _audit_actions(admin: bool, owner_id: int, filters: AuditFilters) -> list[dict]:
    """The requested page of actions, as ``.values()`` dicts."""
    present = tuple(name for name in AUDIT_MATCH_FIELDS if getattr(filters, name))
    shape = (admin, present, filters.sort_field, filters.sort_direction == "DESC")
    return audit_actions_query(shape).fetch_window(
        owner_id,
        filters.start,
        filters.end,
        *(getattr(filters, name) for name in present),
        offset=filters.offset,
        limit=filters.limit,
    )


AUDIT_FIELDS = (
    "process_code",
    "service",
    "process_type",
    "status",
    "message",
    "request_points_count",
    "result_elements_count",
    "result_version",
    *Process.DURATION_FIELDS,
)
AUDIT_REQUEST_FIELDS = ("request_code", "username", "company", "service", "operation", "env", "pod")


class _AnyOf(Lookup):
    """``field = ANY(%s)``: one array parameter whatever the number of values, so a query that
    takes a list of ids compiles once (``IN (%s, %s, …)`` has one parameter per id)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


ProcessRequest._meta.get_field("process").register_lookup(_AnyOf)  # on this field only

# The requests of a page of actions, in time order, compiled once per process: the ORM built
# ``IN`` with a parameter per action on every page (0.7 of 1.4 ms for a page of 100).
_AUDIT_REQUESTS = CompiledDicts(
    lambda process_ids: (
        ProcessRequest.objects.filter(process__any_of=process_ids)
        .order_by("time", "id")
        .values("process_id", *AUDIT_REQUEST_FIELDS, time_text=UtcIsoformat("time"))
    ),
    [Placeholder(0, [-7_351_902_476])],  # no process has a negative key
)


# --- data and quotas -------------------------------------------------------------------


def process_data_read(*, user: User, process_code: str, flow_type: str, flow_stage: str) -> bytes:
    """The stored bytes of a visible process; unknown, invisible or absent → ``NotFoundError``."""
    content = (
        ProcessData.objects.filter(
            process__in=processes_visible(user=user).filter(process_code=process_code),
            flow_type=flow_type,
            flow_stage=flow_stage,
        )
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        raise NotFoundError(
            f"No {flow_type} {flow_stage} data for process {process_code}.", resource="process_data", key=process_code
        )
    return bytes(content)


# Read on every quota request: the SQL is built once per process.
_quotas_query = CompiledQuery(
    lambda company_id: Quota.objects.filter(company_id=company_id).order_by("service", "process_type"),
    [Placeholder(0, -7_351_902_464)],
)


def quotas_of(*, company_id: int) -> list[Quota]:
    """The company's quotas by service and process type; the defaults (unsaved) if none are stored.

    The clients require at least one service with one process (Decision 10), so a company
    whose quotas were all deleted in the admin still reads the defaults.
    """
    quotas = _quotas_query.fetch(company_id)
    if quotas:
        return quotas
    return sorted(default_quotas(company_id=company_id), key=lambda quota: (quota.service, quota.process_type))


def database_health() -> float:
    """1.0 when the database answers a query, 0.0 when it does not (never raises)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return 1.0 if cursor.fetchone() == (1,) else 0.0
    except Exception:
        return 0.0
