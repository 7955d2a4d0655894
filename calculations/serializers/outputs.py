"""Responses of the formula API: documenting serializers and the plain-dict builders.

The ``*_data`` functions build the bodies (DECISIONS §7: plain dicts are about twice as fast
as serializers); the serializers describe the same shapes for OpenAPI. Both spellings are
emitted wherever the seed disagrees with itself (calculations.md §4.2).
"""

from datetime import UTC, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calculations import engine
from calculations.models import Comparison, ComponentView, IndicatorKind, ValueRole
from calculations.serializers.fields import guid_text as _guid

DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _date(value: datetime) -> str:
    return value.astimezone(UTC).strftime(DATE_FORMAT)


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


class CalculationHeaderOutputSerializer(serializers.Serializer):
    """The fields a calculation shows in the list and in the detail alike."""

    guid = serializers.UUIDField()
    userID = serializers.CharField()
    user = serializers.CharField()
    number = serializers.CharField()
    create_date = serializers.CharField()
    comment = serializers.CharField()


class CalculationRowOutputSerializer(CalculationHeaderOutputSerializer):
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


class CalculationDetailOutputSerializer(CalculationHeaderOutputSerializer):
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


def _header(guid, author_guid, number: str, create_date: datetime, comment: str) -> dict:
    """``CalculationHeaderOutputSerializer``'s fields, shared by the row and the detail."""
    author = str(author_guid)
    return {
        "guid": str(guid),
        "userID": author,
        "user": author,
        "number": number,
        "create_date": _date(create_date),
        "comment": comment,
    }


def _header_data(c) -> dict:
    return _header(c.guid, c.author.guid, c.number, c.create_date, c.comment)


def calculation_row_data(row: dict) -> dict:
    """A row of the list from its ``.values()`` row (``selectors.calculation_rows_of``): a name is
    ``""`` where the reference is unset."""
    ntd = row["norm_tech_doc_name"] if row["norm_tech_doc_id"] else ""
    return {
        **_header(row["guid"], row["author_guid"], row["number"], row["create_date"], row["comment"]),
        "product": row["product_name"] if row["product_id"] else "",
        "specification": row["specification_name"] if row["specification_id"] else "",
        "normTechDoc": ntd,
        "requirementsTemplate": ntd,
    }


def _component_data(row, values) -> dict:
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
            {"id": str(v.id), "indicatorID": str(v.indicator_id), "type": v.role, "value": v.value} for v in values
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


def calculation_detail_data(detail) -> dict:
    """The detail of a calculation from its rows in detail order: ``detail.calculation``,
    ``detail.components`` as ``(row, values)`` pairs and ``detail.requirements`` (what
    ``selectors.calculation_detail`` read or a write stored, ``WrittenCalculation``)."""
    c = detail.calculation
    return {
        **_header_data(c),
        "productID": _guid(c.product_id),
        "specificationID": _guid(c.specification_id),
        "normTechDocID": _guid(c.norm_tech_doc_id),
        "components": [_component_data(row, values) for row, values in detail.components],
        "technicalRequirements": [_requirement_data(row) for row in detail.requirements],
    }


def indicator_data(i: dict) -> dict:
    """An indicator of the catalog, from its ``.values()`` row (``selectors.indicator_list``)."""
    unit, method, parent = _guid(i["unit_id"]), _guid(i["test_method_id"]), _guid(i["parent_id"])
    return {
        "guid": str(i["guid"]),
        "name": i["name"],
        "shortName": i["short_name"],
        "unitID": unit,
        "unit": unit,
        "testMethodID": method,
        "testMethod": method,
        "group": i["kind"] == IndicatorKind.GROUP,
        "type": i["kind"],
        "parentIndicatorID": parent,
        "parentIndicator": parent,
        "ordinal": i["ordinal"],
        "exclude": i["exclude"],
        "productTypeIDs": [str(g) for g in i["type_guids"] if g is not None],
        "productTypes": [n for n in i["type_names"] if n is not None],
    }
