"""OpenAPI glue the formula schema needs (the Bearer scheme itself is in ``common.schema``)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension


class FormulaWriteInputScheme(OpenApiSerializerExtension):
    """Edit (``guid``) and copy (``calculationID``) exclude each other (calculations.md §4.3.5)."""

    target_class = "calculations.serializers.inputs.CalculationWriteInputSerializer"

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        both = {"type": "string", "minLength": 1}
        return {
            **schema,
            "not": {"required": ["guid", "calculationID"], "properties": {"guid": both, "calculationID": both}},
        }
