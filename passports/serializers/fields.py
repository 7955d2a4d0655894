"""Field types shared by the Feecc serializers: the original's value formats."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from passports.localtime import from_wall_clock, storable, to_local

STAGE_TIME_FORMAT = "%d-%m-%Y %H:%M:%S"
INT32_MAX = 2**31 - 1  # the integer columns (PostgreSQL ``integer``)
_EPOCH = re.compile(r"^-?\d+(\.\d+)?$")


_DAY, _MONTH, _CLOCK = r"(0[1-9]|[12]\d|3[01])", r"(0[1-9]|1[0-2])", r"([01]\d|2[0-3]):[0-5]\d"
# The two forms ``to_internal_value`` reads: ``DD-MM-YYYY HH:MM:SS`` and an ISO 8601 date-time
# (the schema states them, so clients can check before sending; a day that does not exist is refused as well).
STAGE_TIME_PATTERN = (
    rf"^\s*({_DAY}-{_MONTH}-[1-9]\d{{3}} {_CLOCK}:[0-5]\d"
    rf"|[1-9]\d{{3}}-{_MONTH}-{_DAY}[T ]{_CLOCK}(:[0-5]\d(\.\d{{1,6}})?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)\s*$"
)


class FeeccDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset, in ``TIME_ZONE`` on a whole-minute offset (``passports.localtime``).

    A naive input is a wall-clock time in ``TIME_ZONE``; an input whose UTC instant or local
    time is outside years 1–9999 is ``Datetime value out of range.`` (DRF's naive
    ``0001-01-01T00:00:00`` check itself crashed with ``OverflowError``: a 500).
    """

    def enforce_timezone(self, value):
        try:
            return storable(value)
        except OverflowError:
            self.fail("overflow")


@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": STAGE_TIME_PATTERN, "example": "20-07-2023 10:00:00"}
)
class StageTimeField(serializers.Field):
    """Stage session times: ``DD-MM-YYYY HH:MM:SS`` in ``TIME_ZONE`` (what the frontend parses)."""

    default_error_messages = {
        "invalid": "Expected a time formatted DD-MM-YYYY HH:MM:SS or ISO 8601.",
        "overflow": "Datetime value out of range.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        local = to_local(value)
        # ``%Y`` does not pad years before 1000 on glibc ("01-01-5 …").
        return f"{local:%d-%m}-{local.year:04d} {local:%H:%M:%S}"

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = dt.datetime.strptime(data.strip(), STAGE_TIME_FORMAT)
        except ValueError:
            try:
                value = parse_datetime(data.strip())
            except ValueError:
                value = None
            if value is None:
                self.fail("invalid")
        try:
            return storable(value)
        except OverflowError:
            self.fail("overflow")


def day_window(value: str) -> tuple[dt.datetime, dt.datetime] | None:
    """``[00:00, next 00:00)`` in ``TIME_ZONE`` of the local calendar day that ``value`` falls on.

    The frontend sends ``toISOString()`` of the local midnight of the picked day (picking
    26 July in Moscow sends ``2023-07-25T21:00:00.000Z``), so an aware value (``Z`` or an
    offset, ISO date-times with ``T`` or a space, seconds optional) and epoch seconds are first
    converted to ``TIME_ZONE``; a naive date-time is a wall-clock time there, and a plain
    ``YYYY-MM-DD`` is that day there. The window's ends are the two local midnights (a DST day
    is 23 or 25 hours long). ``None`` for anything unparsable or a day at the edge of the
    representable range.
    """
    value = value.strip()
    try:
        if _EPOCH.match(value):
            moment = dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
        else:
            moment = parse_datetime(value)
        if moment is not None:
            day = to_local(moment).date() if timezone.is_aware(moment) else moment.date()
        else:
            day = parse_date(value)
            if day is None:
                return None
        start, end = (
            from_wall_clock(dt.datetime.combine(when, dt.time(0))) for when in (day, day + dt.timedelta(days=1))
        )
        # The database compares in UTC: a local midnight of year 1 or 9999 may not exist there.
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


# The forms ``day_window`` reads, for the schema: empty (no filter), epoch seconds (within ±10
# digits), ``YYYY-MM-DD`` or an ISO date-time.
DAY_FILTER_SCHEMA = {
    "type": "string",
    "pattern": (
        rf"^\s*(|-?\d{{1,10}}(\.\d{{1,6}})?|[1-9]\d{{3}}-{_MONTH}-{_DAY}"
        rf"([T ]{_CLOCK}(:[0-5]\d(\.\d{{1,6}})?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)\s*$"
    ),
}


class DayFilterField(serializers.CharField):
    """A ``date`` query filter: empty means none; otherwise a day window (see ``day_window``)."""

    default_error_messages = {"invalid": "invalid datetime format"}

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not text.strip():
            return None
        window = day_window(text)
        if window is None:
            self.fail("invalid")
        return window


class BlankableChoiceFilterField(serializers.ChoiceField):
    """An enum query filter where the empty string (sent after the client's reset) means none."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices=choices, required=False, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        if data == "":
            return None
        return super().to_internal_value(data)


def ean13_is_valid(code: str) -> bool:
    digits = [int(c) for c in code]
    checksum = sum(digits[:12:2]) + 3 * sum(digits[1:12:2])
    return (10 - checksum % 10) % 10 == digits[12]


def reject_nul(value) -> None:
    """JSON values go to ``jsonb``, which refuses ``\\u0000`` anywhere: a 422 instead of a 500."""
    if isinstance(value, str):
        if "\x00" in value:
            raise serializers.ValidationError("Null characters are not allowed.")
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_nul(key)
            reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            reject_nul(item)
