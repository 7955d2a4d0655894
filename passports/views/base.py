"""The base of every passports view and the OpenAPI helpers the views share."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from common.api_styles import feecc
from common.drf import NO_NUL_PATTERN, NON_BLANK_PATTERN, StyledAPIView, TaggedAutoSchema
from common.parsers import JSONParser
from passports.permissions import FeeccRule


class FeeccAutoSchema(TaggedAutoSchema):
    """Documents the original's coercion of numbers into ``str`` fields.

    pydantic v1 reads ``{"position": 0}`` for a ``str`` field as ``"0"``, and DRF's
    ``CharField`` does the same (booleans are refused by both). A plain string field of a request
    whose other rules any number's text meets (no pattern or ``validate_<name>`` of its own, room
    for 24 characters) is therefore ``oneOf: [string, number]``; a constrained one (usernames,
    passwords, ids with a check digit) keeps ``string`` alone, as a number's text could break
    its rules.

    A list view's page envelope is named by the view (``page_component``), as the original's
    components are (``FeeccPassportList`` ...), not ``Paginated<Serializer>List``.
    """

    NUMBER_TEXT_MAX = 24  # len(str(float)) never exceeds it (an integer's text must fit maxLength)

    def get_paginated_name(self, serializer_name: str) -> str:
        return getattr(self.view, "page_component", None) or super().get_paginated_name(serializer_name)

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if (
            getattr(self, "_direction", None) == "request"
            and type(field) is serializers.CharField
            and schema.get("type") == "string"
            and schema.get("pattern") in (None, NO_NUL_PATTERN, NON_BLANK_PATTERN)
            and schema.get("maxLength", self.NUMBER_TEXT_MAX) >= self.NUMBER_TEXT_MAX
            and schema.get("minLength", 1) <= 1
            # a field with rules of its own (``validate_<name>``) may refuse a number's text
            and not hasattr(getattr(field, "parent", None), f"validate_{field.field_name}")
        ):
            text = {key: schema.pop(key) for key in ("type", "minLength", "maxLength", "pattern") if key in schema}
            schema["oneOf"] = [text, {"type": "number", "description": "Stored as its text (pydantic v1's coercion)."}]


class PassportsAPIView(StyledAPIView):
    """Base of every passports view: errors in the feecc style, rules per method."""

    # The style also pages the lists and reads the input. The docstring is every operation's
    # description in the schema.

    api_style = feecc.STYLE
    api_tag = "passports"
    permission_classes = [IsAuthenticated, FeeccRule]
    # The original's bodies are pydantic models, read from JSON only (the schema then offers no
    # multipart/form encodings the fields were never designed for). ``/token`` and ``/serial``
    # declare their form bodies themselves.
    parser_classes = [JSONParser]
    required_rules: dict[str, str] = {}  # method → the permission it needs (passports.permissions)
    schema = FeeccAutoSchema()


def envelope_component(name: str, **fields):
    """An OpenAPI component for ``{"status_code", "detail", **fields}`` (``feecc.envelope``'s shape)."""
    return inline_serializer(
        name=name,
        fields={"status_code": serializers.IntegerField(), "detail": serializers.CharField(), **fields},
    )


ENVELOPE = feecc.FeeccEnvelopeSerializer


def path_param(name: str, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description)
