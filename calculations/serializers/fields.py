"""Input fields of the formula API: GUIDs where "" means unset, GUID lists, dates, numbers, item lists."""

import uuid
from datetime import UTC, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import StrictCharField


def guid_text(value) -> str:
    """A GUID as the formula API writes it: ``""`` when not set."""
    return "" if value is None else str(value)


# ---- input fields -----------------------------------------------------------------------------


class EmptyMeansNotSetField(serializers.Field):
    """Optional; ``""``, ``null`` and an absent key all mean "not set" (calculations.md §4.1)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)


@extend_schema_field(
    {
        "anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "maxLength": 0}],
        "nullable": True,
        "description": '"" or null: not set',
    }
)
class OptionalGuidField(EmptyMeansNotSetField):
    """A GUID where ``""`` and ``null`` mean "not set" (calculations.md §4.1)."""

    default_error_messages = {"invalid": "Must be a valid UUID."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return uuid.UUID(data.strip())
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return guid_text(value)


@extend_schema_field(
    {
        "anyOf": [
            {"type": "array", "items": {"type": "string", "format": "uuid"}},
            {"type": "string", "format": "uuid"},
            {"type": "string", "maxLength": 0},
        ],
        "nullable": True,
    }
)
class GuidListField(serializers.Field):
    """A list of GUIDs; a lone string is a one-element list, ``null``/``[]`` mean no filter."""

    default_error_messages = {"invalid": "Must be a list of valid UUIDs.", "too_many": "At most 1000 values."}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data] if data.strip() else []
        if not isinstance(data, list):
            self.fail("invalid")
        if len(data) > 1000:
            self.fail("too_many")
        try:
            return tuple(uuid.UUID(item.strip()) for item in data)
        except (AttributeError, ValueError):
            self.fail("invalid")

    def to_representation(self, value):
        return [str(v) for v in value]


EMPTY_STRING = {"type": "string", "maxLength": 0}
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


@extend_schema_field(
    {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}, EMPTY_STRING],
        "nullable": True,
        "description": 'ISO 8601 date-time (Z, offset, or naive in TIME_ZONE) or date; "" or null: no bound',
    }
)
class DateOrDateTimeField(EmptyMeansNotSetField):
    """ISO 8601 with ``Z``/offset, naive (read in ``TIME_ZONE``) or a bare date → ``(datetime, is_date)``.

    Bounds before 1900 or after 9000 are clamped there: nothing is stored outside, and a bound
    near year 1 or 9999 would overflow when shifted to UTC or by a day.
    """

    default_error_messages = {"invalid": "Use an ISO 8601 date or date-time, e.g. 2025-07-14 or 2025-07-14T14:05:16Z."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        text = data.strip()
        try:
            # A bare date first: ``parse_datetime`` would read "2025-07-20" as midnight.
            day = parse_date(text) if len(text) == 10 else None
            moment = None if day is not None else parse_datetime(text)
        except ValueError:
            self.fail("invalid")
        if day is None and moment is None:
            self.fail("invalid")
        year = (day or moment).year
        if year < EARLIEST.year:
            return EARLIEST, False
        if year >= LATEST.year:
            return LATEST, False
        if day is not None:
            return timezone.make_aware(datetime.combine(day, time.min)), True
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment, False

    def to_representation(self, value):
        return value


def _decimal(digits: int, places: int, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=digits, decimal_places=places, required=False, allow_null=True, coerce_to_string=False, **kwargs
    )


def _percent(**kwargs) -> serializers.DecimalField:
    return _decimal(9, 4, min_value=0, max_value=100, **kwargs)


def _value(**kwargs) -> serializers.DecimalField:
    return _decimal(18, 6, **kwargs)


class FormulaCommentField(StrictCharField):
    """A comment; ``null`` is stored as ``""``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(allow_blank=True, allow_null=True, max_length=4000, trim_whitespace=False, **kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class FormulaListSerializer(serializers.ListSerializer):
    """Item errors as a list aligned with the input (``[{}, {"componentID": [...]}]``, calculations.md §4.1)."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and detail and all(isinstance(k, int) for k in detail):
                raise serializers.ValidationError([detail.get(i, {}) for i in range(len(data))])
            raise


class FormulaRowSerializer(serializers.Serializer):
    class Meta:
        list_serializer_class = FormulaListSerializer
