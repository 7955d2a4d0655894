"""Throttles counted atomically in PostgreSQL.

DRF's ``SimpleRateThrottle`` reads the attempt history from the cache, decides, then writes it
back: two concurrent attempts both read "9 of 10" and both pass (40 parallel logins let 11
through a 10/minute limit). Here one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per attempt
prunes the key's sliding window, counts it and appends the attempt only if there is room, under
the row lock PostgreSQL takes for the upsert: exactly ``num_requests`` attempts pass per window.

* ``CountedRateThrottle``: the base; a subclass says what it counts (``ident``).
* ``LoginIPThrottle`` / ``LoginUsernameThrottle``: every login endpoint, the admin's included.
  The username is counted as the lookups see it (``normalize_username``).
* ``check_in_order``: the throttles of a view one after another, stopping at the first refusal,
  so the per-IP check runs before the body is parsed for the per-username one.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.db import connection
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from common.models import ThrottleBucket

_TABLE = ThrottleBucket._meta.db_table

# One statement: insert the key's first attempt, or prune its window and append this attempt
# when there is room. ``allowed`` and ``hits`` on the right of SET are the row's old values.
_HIT_SQL = f"""
INSERT INTO {_TABLE} AS b (key, scope, ident, hits, allowed, expires_at)
VALUES (
    %(key)s, %(scope)s, %(ident)s,
    CASE WHEN %(limit)s > 0 THEN ARRAY[%(now)s::float8] ELSE '{{}}'::float8[] END,
    %(limit)s > 0,
    to_timestamp(%(now)s::float8 + %(duration)s)
)
ON CONFLICT (key) DO UPDATE SET
    allowed = (SELECT count(*) FROM unnest(b.hits) AS h WHERE h > %(cutoff)s) < %(limit)s,
    hits = ARRAY(SELECT h FROM unnest(b.hits) AS h WHERE h > %(cutoff)s) || CASE
        WHEN (SELECT count(*) FROM unnest(b.hits) AS h WHERE h > %(cutoff)s) < %(limit)s
        THEN ARRAY[%(now)s::float8] ELSE '{{}}'::float8[] END,
    expires_at = CASE
        WHEN (SELECT count(*) FROM unnest(b.hits) AS h WHERE h > %(cutoff)s) < %(limit)s
        THEN EXCLUDED.expires_at ELSE b.expires_at END
RETURNING allowed, hits, (xmax = 0) AS inserted
"""

# Rows of keys nobody tried for a whole window; SKIP LOCKED: never wait for a live attempt.
_PRUNE_SQL = f"""
DELETE FROM {_TABLE} WHERE key IN (
    SELECT key FROM {_TABLE} WHERE expires_at < to_timestamp(%(now)s::float8)
    ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED
)
"""


def record_attempt(*, scope: str, ident: str, limit: int, duration: float, now: float) -> tuple[bool, list[float]]:
    """Count one attempt of ``ident`` in ``scope``; ``(allowed, the window's counted attempts)``.

    Runs in autocommit (the project has no ATOMIC_REQUESTS), so a refused or failed request
    cannot roll its attempt back.
    """
    key = hashlib.sha256(f"{scope}\x00{ident}".encode("utf-8", "surrogatepass")).hexdigest()
    params = {
        "key": key,
        "scope": scope,
        # Shown to operators: PostgreSQL text holds neither NUL nor lone surrogates.
        "ident": ident.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "\\x00")[:200],
        "limit": int(limit),
        "duration": float(duration),
        "now": float(now),
        "cutoff": float(now) - float(duration),
    }
    with connection.cursor() as cursor:
        cursor.execute(_HIT_SQL, params)
        allowed, hits, inserted = cursor.fetchone()
        if inserted:  # the table only grows on a new key: prune then
            cursor.execute(_PRUNE_SQL, {"now": now})
    return allowed, sorted(hits)


class CountedRateThrottle(SimpleRateThrottle):
    """``SimpleRateThrottle`` (rates, scopes, ``Retry-After``) with the atomic counter above."""

    def ident(self, request, view) -> str | None:
        """What this throttle counts for ``request``; ``None``: not counted."""
        raise NotImplementedError

    def get_cache_key(self, request, view):  # pragma: no cover - DRF's cache path is not used
        raise NotImplementedError("CountedRateThrottle counts in ThrottleBucket, not in the cache")

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        ident = self.ident(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        allowed, self.history = record_attempt(
            scope=self.scope, ident=ident, limit=self.num_requests, duration=self.duration, now=self.now
        )
        return allowed

    def wait(self) -> float | None:
        """Seconds until the oldest counted attempt leaves the window (DRF rounds it up)."""
        if not self.history:
            return float(self.duration)
        # Clamped: a concurrent attempt that read the clock later may hold the oldest place.
        return min(max(self.history[0] + self.duration - self.now, 0.001), float(self.duration))


def first_refusal(throttles, request, view=None) -> float | None:
    """Ask ``throttles`` in order; the wait of the first that refuses, or ``None``: allowed."""
    for throttle in throttles:
        if not throttle.allow_request(request, view):
            return throttle.wait() or 1.0
    return None


def check_in_order(view, request) -> None:
    """``APIView.check_throttles`` that stops at the first refusing throttle.

    DRF asks every throttle even after one refused: that would parse the body (and count the
    username) of a request already refused per client address.
    """
    wait = first_refusal(view.get_throttles(), request, view)
    if wait is not None:
        view.throttled(request, wait)


def normalize_username(username: str) -> str:
    """A login name as the lookups see it: stripped (DRF's CharField and Django's UsernameField),
    NFKC (Django's UsernameField) and case-folded (so no letter case gets a budget of its own)."""
    return unicodedata.normalize("NFKC", username.strip()).strip().lower()


def username_of(request) -> str | None:
    """The username field of a login body (form or JSON); parse errors are the view's to answer."""
    data = request.data if isinstance(request, Request) else request.POST
    username = data.get("username") if hasattr(data, "get") else None
    if not isinstance(username, str):
        return None
    return normalize_username(username) or None


class LoginIPThrottle(CountedRateThrottle):
    """Login attempts per client address (``REMOTE_ADDR``, or ``X-Forwarded-For`` with NUM_PROXIES)."""

    scope = "login_ip"

    def ident(self, request, view) -> str | None:
        return self.get_ident(request)


class LoginUsernameThrottle(CountedRateThrottle):
    """Login attempts per username, whatever the client (form or JSON body)."""

    scope = "login_username"

    def ident(self, request, view) -> str | None:
        return username_of(request)


LOGIN_THROTTLES = [LoginIPThrottle, LoginUsernameThrottle]


class LoginThrottleMixin:
    """For a login view: ``LOGIN_THROTTLES``, the per-IP one checked before the body is parsed."""

    throttle_classes = LOGIN_THROTTLES

    def check_throttles(self, request):
        check_in_order(self, request)
