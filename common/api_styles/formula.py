"""formula: DRF's own shapes — ``{"detail": ...}`` and ``{"field": ["message"]}`` (calculations.md, 4.1).

``FormulaStyle`` is the whole adapter: error bodies (a ``FieldErrors`` in model names answers
the wire names of the view's input serializer), the documented error responses, and the
ordinal paging of ``POST /calculations/list`` (``OrdinalPagination``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common.api_styles.base import ApiStyle, InputPolicy, StylePagination, message_of
from common.exceptions import ApplicationError, FieldErrors
from common.paging import rows_at, total_of


class FormulaErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FormulaValidationErrorSerializer(serializers.Serializer):
    """DRF's field errors: ``{"<field>": ["message"], "components": [{}, {"componentID": [...]}]}``."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


def wire_errors(fields: Mapping[str, Any], serializer: serializers.Serializer | None) -> dict[str, Any]:
    """``FieldErrors.fields`` (model names) under the wire names of ``serializer``'s fields.

    A field's ``source`` is the model name it maps to, so the serializer that read the input
    also names its errors; a list of row serializers renames each item's errors through the
    row serializer. Keys no field maps (and everything without a serializer) stay as they are.
    """
    if serializer is None:
        return dict(fields)
    by_source = {field.source: (name, field) for name, field in serializer.fields.items()}
    out: dict[str, Any] = {}
    for key, value in fields.items():
        name, field = by_source.get(key, (key, None))
        rows = getattr(field, "child", None)
        if isinstance(rows, serializers.Serializer) and isinstance(value, list):
            value = [wire_errors(item, rows) if isinstance(item, Mapping) else item for item in value]
        elif isinstance(field, serializers.Serializer) and isinstance(value, Mapping):
            value = wire_errors(value, field)
        out[name] = value
    return out


class OrdinalPagination(StylePagination):
    """The formula list's paging (calculations.md §4.2 #9): the page query, and a count when the
    page is full, empty past the start or not asked for (``total_of``).

    The list is a ``POST``: the page parameters are fields of the view's validated body
    (``view.validated_body``), declared and documented by ``input_fields()``. ``currentQuantity`` is the 1-based ordinal of the first row ("0, 21, 41
    for pages of 20"), so the offset is ``max(currentQuantity − 1, 0)``; ``defaultQuantity``
    is the page size (default 20; 0 answers only the count). The body is
    ``{"itemsCount": n, <view.results_key>: [rows]}``.
    """

    default_size = 20
    count_key = "itemsCount"

    def page(self, queryset, request) -> list:
        params = getattr(self.view, "validated_body", None) or {}
        self.offset, self.limit = self.window(params)
        rows = rows_at(queryset, self.offset, self.limit)
        self.count = total_of(queryset, self.offset, self.limit, rows)
        return rows

    @classmethod
    def window(cls, params: Mapping[str, Any]) -> tuple[int, int]:
        """``(offset, limit)`` of the page parameters."""
        current = params.get("currentQuantity") or 0
        size = params.get("defaultQuantity")
        return max(current - 1, 0), cls.default_size if size is None else size

    def get_paginated_response(self, data) -> Response:
        return Response({self.count_key: self.count, self.view.results_key: data})

    def get_schema_operation_parameters(self, view) -> list:
        return []  # the page parameters are body fields: the body serializer documents them

    @staticmethod
    def input_fields() -> tuple[serializers.Field, serializers.Field]:
        """``currentQuantity, defaultQuantity = OrdinalPagination.input_fields()`` in a list's body serializer."""
        current = serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=0,
            max_value=2_000_000_000,
            help_text="Ordinal (1-based) of the first row.",
        )
        size = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)
        return current, size


_ERROR = FormulaErrorSerializer


class FormulaStyle(ApiStyle):
    name = "formula"
    prefixes = ("/formula/",)
    pagination_class = OrdinalPagination
    # A repeated query parameter: the last value wins, as Django's QueryDict reads it.
    input_policy = InputPolicy(repeated="last")
    error_responses = {
        400: OpenApiResponse(FormulaValidationErrorSerializer, description="Invalid input, by field."),
        401: OpenApiResponse(_ERROR, description="Not authenticated."),
        403: OpenApiResponse(_ERROR, description="No FULL_ACCESS_READ."),
        404: OpenApiResponse(_ERROR, description="Unknown calculation."),
        409: OpenApiResponse(_ERROR, description="Conflicts with stored data."),
    }

    def responses(self, *codes: int, write: bool = False) -> dict[int, OpenApiResponse]:
        """``ApiStyle.responses``; ``write=True`` for an operation that needs FULL_ACCESS_WRITE."""
        documented = super().responses(*codes)
        if write and 403 in documented:
            documented[403] = OpenApiResponse(_ERROR, description="No FULL_ACCESS_WRITE.")
        return documented

    def body(self, exc: Exception, status: int, context: dict) -> Any:
        if isinstance(exc, exceptions.ValidationError):
            return exc.detail
        if isinstance(exc, FieldErrors):
            return wire_errors(exc.fields, self.input_serializer(context.get("view")))
        if isinstance(exc, ApplicationError):
            return {"detail": exc.message}
        return {"detail": message_of(exc)}

    @staticmethod
    def input_serializer(view) -> serializers.Serializer | None:
        """The serializer that read the view's body, which names its fields on the wire."""
        serializer_class = getattr(view, "body_serializer_class", None)
        return serializer_class() if serializer_class is not None else None


STYLE = FormulaStyle()
