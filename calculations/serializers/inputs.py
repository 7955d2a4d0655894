"""Request bodies and query parameters of the formula API."""

from datetime import timedelta

from rest_framework import serializers

from calculations.models import Comparison, ComponentView, ValueRole
from calculations.serializers.fields import (
    DateOrDateTimeField,
    FormulaCommentField,
    FormulaRowSerializer,
    GuidListField,
    OptionalGuidField,
    StrictCharField,
    _percent,
    _value,
)


class CalculationListInputSerializer(serializers.Serializer):
    search = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=200)
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
    massPercentForecast = serializers.JSONField(
        required=False, allow_null=True, write_only=True, help_text="Ignored: computed."
    )
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
    comment = StrictCharField(allow_blank=True, max_length=4000, trim_whitespace=False)


class CalculationGuidQuerySerializer(serializers.Serializer):
    guid = serializers.UUIDField(help_text="The calculation's GUID.")


class CalculationOptionalGuidQuerySerializer(serializers.Serializer):
    guid = serializers.UUIDField(required=False, help_text="Edit this calculation.")
