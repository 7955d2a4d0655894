"""Request validation and response shapes of the VRt.Account API (names unique project-wide)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import (
    CONCURRENCY_MAX,
    COUNT_MAX,
    POINTS_PER_REQUEST_MAX,
    VERSION_MAX,
    CalculationStatus,
    FlowStage,
    FlowType,
    ProcessType,
    Service,
    UserRole,
)
from accounts.selectors import AUDIT_SORT_FIELDS, STATISTICS_DAYS_MAX  # noqa: F401 - the fuzzer's bound
from common.fields import StrictCharField, StrictIntegerField

WORD = RegexValidator(r"^\w+\Z", "Only letters, digits and underscores are allowed.")
EMAIL = RegexValidator(r"^[A-Za-z0-9+_.-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\Z", "Enter a valid email address.")
# The clients' own pattern (its ``$$`` is a literal ``$`` inside the class).
PHONE = RegexValidator(r"^[+]{1}(?:[0-9\-$/.]\s?){6,15}[0-9]{1}\Z", "Enter a phone number like +71112223333.")
# The strictest bounds of the two supported clients (7.9 and 7.46), so that whatever is
# stored can be read back by both (docs/decisions.md, accounts).
ATTRIBUTES_MAX = 250
ATTRIBUTE_VALUE_MAX = 2000
# A login's token lives one minute to one (mean tropical) year; by default as long as any token.
TOKEN_TTL_MIN = 60
TOKEN_TTL_MAX = 31_556_926
TOKEN_TTL_DEFAULT = int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())
AUDIT_LIMIT_MAX = 2001
AUDIT_OFFSET_MAX = 10_000_000
# Dates and datetimes far enough from the calendar's ends that a day or a UTC offset
# added to them cannot overflow (a 400, not a 500).
EARLIEST = date(1900, 1, 1)
LATEST = date(9998, 12, 31)


class AccountStringField(StrictCharField):
    """A JSON string only, with the message the VRt API has always answered for another type."""

    default_error_messages = {"invalid": "Must be a string."}


class BlankIsNoneChoiceField(serializers.ChoiceField):
    """An optional filter where an empty value means "all": ``?service=`` reads as ``None``."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        return None if data == "" else super().to_internal_value(data)


def _password_field() -> serializers.CharField:
    return AccountStringField(min_length=10, max_length=256, allow_null=True, trim_whitespace=False)


# --- auth ------------------------------------------------------------------------------


class AccountTokenRequestSerializer(serializers.Serializer):
    username = AccountStringField(min_length=2, max_length=256, validators=[WORD])
    password = _password_field()
    ttl_seconds = StrictIntegerField(
        accept_text=False, min_value=TOKEN_TTL_MIN, max_value=TOKEN_TTL_MAX, default=TOKEN_TTL_DEFAULT
    )


class AccountTokenValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=UserRole.choices), max_length=2)


class AccountPasswordChangeSerializer(serializers.Serializer):
    current_password = _password_field()
    new_password = _password_field()


# --- info ------------------------------------------------------------------------------


class AccountAttributeSerializer(serializers.Serializer):
    key = AccountStringField(min_length=1, max_length=100, trim_whitespace=False)
    value = AccountStringField(max_length=ATTRIBUTE_VALUE_MAX, allow_blank=True, trim_whitespace=False)
    strategy = AccountStringField(max_length=100, allow_null=True, allow_blank=True, required=False)


class UniqueListField(serializers.ListField):
    """A list whose items must be unique (documented as ``uniqueItems`` by ``accounts.schema``)."""


class AccountInfoChangeSerializer(serializers.Serializer):
    specification = AccountStringField(
        min_length=2, max_length=256, allow_null=True, required=False, trim_whitespace=False
    )
    email = AccountStringField(min_length=5, max_length=256, allow_null=True, required=False, validators=[EMAIL])
    phone = AccountStringField(min_length=5, max_length=32, allow_null=True, required=False, validators=[PHONE])
    # A ListField, not ``many=True``: the latter passes ``allow_null`` on to each item.
    attributes = UniqueListField(
        child=AccountAttributeSerializer(), allow_null=True, required=False, max_length=ATTRIBUTES_MAX
    )

    def validate_attributes(self, value):
        if value is None:
            return value
        seen = set()
        for item in value:
            marker = (item["key"], item["value"], item.get("strategy"))
            if marker in seen:
                raise serializers.ValidationError(f"Attributes must be unique; {item['key']!r} is repeated.")
            seen.add(marker)
        return value


class AccountUserOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    specification = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    company_key = serializers.CharField()
    enabled = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=UserRole.choices), max_length=2)
    timezone = serializers.IntegerField(min_value=-12, max_value=12)
    edit_date = serializers.DateTimeField(allow_null=True)
    creation_date = serializers.DateTimeField(allow_null=True)
    attributes = AccountAttributeSerializer(many=True)


# --- statistics --------------------------------------------------------------------------


# The years EARLIEST..LATEST (1900..9998) as a pattern: JSON Schema has no bounds for dates.
DATE_IN_RANGE_PATTERN = r"^(19\d\d|[2-8]\d\d\d|9[0-8]\d\d|99[0-8]\d|999[0-8])-\d\d-\d\d$"


@extend_schema_field(
    {
        "type": "string",
        "format": "date",
        "pattern": DATE_IN_RANGE_PATTERN,
        "description": f"A day from {EARLIEST} to {LATEST}.",
    }
)
class AccountDateField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(f"Date must be between {EARLIEST} and {LATEST}.")
        return day


class AccountStatisticsQuerySerializer(serializers.Serializer):
    """``from``/``to`` dates (inclusive, user's time zone); empty service/process type = all."""

    def get_fields(self):
        return {
            "from": AccountDateField(required=False, help_text="First day (default: the month's first day)."),
            "to": AccountDateField(required=False, help_text="Last day, inclusive (default: yesterday)."),
            "service": BlankIsNoneChoiceField(choices=Service.choices),
            "process_type": BlankIsNoneChoiceField(choices=ProcessType.choices),
        }


class AccountProcessStatisticsSerializer(serializers.Serializer):
    process_type = serializers.ChoiceField(choices=ProcessType.choices)
    points_per_day = serializers.IntegerField(min_value=0)
    unique_points_per_day = serializers.IntegerField(min_value=0)
    elements_per_day = serializers.IntegerField(min_value=0)
    processes_per_day = serializers.IntegerField(min_value=0)


class AccountServiceStatisticsSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=Service.choices)
    processes = AccountProcessStatisticsSerializer(many=True)


class AccountDateStatisticsSerializer(serializers.Serializer):
    date = serializers.DateField()
    services = AccountServiceStatisticsSerializer(many=True)


class AccountUserStatisticsSerializer(serializers.Serializer):
    username = serializers.CharField()
    dates = AccountDateStatisticsSerializer(many=True)


# --- quota -------------------------------------------------------------------------------


class AccountProcessQuotaSerializer(serializers.Serializer):
    process_type = serializers.ChoiceField(choices=ProcessType.choices)
    points_per_request = serializers.IntegerField(min_value=0, max_value=POINTS_PER_REQUEST_MAX)
    points_per_day = serializers.IntegerField(min_value=0, max_value=COUNT_MAX)
    max_concurrent_execution = serializers.IntegerField(min_value=0, max_value=CONCURRENCY_MAX)


class AccountServiceQuotaSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=Service.choices)
    processes = AccountProcessQuotaSerializer(many=True)


class AccountQuotaBaseSerializer(serializers.Serializer):
    services = AccountServiceQuotaSerializer(many=True)


class AccountQuotasResultSerializer(serializers.Serializer):
    base = AccountQuotaBaseSerializer()


# --- audit -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.DATETIME)
class AccountDateTimeField(serializers.Field):
    """ISO datetime with ``+0300``/``+03:00``/``Z`` or naive (read in the caller's time zone)."""

    default_error_messages = {"invalid": "Datetime has wrong format; use e.g. 2026-11-24T00:11:06.333933+0000."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # A hand-typed ``+03:00`` arrives as `` 03:00`` (``+`` decodes to a space).
        text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", data.strip())
        try:
            value = parse_datetime(text)
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        # Nothing is older than 1900 or newer than 9998: clamping keeps the same answer and
        # spares the UTC conversion an overflow at the calendar's ends.
        if value.date() < EARLIEST:
            value = datetime.combine(EARLIEST, datetime.min.time())
        elif value.date() > LATEST:
            value = datetime.combine(LATEST, datetime.min.time())
        if value.tzinfo is None:
            return value.replace(tzinfo=self.context["zone"])
        # Python accepts offsets up to ±23:59, PostgreSQL only ±15:59: compare the UTC instant.
        return value.astimezone(UTC)

    def to_representation(self, value: datetime):
        return value.isoformat()


class AccountAuditQuerySerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "offset": serializers.IntegerField(min_value=0, max_value=AUDIT_OFFSET_MAX, default=0),
            "limit": serializers.IntegerField(min_value=1, max_value=AUDIT_LIMIT_MAX, default=100),
            "from": AccountDateTimeField(required=False, help_text="Period start (default: today's start)."),
            "to": AccountDateTimeField(required=False, help_text="Period end, inclusive (default: now)."),
            "service": BlankIsNoneChoiceField(choices=Service.choices),
            "operation": serializers.CharField(min_length=3, max_length=256, required=False),
            "process_type": BlankIsNoneChoiceField(choices=ProcessType.choices),
            "status": BlankIsNoneChoiceField(choices=CalculationStatus.choices),
            "sort_field": serializers.ChoiceField(choices=sorted(AUDIT_SORT_FIELDS), default="time"),
            "sort_direction": serializers.ChoiceField(choices=["ASC", "DESC"], default="ASC"),
        }

    def to_internal_value(self, data):
        if hasattr(data, "get") and isinstance(data.get("sort_direction"), str):
            data = data.copy()
            data["sort_direction"] = data["sort_direction"].upper()
        return super().to_internal_value(data)


class AccountTracedataSerializer(serializers.Serializer):
    process_code = serializers.UUIDField()
    request_code = serializers.UUIDField()
    username = serializers.CharField()
    company = serializers.CharField()
    service = serializers.ChoiceField(choices=Service.choices)
    operation = serializers.CharField()
    env = serializers.CharField()
    pod = serializers.CharField()
    time = serializers.DateTimeField()


class AccountCalculationInfoSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CalculationStatus.choices)
    message = serializers.CharField(allow_null=True)
    result_version = serializers.IntegerField(min_value=0, max_value=VERSION_MAX)
    preparing_time = serializers.CharField(max_length=16)
    business_validation_time = serializers.CharField(max_length=16)
    math_validation_time = serializers.CharField(max_length=16)
    waiting_time = serializers.CharField(max_length=16)
    calculation_time = serializers.CharField(max_length=16)
    postprocessing_time = serializers.CharField(max_length=16)


class AccountAuditActionStatisticsSerializer(serializers.Serializer):
    request_points_count = serializers.IntegerField(allow_null=True)
    result_elements_count = serializers.IntegerField(allow_null=True)
    calculation_info = AccountCalculationInfoSerializer()


class AccountAuditActionSerializer(serializers.Serializer):
    process_code = serializers.UUIDField()
    process_type = serializers.ChoiceField(choices=ProcessType.choices)
    username = serializers.CharField()
    company = serializers.CharField()
    service = serializers.ChoiceField(choices=Service.choices)
    time = serializers.DateTimeField()
    requests = AccountTracedataSerializer(many=True)
    statistics = AccountAuditActionStatisticsSerializer()
    input_file_exists = serializers.BooleanField()
    output_file_exists = serializers.BooleanField()


class AccountAuditCountersDetailSerializer(serializers.Serializer):
    total = serializers.IntegerField(min_value=0)


class AccountAuditCountersSerializer(serializers.Serializer):
    overall = AccountAuditCountersDetailSerializer()
    filter = AccountAuditCountersDetailSerializer()


class AccountAuditResultSerializer(serializers.Serializer):
    actions = AccountAuditActionSerializer(many=True)
    counters = AccountAuditCountersSerializer()


# --- data and system ---------------------------------------------------------------------


class AccountDataQuerySerializer(serializers.Serializer):
    data_flow_type = serializers.ChoiceField(choices=FlowType.choices, default=FlowType.INPUT)
    data_flow_stage = serializers.ChoiceField(choices=FlowStage.choices, default=FlowStage.RAW)


class AccountCheckResultSerializer(serializers.Serializer):
    health = serializers.FloatField(min_value=0, max_value=1)


class AccountVersionResultSerializer(serializers.Serializer):
    major = serializers.IntegerField(min_value=1, max_value=100)
    minor = serializers.IntegerField(min_value=0, max_value=111)
    build = serializers.CharField(min_length=1, max_length=64)
