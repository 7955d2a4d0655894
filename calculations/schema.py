"""OpenAPI glue the formula schema needs.

The project's Bearer authenticator has no drf-spectacular extension in ``common`` yet, and
``spectacular --fail-on-warn`` refuses every view that uses it. This registers one (JWT
bearer); should ``common`` add its own, the two describe the same scheme.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class FormulaBearerScheme(OpenApiAuthenticationExtension):
    target_class = "common.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="JWT"
        )


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
