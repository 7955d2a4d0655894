"""Datawiz API v1 (DRF 2): ``{"detail": "Not found"}``, field-error dicts, per-item lists (terminals.md, 2).

Besides the exception handler this module holds the API's page/page_size paginator and the
OPTIONS metadata in the shape DRF 2.4 printed (no default labels).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.field_mapping import ClassLookupDict
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common.api_styles.base import ApiStyle, auth_headers, message_of, normalize, status_of
from common.exceptions import ApplicationError

NOT_FOUND = "Not found"
_INTEGER = re.compile(r"-?[0-9]+")


def error_body(exc: Exception):
    if isinstance(exc, exceptions.ValidationError):
        return exc.detail
    if isinstance(exc, exceptions.NotFound):
        return {"detail": NOT_FOUND}
    if isinstance(exc, ApplicationError):
        # ``body``: a service's complete answer (per-item error list, field dict, RFC 6749 error).
        body = getattr(exc, "body", None)
        if body is not None:
            return body
        return {**exc.extra, "detail": exc.message}
    return {"detail": message_of(exc)}


def exception_handler(exc, context):
    exc = normalize(exc)
    if exc is None:
        return None
    return Response(error_body(exc), status=status_of(exc), headers=auth_headers(exc))


def page_not_found(request, exception=None):
    return JsonResponse({"detail": NOT_FOUND}, status=404)


def server_error(request):
    return JsonResponse({"detail": "Internal server error"}, status=500)


class DatawizErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class DatawizOAuthErrorSerializer(serializers.Serializer):
    """RFC 6749, 5.2."""

    error = serializers.ChoiceField(
        choices=["invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_scope"]
    )
    error_description = serializers.CharField(required=False)


#: ``{"field": ["message", ...], "non_field_errors": [...]}`` for one object (or ``{"detail": "..."}``
#: for a body that is not JSON).
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
    "example": {"name": ["This field is required."]},
}
#: One item's entry in a bulk request's errors: its field errors, ``{}`` when valid, plus its
#: 0-based ``index`` when another entry has the same errors (no two entries are equal, issue 13).
ITEM_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "index": {
            "type": "integer",
            "minimum": 0,
            "description": "The item's position in the request; only when another item failed the same way.",
        }
    },
    "additionalProperties": FIELD_ERRORS_SCHEMA["additionalProperties"],
    "example": {"shop_id": ["Shop with id=33 does not exist"], "index": 1},
}
#: A bulk request's errors: one entry per input item, ``{}`` for a valid one.
ITEM_ERRORS_SCHEMA = {"type": "array", "items": ITEM_ERROR_SCHEMA}
#: A single object's field errors, or a bulk request's per-item list.
VALIDATION_ERRORS_SCHEMA = {"oneOf": [FIELD_ERRORS_SCHEMA, ITEM_ERRORS_SCHEMA]}


class DatawizPagination(BasePagination):
    """``?page=N&page_size=M`` → ``{"count", "next", "previous", "results"}`` with absolute links.

    Works on any sliceable sequence or queryset (``.values()`` rows in this app): one COUNT and
    one page query. A malformed ``page``/``page_size`` is a 400 naming it; a page past the end is
    the 404 DRF 2 answered.
    """

    page_query_param = "page"
    page_size_query_param = "page_size"
    page_size = 100
    max_page_size = 1000

    def _positive_int(self, request, name: str, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        # ASCII digits only: int() would also take " 5", "+5", "5_0" and other scripts' digits.
        if not _INTEGER.fullmatch(raw):
            raise exceptions.ValidationError({name: ["A valid integer is required."]})
        value = int(raw)
        if value < 1:
            raise exceptions.ValidationError({name: ["Ensure this value is greater than or equal to 1."]})
        return value

    def get_page_size(self, request) -> int:
        size = self._positive_int(request, self.page_size_query_param, self.page_size)
        if size > self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"Ensure this value is less than or equal to {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        size = self.get_page_size(request)
        number = self._positive_int(request, self.page_query_param, 1)
        paginator = Paginator(queryset, size)
        try:
            self.page = paginator.page(number)
        except EmptyPage:
            raise exceptions.NotFound() from None
        self.request = request
        return list(self.page)

    def get_next_link(self):
        if not self.page.has_next():
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_results(self, data):
        return data["results"]

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.page.paginator.count),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 39},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number within the paginated result set (from 1; blank: 1).",
                "schema": {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "maxLength": 0}]},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results per page (default {self.page_size}; blank: default).",
                "schema": {
                    "oneOf": [
                        {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
                        # The official client turns a None parameter into an empty value.
                        {"type": "string", "maxLength": 0},
                    ]
                },
            },
        ]


class DatawizMetadata(SimpleMetadata):
    """OPTIONS as DRF 2.4 printed it: ``type``/``required``/``read_only``, a ``label`` only when
    the serializer field sets one, ``max_length``; read-only links are of type ``field``."""

    label_lookup = ClassLookupDict({**SimpleMetadata.label_lookup.mapping, serializers.URLField: "field"})

    def get_field_info(self, field):
        info = {"type": self.label_lookup[field], "required": field.required, "read_only": field.read_only}
        label = getattr(field, "_kwargs", {}).get("label")
        if label:
            info["label"] = label
        for attr in ("max_length", "min_length", "max_digits", "decimal_places"):
            value = getattr(field, attr, None)
            if value is not None:
                info[attr] = value
        return info


STYLE = ApiStyle(
    "datawiz", ("/api/v1/terminals", "/api/v1/shops", "/api/o/"), exception_handler, page_not_found, server_error
)
