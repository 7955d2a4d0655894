"""Wire shapes of the formula API: input validation, and output built as plain dicts (fast path).

Output serializers here document the responses for OpenAPI; the ``*_data`` functions build
the bodies the same way (DECISIONS §7: plain dicts are about twice as fast as serializers).
Both spellings are emitted wherever the seed disagrees with itself (calculations.md §4.2).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calculations import engine
from calculations.models import Comparison, ComponentView, IndicatorKind, ValueRole

DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _guid(value) -> str:
    return "" if value is None else str(value)


def _date(value: datetime) -> str:
    return value.astimezone(UTC).strftime(DATE_FORMAT)


# ---- input fields -----------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "uuid", "nullable": True, "description": '"" or null: not set'})
class OptionalGuidField(serializers.Field):
    """A GUID where ``""`` and ``null`` mean "not set" (calculations.md §4.1)."""

    default_error_messages = {"invalid": "Must be a valid UUID."}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return uuid.UUID(data.strip())
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return _guid(value)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string", "format": "uuid"}},
            {"type": "string", "format": "uuid"},
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


@extend_schema_field({"type": "string", "description": "ISO 8601 date-time or date", "nullable": True})
class DateOrDateTimeField(serializers.Field):
    """ISO 8601 with ``Z``/offset, naive (read in ``TIME_ZONE``) or a bare date → ``(datetime, is_date)``."""

    default_error_messages = {"invalid": "Use an ISO 8601 date or date-time, e.g. 2025-07-14 or 2025-07-14T14:05:16Z."}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        text = data.strip()
        try:
            # A bare date first: ``parse_datetime`` would read "2025-07-20" as midnight.
            day = parse_date(text) if len(text) == 10 else None
            if day is not None:
                if not 1900 <= day.year <= 9000:
                    self.fail("invalid")
                return timezone.make_aware(datetime.combine(day, time.min)), True
            moment = parse_datetime(text)
        except ValueError:
            self.fail("invalid")
        if moment is None or not 1900 <= moment.year <= 9000:
            # Far-off years would overflow when shifted to UTC or by a day: refuse them here.
            self.fail("invalid")
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


class FormulaCommentField(serializers.CharField):
    """A comment; ``null`` is stored as ``""``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(allow_blank=True, allow_null=True, max_length=4000, trim_whitespace=False, **kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


# ---- input serializers -------------------------------------------------------------------------


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


class CalculationListInputSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=200)
    productIDs = GuidListField()
    specificationIDs = GuidListField()
    normTechDocIDs = GuidListField()
    requirementsTemplateIDs = GuidListField(help_text="Alias of normTechDocIDs (the union is used).")
    userIDs = GuidListField()
    create_date_start = DateOrDateTimeField(help_text="Inclusive lower bound.")
    create_date_end = DateOrDateTimeField(help_text="Inclusive upper bound; a bare date covers the whole day.")
    currentQuantity = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2_000_000_000,
        help_text="Ordinal (1-based) of the first row.",
    )
    defaultQuantity = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)

    def validate(self, attrs):
        start, end = attrs.get("create_date_start"), attrs.get("create_date_end")
        if start and end:
            end_moment = end[0] + timedelta(days=1) if end[1] else end[0]
            if start[0] > end_moment or (end[1] and start[0] == end_moment):
                raise serializers.ValidationError({"create_date_start": ["Must not be after create_date_end."]})
        return attrs


class ComponentIndicatorInputSerializer(FormulaRowSerializer):
    id = OptionalGuidField()
    indicatorID = serializers.UUIDField(source="indicator")
    type = serializers.ChoiceField(choices=ValueRole.choices, required=False, source="role")
    value = _value()


class CalculationComponentInputSerializer(FormulaRowSerializer):
    id = OptionalGuidField()
    componentID = OptionalGuidField(source="component")
    componentTypeID = OptionalGuidField(source="component_type")
    view = serializers.ChoiceField(choices=ComponentView.choices, required=False, allow_null=True)
    type = serializers.ChoiceField(choices=Comparison.choices, required=False, source="comparison")
    massPercent = _percent(source="mass_percent")
    massPercentMax = _percent(source="mass_percent_max")
    massPercentFact = _percent(source="mass_percent_fact")
    massPercentForecast = serializers.JSONField(required=False, write_only=True, help_text="Ignored: computed.")
    comment = FormulaCommentField()
    indicators = ComponentIndicatorInputSerializer(many=True, required=False, allow_null=True, max_length=200)

    def validate(self, attrs):
        attrs.pop("massPercentForecast", None)
        return attrs


class TechnicalRequirementInputSerializer(FormulaRowSerializer):
    id = OptionalGuidField()
    indicatorID = serializers.UUIDField(source="indicator")
    standardValueMin = _value(source="standard_value_min")
    standardValueMax = _value(source="standard_value_max")
    comment = FormulaCommentField()
    decimalPlaces = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=6, source="decimal_places"
    )
    factValue = _value(source="fact_value")

    def validate(self, attrs):
        low, high = attrs.get("standard_value_min"), attrs.get("standard_value_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"standardValueMax": ["Must not be less than standardValueMin."]})
        return attrs


class CalculationWriteInputSerializer(serializers.Serializer):
    guid = OptionalGuidField(help_text="Edit this calculation (also accepted as ?guid=).")
    status = serializers.ChoiceField(choices=["NEW", "COPY", "EDIT", ""], required=False, allow_null=True)
    calculation = serializers.ChoiceField(
        choices=["NEW", "COPY", "EDIT", ""], required=False, allow_null=True, help_text="Alias of status."
    )
    calculationID = OptionalGuidField(help_text="Copy this calculation.")
    productID = OptionalGuidField()
    specificationID = OptionalGuidField()
    normTechDocID = OptionalGuidField()
    comment = FormulaCommentField()
    components = CalculationComponentInputSerializer(many=True, required=False, allow_null=True, max_length=200)
    technicalRequirements = TechnicalRequirementInputSerializer(
        many=True, required=False, allow_null=True, max_length=500
    )


class CalculationCommentInputSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, max_length=4000, trim_whitespace=False)


class CalculationGuidQuerySerializer(serializers.Serializer):
    guid = serializers.UUIDField(help_text="The calculation's GUID.")


class CalculationOptionalGuidQuerySerializer(serializers.Serializer):
    guid = serializers.UUIDField(required=False, help_text="Edit this calculation.")


# ---- output: documentation serializers and the dict builders --------------------------------


class FormulaUserOutputSerializer(serializers.Serializer):
    guid = serializers.CharField()
    name = serializers.CharField()


class FormulaAccessRoleOutputSerializer(serializers.Serializer):
    guid = serializers.CharField()
    name = serializers.CharField()
    actions = serializers.ListField(child=serializers.ChoiceField(choices=["FULL_ACCESS_WRITE", "FULL_ACCESS_READ"]))


class FormulaCatalogItemOutputSerializer(serializers.Serializer):
    guid = serializers.UUIDField()
    name = serializers.CharField()


class ComponentTypeOutputSerializer(FormulaCatalogItemOutputSerializer):
    isCalculated = serializers.BooleanField()


class ComponentOutputSerializer(FormulaCatalogItemOutputSerializer):
    typeID = serializers.UUIDField()
    type_id = serializers.UUIDField()
    isCalculated = serializers.BooleanField()


class IndicatorOutputSerializer(FormulaCatalogItemOutputSerializer):
    shortName = serializers.CharField()
    unitID = serializers.CharField(help_text='GUID or ""')
    unit = serializers.CharField(help_text='GUID or ""')
    testMethodID = serializers.CharField(help_text='GUID or ""')
    testMethod = serializers.CharField(help_text='GUID or ""')
    group = serializers.BooleanField()
    type = serializers.ChoiceField(choices=IndicatorKind.choices)
    parentIndicatorID = serializers.CharField(help_text='GUID or ""')
    parentIndicator = serializers.CharField(help_text='GUID or ""')
    ordinal = serializers.IntegerField()
    exclude = serializers.BooleanField()
    productTypeIDs = serializers.ListField(child=serializers.UUIDField())
    productTypes = serializers.ListField(child=serializers.CharField(), help_text="Names of the product types.")


class VenueOutputSerializer(FormulaCatalogItemOutputSerializer):
    main = serializers.BooleanField()


class ComponentBatchOutputSerializer(FormulaCatalogItemOutputSerializer):
    componentID = serializers.CharField(help_text='GUID or ""')


class ProductOutputSerializer(FormulaCatalogItemOutputSerializer):
    productTypeID = serializers.UUIDField()
    productType = serializers.CharField(help_text="Name of the product type.")


class ProductBoundOutputSerializer(FormulaCatalogItemOutputSerializer):
    productID = serializers.UUIDField()


class CalculationRowOutputSerializer(serializers.Serializer):
    guid = serializers.UUIDField()
    userID = serializers.CharField()
    user = serializers.CharField()
    number = serializers.CharField()
    create_date = serializers.CharField()
    comment = serializers.CharField()
    product = serializers.CharField()
    specification = serializers.CharField()
    normTechDoc = serializers.CharField()
    requirementsTemplate = serializers.CharField(help_text="Same as normTechDoc (the seed's older name).")


class CalculationListOutputSerializer(serializers.Serializer):
    itemsCount = serializers.IntegerField()
    calculations = CalculationRowOutputSerializer(many=True)


class CalculationOnListOutputSerializer(serializers.Serializer):
    calculation = CalculationRowOutputSerializer()


class ComponentIndicatorOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    indicatorID = serializers.UUIDField()
    type = serializers.ChoiceField(choices=ValueRole.choices)
    value = serializers.FloatField(allow_null=True)


class CalculationComponentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    componentID = serializers.CharField(help_text='GUID or ""')
    componentTypeID = serializers.UUIDField()
    view = serializers.ChoiceField(choices=ComponentView.choices)
    type = serializers.ChoiceField(choices=Comparison.choices)
    massPercent = serializers.FloatField(allow_null=True)
    massPercentMax = serializers.FloatField(allow_null=True)
    massPercentForecast = serializers.CharField(help_text='Balanced composition, e.g. "90" or "25.26".')
    massPercentFact = serializers.FloatField(allow_null=True)
    comment = serializers.CharField()
    indicators = ComponentIndicatorOutputSerializer(many=True)


class TechnicalRequirementOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    indicatorID = serializers.UUIDField()
    standardValueMin = serializers.FloatField(allow_null=True)
    standardValueMax = serializers.FloatField(allow_null=True)
    comment = serializers.CharField()
    decimalPlaces = serializers.IntegerField()
    forecastValue = serializers.FloatField(allow_null=True)
    factValue = serializers.FloatField(allow_null=True)
    parentIndicator = serializers.CharField(help_text='GUID or ""')
    parentIndicatorID = serializers.CharField(help_text='GUID or ""')
    group = serializers.BooleanField()
    type = serializers.ChoiceField(choices=IndicatorKind.choices)


class CalculationDetailOutputSerializer(serializers.Serializer):
    guid = serializers.UUIDField()
    userID = serializers.CharField()
    user = serializers.CharField()
    number = serializers.CharField()
    create_date = serializers.CharField()
    comment = serializers.CharField()
    productID = serializers.CharField(help_text='GUID or ""')
    specificationID = serializers.CharField(help_text='GUID or ""')
    normTechDocID = serializers.CharField(help_text='GUID or ""')
    components = CalculationComponentOutputSerializer(many=True)
    technicalRequirements = TechnicalRequirementOutputSerializer(many=True)


@extend_schema_field(OpenApiTypes.NONE)
class EmptyOutputSerializer(serializers.Serializer):
    pass


def user_data(user) -> dict:
    return {"guid": str(user.guid), "name": user.full_name}


def calculation_row_data(c) -> dict:
    author = str(c.author.guid)
    ntd = c.norm_tech_doc.name if c.norm_tech_doc_id else ""
    return {
        "guid": str(c.guid),
        "userID": author,
        "user": author,
        "number": c.number,
        "create_date": _date(c.create_date),
        "comment": c.comment,
        "product": c.product.name if c.product_id else "",
        "specification": c.specification.name if c.specification_id else "",
        "normTechDoc": ntd,
        "requirementsTemplate": ntd,
    }


def _component_data(row) -> dict:
    return {
        "id": str(row.id),
        "componentID": _guid(row.component_id),
        "componentTypeID": str(row.component_type_id),
        "view": row.view,
        "type": row.comparison,
        "massPercent": row.mass_percent,
        "massPercentMax": row.mass_percent_max,
        "massPercentForecast": engine.format_percent(row.mass_percent_forecast),
        "massPercentFact": row.mass_percent_fact,
        "comment": row.comment,
        "indicators": [
            {"id": str(v.id), "indicatorID": str(v.indicator_id), "type": v.role, "value": v.value}
            for v in row.indicators.all()
        ],
    }


def _requirement_data(row) -> dict:
    parent = _guid(row.indicator.parent_id)
    return {
        "id": str(row.id),
        "indicatorID": str(row.indicator_id),
        "standardValueMin": row.standard_value_min,
        "standardValueMax": row.standard_value_max,
        "comment": row.comment,
        "decimalPlaces": row.decimal_places,
        "forecastValue": row.forecast_value,
        "factValue": row.fact_value,
        "parentIndicator": parent,
        "parentIndicatorID": parent,
        "group": row.indicator.kind == IndicatorKind.GROUP,
        "type": row.indicator.kind,
    }


def calculation_detail_data(c) -> dict:
    author = str(c.author.guid)
    return {
        "guid": str(c.guid),
        "userID": author,
        "user": author,
        "number": c.number,
        "create_date": _date(c.create_date),
        "comment": c.comment,
        "productID": _guid(c.product_id),
        "specificationID": _guid(c.specification_id),
        "normTechDocID": _guid(c.norm_tech_doc_id),
        "components": [_component_data(row) for row in c.components.all()],
        "technicalRequirements": [_requirement_data(row) for row in c.technical_requirements.all()],
    }


def indicator_data(i) -> dict:
    unit, method, parent = _guid(i.unit_id), _guid(i.test_method_id), _guid(i.parent_id)
    return {
        "guid": str(i.guid),
        "name": i.name,
        "shortName": i.short_name,
        "unitID": unit,
        "unit": unit,
        "testMethodID": method,
        "testMethod": method,
        "group": i.kind == IndicatorKind.GROUP,
        "type": i.kind,
        "parentIndicatorID": parent,
        "parentIndicator": parent,
        "ordinal": i.ordinal,
        "exclude": i.exclude,
        "productTypeIDs": [str(g) for g in i.type_guids if g is not None],
        "productTypes": [n for n in i.type_names if n is not None],
    }
