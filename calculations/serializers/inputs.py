"""Request bodies and query parameters of the formula API.

Wire names map to model names by ``source=``; the write and list bodies validate into the
structures their service and selector take (``CalculationWriteInput``, ``CalculationFilters``).
"""

from datetime import timedelta

from rest_framework import serializers

from calculations.models import Comparison, ComponentView, ValueRole
from calculations.selectors import CalculationFilters
from calculations.serializers.fields import (
    DateOrDateTimeField,
    FormulaCommentField,
    FormulaRowSerializer,
    GuidListField,
    OptionalGuidField,
    _percent,
    _value,
)
from calculations.services.calculations import CalculationWriteInput
from calculations.services.header import HEADER_FIELDS
from common.api_styles.formula import OrdinalPagination
from common.fields import StrictCharField


class CalculationListInputSerializer(serializers.Serializer):
    # Validates into {"filters": CalculationFilters, <the page parameters>}.

    search = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=200)
    productIDs = GuidListField(source="product_ids")
    specificationIDs = GuidListField(source="specification_ids")
    normTechDocIDs = GuidListField(source="norm_tech_doc_ids")
    requirementsTemplateIDs = GuidListField(
        source="template_norm_tech_doc_ids", help_text="Alias of normTechDocIDs (the union is used)."
    )
    userIDs = GuidListField(source="user_ids")
    create_date_start = DateOrDateTimeField(help_text="Inclusive lower bound.")
    create_date_end = DateOrDateTimeField(help_text="Inclusive upper bound; a bare date covers the whole day.")
    currentQuantity, defaultQuantity = OrdinalPagination.input_fields()

    def validate(self, attrs):
        start, end = attrs.pop("create_date_start", None), attrs.pop("create_date_end", None)
        end_moment = None
        if end:
            end_moment = end[0] + timedelta(days=1) if end[1] else end[0]
        if start and end and (start[0] > end_moment or (end[1] and start[0] == end_moment)):
            raise serializers.ValidationError({"create_date_start": ["Must not be after create_date_end."]})
        ids = {key: attrs.pop(key, None) or () for key in ("product_ids", "specification_ids", "user_ids")}
        ntd = (attrs.pop("norm_tech_doc_ids", None) or ()) + (attrs.pop("template_norm_tech_doc_ids", None) or ())
        filters = CalculationFilters(
            search=(attrs.pop("search", None) or "").strip(),
            norm_tech_doc_ids=ntd,
            created_from=start[0] if start else None,
            created_before=end_moment if end and end[1] else None,
            created_until=end_moment if end and not end[1] else None,
            **ids,
        )
        return {"filters": filters, **attrs}


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


class CalculationWriteInputSerializer(serializers.Serializer):
    # Validates into a CalculationWriteInput; context["guid"] is the ?guid= of the query.

    guid = OptionalGuidField(help_text="Edit this calculation (also accepted as ?guid=).")
    status = serializers.ChoiceField(choices=["NEW", "COPY", "EDIT", ""], required=False, allow_null=True)
    calculation = serializers.ChoiceField(
        choices=["NEW", "COPY", "EDIT", ""], required=False, allow_null=True, help_text="Alias of status."
    )
    calculationID = OptionalGuidField(source="source_guid", help_text="Copy this calculation.")
    productID = OptionalGuidField(source="product")
    specificationID = OptionalGuidField(source="specification")
    normTechDocID = OptionalGuidField(source="norm_tech_doc")
    comment = FormulaCommentField()
    components = CalculationComponentInputSerializer(many=True, required=False, allow_null=True, max_length=200)
    technicalRequirements = TechnicalRequirementInputSerializer(
        many=True, required=False, allow_null=True, max_length=500, source="technical_requirements"
    )

    def validate(self, attrs) -> CalculationWriteInput:
        return CalculationWriteInput(
            guid=attrs.get("guid") or self.context.get("guid"),
            source_guid=attrs.get("source_guid"),
            status=attrs.get("status") or attrs.get("calculation") or "",
            header={name: attrs[name] for name in HEADER_FIELDS if name in attrs},
            comment=attrs.get("comment"),
            components=attrs.get("components"),
            technical_requirements=attrs.get("technical_requirements"),
        )


class CalculationCommentInputSerializer(serializers.Serializer):
    comment = StrictCharField(allow_blank=True, max_length=4000, trim_whitespace=False)


class CalculationGuidQuerySerializer(serializers.Serializer):
    guid = serializers.UUIDField(help_text="The calculation's GUID.")


class CalculationOptionalGuidQuerySerializer(serializers.Serializer):
    guid = serializers.UUIDField(required=False, help_text="Edit this calculation.")
