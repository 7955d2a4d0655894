"""Feecc's local times: ``TIME_ZONE`` on whole-minute UTC offsets.

ISO 8601 writes an offset as ``±hh:mm``. Until 1 July 1919 the Europe/Moscow zone data has
mean-time offsets with seconds (``+02:30:17`` until July 1916, then ``+02:31:19``,
``+03:31:19`` and ``+04:31:19``), which ``isoformat()`` printed as
``1900-01-01T02:30:17+02:30:17``: not ISO 8601, and JavaScript's ``Date`` cannot parse it. Here such an offset is rounded to the
minute: an aware value keeps its instant (``1900-01-01T02:30:00+02:30`` is the same moment),
and a naive value is read on the same rounded offset, so it reads back as it was sent.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _whole_minutes(offset: dt.timedelta) -> dt.timedelta | None:
    """``None`` if ``offset`` is already whole minutes, else the nearest whole-minute offset."""
    seconds = offset.total_seconds()
    if seconds % 60 == 0:
        return None
    return dt.timedelta(minutes=round(seconds / 60))


def to_local(value: dt.datetime) -> dt.datetime:
    """An aware ``value`` in ``TIME_ZONE``, on a whole-minute offset (the same instant).

    ``TIME_ZONE`` itself (Django's default time zone, cached), not the zone a request could
    activate: the project activates none, and reading the active one per value (a context-local
    lookup) was a third of the conversion, three per stage on a page of a hundred. A naive value
    is refused as ``timezone.localtime`` refuses it. Raises ``OverflowError`` when the local time
    is outside years 1–9999.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("to_local() cannot be applied to a naive datetime")
    local = value.astimezone(timezone.get_default_timezone())
    rounded = _whole_minutes(local.utcoffset())
    return local if rounded is None else value.astimezone(dt.timezone(rounded))


def from_wall_clock(value: dt.datetime) -> dt.datetime:
    """A naive ``value`` as a wall-clock time in ``TIME_ZONE``, on the offset ``to_local`` uses."""
    aware = timezone.make_aware(value)
    rounded = _whole_minutes(aware.utcoffset())
    return aware if rounded is None else value.replace(tzinfo=dt.timezone(rounded))


def storable(value: dt.datetime) -> dt.datetime:
    """An aware or naive (wall-clock) ``value`` as stored and shown: aware, in ``TIME_ZONE``.

    Raises ``OverflowError`` unless both its UTC instant (what PostgreSQL stores and gives
    back) and its local time fall within years 1–9999: ``0001-01-01T00:00`` in Moscow is
    year 0 in UTC, which Python cannot read back.
    """
    aware = from_wall_clock(value) if timezone.is_naive(value) else value
    aware.astimezone(dt.UTC)
    return to_local(aware)
