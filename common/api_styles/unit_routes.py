"""Unit routes database: ``{"message", "extra"}`` envelopes (routes.md, Decision 3)."""

from __future__ import annotations

import re

from django.http import JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common.api_styles.base import ApiStyle, auth_headers, message_of, normalize, status_of
from common.exceptions import ApplicationError


def error_body(exc: Exception) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return {"message": "Validation error", "extra": {"fields": exc.detail}}
    if isinstance(exc, ApplicationError):
        return {"message": exc.message, "extra": exc.extra}
    return {"message": message_of(exc), "extra": {}}


def exception_handler(exc, context):
    exc = normalize(exc)
    if exc is None:
        return None
    return Response(error_body(exc), status=status_of(exc), headers=auth_headers(exc))


def page_not_found(request, exception=None):
    return JsonResponse(error_body(exceptions.NotFound()), status=404)


def server_error(request):
    return JsonResponse({"message": "Internal server error", "extra": {}}, status=500)


class RoutesErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    extra = serializers.DictField()


STYLE = ApiStyle("unit_routes", ("/routes/",), exception_handler, page_not_found, server_error)


# --- Pagination (routes.md, Decision 5) ----------------------------------------------------

MAX_LIMIT = 100
# PostgreSQL's OFFSET is a bigint; anything near it is nonsense, so refuse it as a 400.
MAX_OFFSET = 2**62


_INTEGER_TEXT = re.compile(r"[+-]?\d+")


class StrictIntegerField(serializers.IntegerField):
    """An integer and nothing else: ``"1.0"``, ``""``, ``true`` or (in JSON) ``"1"`` are refused.

    Text is accepted only where everything is text (query strings and form bodies: the
    serializer's context has ``text_input``); a JSON body must send a JSON integer.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str):
            if not self.context.get("text_input") or not _INTEGER_TEXT.fullmatch(data):
                self.fail("invalid")
        elif not isinstance(data, (int, float)) or (isinstance(data, float) and not data.is_integer()):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A string and nothing else (DRF's CharField would turn ``0`` into ``"0"``)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def query_data(query_params, serializer_class) -> tuple[dict, dict]:
    """A query string as serializer input: lists for list fields, one value for the rest.

    Returns ``(data, errors)``; a repeated scalar parameter (``?limit=1&limit=2``) is an error
    rather than "the last one wins".
    """
    list_fields = {
        name for name, field in serializer_class().fields.items() if isinstance(field, serializers.ListField)
    }
    data, errors = {}, {}
    for key in query_params:
        values = query_params.getlist(key)
        if key in list_fields:
            data[key] = values
        elif len(values) > 1:
            errors[key] = ["Expected a single value."]
        else:
            data[key] = values[0]
    return data, errors


class LimitOffsetInputSerializer(serializers.Serializer):
    """``limit`` 1..100 (default 100) and ``offset`` ≥ 0 (default 0), from the query string."""

    limit = StrictIntegerField(min_value=1, max_value=MAX_LIMIT, default=MAX_LIMIT)
    offset = StrictIntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class EndOfListPagination:
    """The original's ``{"<key>": [...], "is_end_of_list_reached": bool}`` page.

    ``is_end_of_list_reached`` means "no row after this page"; it is learnt by fetching
    ``limit + 1`` rows in the page's single query and dropping the extra one.
    """

    def __init__(self, results_key: str):
        self.results_key = results_key

    def paginate(self, queryset, *, limit: int, offset: int) -> tuple[list, bool]:
        rows = list(queryset[offset : offset + limit + 1])
        is_end = len(rows) <= limit
        return rows[:limit], is_end

    def get_paginated_response(self, rows: list, is_end: bool) -> Response:
        return Response({self.results_key: rows, "is_end_of_list_reached": is_end})

    def get_paginated_response_schema(self, item_schema: dict) -> dict:
        return {
            "type": "object",
            "required": [self.results_key, "is_end_of_list_reached"],
            "properties": {
                self.results_key: {"type": "array", "items": item_schema},
                "is_end_of_list_reached": {"type": "boolean", "description": "No row exists after this page."},
            },
        }

    @staticmethod
    def get_schema_operation_parameters() -> list[dict]:
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": MAX_LIMIT},
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            },
        ]


class RoutesValidationErrorSerializer(serializers.Serializer):
    """``{"message": "Validation error", "extra": {"fields": {<field>: [<message>, ...]}}}``."""

    message = serializers.CharField()
    extra = serializers.DictField()
