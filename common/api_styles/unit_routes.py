"""Unit routes database: ``{"message", "extra"}`` envelopes and end-of-list pages (routes.md).

Everything that is "how the routes API talks" lives here: how an error is answered
(``UnitRoutesStyle.body``, behind ``ApiStyle``'s one pipeline), how a list is paged
(``EndOfListPagination``, the style's ``pagination_class``), how input is read (the default
``InputPolicy``: a repeated scalar parameter is refused, integers may be text in query
strings and form bodies only) and which error responses the schema documents.
"""

from __future__ import annotations

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common.api_styles.base import DOMAIN_STATUSES, ApiStyle, InputPolicy, StylePagination, message_of
from common.exceptions import ApplicationError, FieldErrors, RateLimitedError
from common.fields import StrictIntegerField


class RoutesErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    extra = serializers.DictField()


class RoutesValidationErrorSerializer(serializers.Serializer):
    """``{"message": "Validation error", "extra": {"fields": {<field>: [<message>, ...]}}}``."""

    message = serializers.CharField()
    extra = serializers.DictField()


# --- pages (routes.md, Decision 5) -----------------------------------------------------------

MAX_LIMIT = 100
# PostgreSQL's OFFSET is a bigint; anything near it is nonsense, so refuse it as a 400.
MAX_OFFSET = 2**62


class PageQuerySerializer(serializers.Serializer):
    """``limit`` 1..100 (default 100) and ``offset`` ≥ 0 (default 0), from the query string.

    A list view with filters of its own declares them in a subclass, so that one 400 names
    every bad parameter, page ones included (as the original's single query model did).
    """

    limit = StrictIntegerField(min_value=1, max_value=MAX_LIMIT, default=MAX_LIMIT)
    offset = StrictIntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class EndOfListPagination(StylePagination):
    """The original's ``{"<results_key>": [...], "is_end_of_list_reached": bool}`` page.

    The key is the view's ``results_key``. ``is_end_of_list_reached`` means "no row after
    this page"; it is learnt by fetching ``limit + 1`` rows in the page's single query and
    dropping the extra one. ``limit``/``offset`` are read here, through the style's input
    policy; a view that validated its own query first (a subclass of ``PageQuerySerializer``)
    has already refused bad page values in the same 400 as its filters.
    """

    query_serializer = PageQuerySerializer
    is_end_of_list_reached = True

    def page(self, queryset, request) -> list:
        query = STYLE.parse_query(request, self.query_serializer)
        limit, offset = query["limit"], query["offset"]
        rows = list(queryset[offset : offset + limit + 1])
        self.is_end_of_list_reached = len(rows) <= limit
        return rows[:limit]

    def get_paginated_response(self, data) -> Response:
        return Response({self.view.results_key: data, "is_end_of_list_reached": self.is_end_of_list_reached})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        key = self.view.results_key
        return {
            "type": "object",
            "properties": {
                key: schema,
                "is_end_of_list_reached": {"type": "boolean", "description": "No row exists after this page."},
            },
            "required": sorted([key, "is_end_of_list_reached"]),
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """``limit`` and ``offset`` as ``query_serializer`` validates them."""
        return [_integer_parameter(name, field) for name, field in self.query_serializer().fields.items()]


def _integer_parameter(name: str, field: serializers.IntegerField) -> dict:
    schema: dict = {"type": "integer", "maximum": field.max_value, "minimum": field.min_value}
    if max(abs(field.max_value), abs(field.min_value)) > 2**31 - 1:
        schema["format"] = "int64"
    schema["default"] = field.default
    return {"in": "query", "name": name, "schema": schema}


# --- the style ---------------------------------------------------------------------------------


class UnitRoutesStyle(ApiStyle):
    """``{"message": ..., "extra": {...}}`` for every error; 401 documented on every operation."""

    name = "unit_routes"
    prefixes = ("/routes/",)
    pagination_class = EndOfListPagination
    input_policy = InputPolicy(repeated="refuse", blank="value")
    # A throttled access-code attempt is a 400: the Telegram bot reads any status but 204, 400
    # and 404 "Role is not found" as "role changed" (``Retry-After`` is still sent).
    statuses = {**DOMAIN_STATUSES, RateLimitedError: 400}
    error_responses = {
        400: OpenApiResponse(RoutesValidationErrorSerializer, description="Validation error (or malformed JSON)."),
        401: OpenApiResponse(
            RoutesErrorSerializer, description="No valid Bearer token and not from a trusted network."
        ),
        403: OpenApiResponse(RoutesErrorSerializer, description="Refused by the chat's role."),
        404: OpenApiResponse(RoutesErrorSerializer, description="Not found."),
        409: OpenApiResponse(RoutesErrorSerializer, description="Already exists."),
        429: OpenApiResponse(RoutesErrorSerializer, description="Too many requests."),
    }
    always_documented = (401,)

    def body(self, exc: Exception, status: int, context: dict) -> dict:
        if isinstance(exc, exceptions.ValidationError):
            return {"message": "Validation error", "extra": {"fields": exc.detail}}
        if isinstance(exc, FieldErrors):
            return {"message": "Validation error", "extra": {"fields": exc.fields}}
        if isinstance(exc, RateLimitedError):
            return {"message": exc.message, "extra": {"retry_after": exc.retry_after}}
        if isinstance(exc, ApplicationError):
            return {"message": exc.message, "extra": {}}
        return {"message": message_of(exc), "extra": {}}

    def server_error(self, request):
        # The original's 500 says "Internal server error" without the final stop.
        return JsonResponse({"message": "Internal server error", "extra": {}}, status=500)


STYLE = UnitRoutesStyle()
