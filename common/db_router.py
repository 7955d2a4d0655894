"""Read replicas: safe requests read a streaming standby, everything else the primary.

* ``ReplicaReadsMiddleware`` marks a request replica-eligible when its method is safe (GET,
  HEAD, OPTIONS), in a context variable that lives for the request.
* ``ReplicaRouter.db_for_read`` answers a replica alias only when the request is eligible, the
  ``default`` connection is not inside ``atomic()``, the model is not an identity/throttle
  model (login, token checks, permissions, the cache table read the primary) and a replica is
  healthy; a write (``db_for_write``) makes the rest of the request read the primary.
* A replica is healthy when it answers and its lag plus the age of that measurement stays
  within ``REPLICA_MAX_LAG_SECONDS``. The lag is measured on the replica (WAL received versus
  replayed, else the age of the last replayed commit), cached per process for
  ``REPLICA_CHECK_SECONDS``; a connection failure marks it down for ``REPLICA_RETRY_SECONDS``.
* A safe request that still ends with the database's 503 after reading a replica (the standby
  died mid-request) is marked down and run once more on the primary: a replica outage never
  becomes a 5xx.

With no ``DATABASE_REPLICA_URLS`` every method answers ``None``: all queries use ``default``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Lag in seconds as seen by the standby itself. Caught up (everything received is replayed, and
# the WAL receiver is streaming) is 0; otherwise the age of the last replayed commit, which only
# overstates the lag (an idle primary makes it grow): the conservative side. A server that is
# not in recovery is a primary (a mirror in tests): no lag.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0.0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0.0
    ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 1e9)::float
END
"""


@dataclass
class RequestState:
    eligible: bool
    replicas_used: set[str] = field(default_factory=set)
    rerun: bool = False  # the request may run again on the primary if its replica fails
    primary_only: bool = False  # that second run


_state: ContextVar[RequestState | None] = ContextVar("replica_request_state", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []) or [])


@contextlib.contextmanager
def use_primary():
    """Every read inside the block goes to the primary (the request stays as it was after)."""
    state = _state.get()
    if state is None or not state.eligible:
        yield
        return
    state.eligible = False
    try:
        yield
    finally:
        state.eligible = True


@contextlib.contextmanager
def replica_reads():
    """Replica-eligible reads outside a request (management commands, tests)."""
    token = _state.set(RequestState(eligible=True))
    try:
        yield
    finally:
        _state.reset(token)


# --- replica health (per process) --------------------------------------------------------


@dataclass
class _Health:
    checked_at: float = 0.0  # monotonic time of the last measurement
    lag: float = 0.0
    down_until: float = 0.0


class ReplicaHealth:
    """Per-process view of each replica: lag measured at most every ``REPLICA_CHECK_SECONDS``."""

    def __init__(self):
        self._lock = threading.Lock()
        self._health: dict[str, _Health] = {}

    def reset(self) -> None:
        with self._lock:
            self._health.clear()

    def _entry(self, alias: str) -> _Health:
        with self._lock:
            return self._health.setdefault(alias, _Health())

    def mark_down(self, alias: str, reason: object) -> None:
        entry = self._entry(alias)
        retry = float(getattr(settings, "REPLICA_RETRY_SECONDS", 5.0))
        entry.down_until = time.monotonic() + retry
        entry.checked_at = 0.0
        logger.warning("replica %s skipped for %.0fs: %s", alias, retry, reason)
        with contextlib.suppress(Exception):
            connections[alias].close()

    def is_usable(self, alias: str) -> bool:
        entry = self._entry(alias)
        now = time.monotonic()
        if now < entry.down_until:
            return False
        max_lag = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 5.0))
        check_every = float(getattr(settings, "REPLICA_CHECK_SECONDS", 1.0))
        if not entry.checked_at or now - entry.checked_at >= check_every:
            try:
                entry.lag = self._measure(alias)
            except DatabaseError as exc:
                self.mark_down(alias, exc)
                return False
            entry.checked_at = time.monotonic()
            if entry.lag > max_lag:
                logger.info("replica %s lags %.1fs (> %.1fs): reads use the primary", alias, entry.lag, max_lag)
        # The lag cannot have grown by more than the time since it was measured.
        return entry.lag + (time.monotonic() - entry.checked_at) <= max_lag

    @staticmethod
    def _measure(alias: str) -> float:
        connection = connections[alias]
        connection.close_if_health_check_failed()
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])

    def lag(self, alias: str) -> float | None:
        entry = self._health.get(alias)
        return None if entry is None or not entry.checked_at else entry.lag


health = ReplicaHealth()


def _primary_only(model) -> bool:
    meta = model._meta
    labels = set(getattr(settings, "REPLICA_PRIMARY_ONLY", ()))
    return meta.app_label in labels or meta.label_lower in labels or meta.label == settings.AUTH_USER_MODEL


def choose_replica(model=None) -> str | None:
    """The replica alias this read may use now, or ``None`` for the primary."""
    aliases = replica_aliases()
    if not aliases:
        return None
    state = _state.get()
    if state is None or not state.eligible:
        return None
    if model is not None and _primary_only(model):
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    # Sticky within a request: the replica it already reads, else the first healthy one in order
    # from a per-process starting point (spreads processes over several replicas).
    for alias in sorted(state.replicas_used) or _rotation(aliases):
        if health.is_usable(alias):
            state.replicas_used.add(alias)
            return alias
    return None


_rotation_start = int(time.time() * 1000) % 997


def _rotation(aliases: list[str]) -> list[str]:
    start = _rotation_start % len(aliases)
    return aliases[start:] + aliases[:start]


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry; inert (answers ``None``) when no replica is configured."""

    def db_for_read(self, model, **hints):
        if not replica_aliases():
            return None
        return choose_replica(model) or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if not replica_aliases():
            return None
        state = _state.get()
        if state is not None:
            state.eligible = False  # the request writes: its later reads see its own writes
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = replica_aliases()
        if not aliases:
            return None
        same_data = {DEFAULT_DB_ALIAS, *aliases}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in replica_aliases():
            return False
        return None


class ReplicaReadsMiddleware:
    """Marks safe requests replica-eligible; reruns one on the primary if its replica failed.

    A view class may declare ``replica_reads = True`` when it only reads although its method
    is POST (the formula list takes its filters as a body): its request is eligible too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        state = RequestState(eligible=safe and bool(replica_aliases()), rerun=safe)
        token = _state.set(state)
        try:
            response = self.get_response(request)
            if state.replicas_used and response.status_code == 503 and state.rerun:
                for alias in state.replicas_used:
                    health.mark_down(alias, "a read-only request failed with 503 while reading it")
                if hasattr(request, "_body"):
                    request._stream = io.BytesIO(request._body)  # the body again, for the rerun
                _state.set(RequestState(eligible=False, primary_only=True))
                response = self.get_response(request)
            return response
        finally:
            _state.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
        if state is None or state.primary_only or not getattr(view_class, "replica_reads", False):
            return
        if not replica_aliases():
            return
        try:
            request.body  # noqa: B018 (read now and kept, so the request can run again)
        except Exception:  # too large or unreadable: the view answers that, on the primary
            return
        state.eligible = True
        state.rerun = True
