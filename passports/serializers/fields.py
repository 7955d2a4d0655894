"""Field types shared by the Feecc serializers: the original's value formats."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

STAGE_TIME_FORMAT = "%d-%m-%Y %H:%M:%S"
_EPOCH = re.compile(r"^-?\d+(\.\d+)?$")


_DAY, _MONTH, _CLOCK = r"(0[1-9]|[12]\d|3[01])", r"(0[1-9]|1[0-2])", r"([01]\d|2[0-3]):[0-5]\d"
# The two forms ``to_internal_value`` reads: ``DD-MM-YYYY HH:MM:SS`` and an ISO 8601 date-time
# (issue 13 item 4: the schema states them; a day that does not exist is refused as well).
STAGE_TIME_PATTERN = (
    rf"^\s*({_DAY}-{_MONTH}-[1-9]\d{{3}} {_CLOCK}:[0-5]\d"
    rf"|[1-9]\d{{3}}-{_MONTH}-{_DAY}[T ]{_CLOCK}(:[0-5]\d(\.\d{{1,6}})?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)\s*$"
)


@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": STAGE_TIME_PATTERN, "example": "20-07-2023 10:00:00"}
)
class StageTimeField(serializers.Field):
    """Stage session times: ``DD-MM-YYYY HH:MM:SS`` in ``TIME_ZONE`` (what the frontend parses)."""

    default_error_messages = {"invalid": "Expected a time formatted DD-MM-YYYY HH:MM:SS or ISO 8601."}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return timezone.localtime(value).strftime(STAGE_TIME_FORMAT) if value else None

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
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


def day_window(value: str) -> tuple[dt.datetime, dt.datetime] | None:
    """``[00:00, next 00:00)`` of the calendar day of ``value`` in its own offset (UTC if naive).

    Accepts ``YYYY-MM-DD``, ISO date-times (``T`` or space, ``Z`` or an offset, seconds
    optional) and epoch seconds; ``None`` for anything else. The frontend sends
    ``toISOString()`` of the local midnight after the picked day (passports.md §4.8).
    """
    value = value.strip()
    moment: dt.datetime | None = None
    try:
        if _EPOCH.match(value):
            moment = dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
        else:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                if day is not None:
                    moment = dt.datetime.combine(day, dt.time(0))
    except (ValueError, OverflowError, OSError):
        return None
    if moment is None:
        return None
    tzinfo = moment.tzinfo or dt.UTC
    start = dt.datetime.combine(moment.date(), dt.time(0), tzinfo=tzinfo)
    try:
        return start, start + dt.timedelta(days=1)
    except OverflowError:
        return None


# The forms ``day_window`` reads, for the schema: empty (no filter), epoch seconds (within ±10
# digits), ``YYYY-MM-DD`` or an ISO date-time (issue 13 item 4).
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
