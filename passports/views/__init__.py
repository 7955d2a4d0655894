"""HTTP interface of the passports app: thin views over services and selectors.

Views live in modules by router (``units``, ``tcd``, ``catalog``, ``people``); this module
holds their base and the OpenAPI helpers they share.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from common.api_styles import feecc
from common.api_styles.feecc import FeeccErrorSerializer, FeeccValidationErrorSerializer
from common.drf import StyledAPIView
from common.parsers import JSONParser
from passports.permissions import FeeccRule


class PassportsAPIView(StyledAPIView):
    """Base of every passports view: errors in the feecc style, rules per method."""

    api_style = feecc.STYLE
    api_tag = "passports"
    permission_classes = [IsAuthenticated, FeeccRule]
    # The original's bodies are pydantic models, read from JSON only (issue 13 item 4: the schema
    # then offers no multipart/form encodings the fields were never designed for). ``/token`` and
    # ``/serial`` declare their form bodies themselves.
    parser_classes = [JSONParser]
    required_rules: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL text can't hold NUL: refuse it in a path id instead of failing in the driver.
        bad = [name for name, value in kwargs.items() if isinstance(value, str) and "\x00" in value]
        if bad:
            raise feecc.FeeccPathValidationError({name: ["Null characters are not allowed."] for name in bad})

    def query(self, serializer_class):
        """Validated query parameters; errors are 422 items under ``"query"`` (last value wins)."""
        serializer = serializer_class(data=self.request.query_params.dict())
        if not serializer.is_valid():
            raise feecc.FeeccQueryValidationError(serializer.errors)
        return serializer.validated_data

    def body(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def envelope(name: str, **fields):
    """An OpenAPI component for ``{"status_code", "detail", **fields}``."""
    return inline_serializer(
        name=name,
        fields={"status_code": serializers.IntegerField(), "detail": serializers.CharField(), **fields},
    )


ENVELOPE = feecc.FeeccEnvelopeSerializer


def errors(*codes: int) -> dict:
    """Error responses in the feecc shape (401 always: every operation but two needs a token)."""
    table = {422: FeeccValidationErrorSerializer}
    return {code: table.get(code, FeeccErrorSerializer) for code in (401, *codes)}


def path_param(name: str, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description)
