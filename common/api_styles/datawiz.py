"""Datawiz API v1 (DRF 2): ``{"detail": "Not found"}``, field-error dicts, per-item lists (terminals.md, 2).

``DatawizStyle`` is everything that is "how this API talks": how errors are answered, the
page/page_size paginator, the documented error responses; next to it the OPTIONS metadata in
the shape DRF 2.4 printed (no default labels).
"""

from __future__ import annotations

import json
from collections import Counter, OrderedDict

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response
from rest_framework.utils.field_mapping import ClassLookupDict
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common.api_styles.base import ApiStyle, InputPolicy, StylePagination, message_of
from common.exceptions import ApplicationError, FieldErrors, ItemErrors
from common.fields import StrictIntegerField
from common.paging import rows_at, total_of

NOT_FOUND = "Not found"
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 1000


class OAuthError(ApplicationError):
    """A refused OAuth 2 token request, with RFC 6749's error code (5.2): ``invalid_request``,
    ``invalid_grant``, ``unsupported_grant_type``. ``message`` is the human description."""

    def __init__(self, error: str, message: str):
        self.error = error
        super().__init__(message)


def distinct_entries(errors: list[dict]) -> list[dict]:
    """The per-item list with no two equal error entries.

    The Datawiz client finds the failed items with ``errors.index(entry)`` (the *first* equal
    entry) and re-sends the others: two items failing with the same message would make it
    re-send a failing one, and the all-or-nothing retry would store nothing. So an entry equal
    to another gets ``"index"``: the item's position in the request (0-based). Unique entries
    keep the seed's shape; valid items stay ``{}`` (falsy: the client skips them).
    """
    keys = [json.dumps(entry, sort_keys=True) if entry else None for entry in errors]
    counts = Counter(key for key in keys if key is not None)
    return [
        {**entry, "index": position} if key is not None and counts[key] > 1 else entry
        for position, (entry, key) in enumerate(zip(errors, keys, strict=True))
    ]


def bulk_body(request) -> bool:
    """Whether the request's body was a JSON list (a bulk write) rather than one object."""
    return isinstance(getattr(request, "data", None), list)


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
#: 0-based ``index`` when another entry has the same errors (no two entries are equal: the client finds failed items by equality).
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


class _PageQuery(serializers.Serializer):
    """``page``/``page_size`` as the seed's clients send them (read with the style's input policy:
    blank is the default, the last of repeated values wins)."""

    page = StrictIntegerField(min_value=1, required=False)
    page_size = StrictIntegerField(min_value=1, max_value=PAGE_SIZE_MAX, required=False)


class DatawizPagination(StylePagination):
    """``?page=N&page_size=M`` → ``{"count", "next", "previous", "results"}`` with absolute links.

    Works on any ordered sliceable sequence or queryset (``.values()`` rows in this app): the
    page query, and a COUNT only when the page is full (``total_of``). A malformed
    ``page``/``page_size`` is a 400 naming it; a page past the end is the 404 DRF 2 answered
    (as Django's ``Paginator``: page 1 of an empty list is an empty page, any later empty page
    is past the end).
    """

    page_query_param = "page"
    page_size_query_param = "page_size"
    page_size = PAGE_SIZE_DEFAULT
    max_page_size = PAGE_SIZE_MAX

    def page(self, queryset, request) -> list:
        params = STYLE.parse_query(request, _PageQuery)
        self.number, size = params.get("page", 1), params.get("page_size", self.page_size)
        offset = (self.number - 1) * size
        rows = rows_at(queryset, offset, size)
        if not rows and self.number > 1:
            raise exceptions.NotFound()
        self.count = total_of(queryset, offset, size, rows)
        self.has_next = offset + len(rows) < self.count
        return rows

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_results(self, data):
        return data["results"]

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
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


ERRORS_400 = OpenApiResponse(
    VALIDATION_ERRORS_SCHEMA,
    description=(
        "Field errors of one object, or for a list one dict per item (`{}` when valid, plus `index` when"
        " another item failed the same way, so no two entries are equal); nothing written"
    ),
)
#: A list's 400: its query parameters are one object's fields.
QUERY_ERRORS = OpenApiResponse(FIELD_ERRORS_SCHEMA, description="A malformed query parameter")
#: The token endpoint's 400.
OAUTH_ERRORS = OpenApiResponse(DatawizOAuthErrorSerializer, description="RFC 6749, 5.2")


class DatawizStyle(ApiStyle):
    """DRF 2 answers: ``{"detail": ...}``, one object's field dict, a bulk write's per-item list.

    ``ItemErrors`` hold one entry per input item; the answer depends on what was posted: the
    single item's dict for a JSON object (or form), the whole list (entries made distinct) for
    a JSON list. ``OAuthError`` is RFC 6749's ``{"error", "error_description"}``.
    """

    name = "datawiz"
    prefixes = ("/api/v1/terminals", "/api/v1/shops", "/api/o/")
    pagination_class = DatawizPagination
    # DRF 2 read query strings with ``QueryDict.get`` (the last of repeated values) and the
    # seed's filters treat a blank value as not given.
    input_policy = InputPolicy(repeated="last", blank="absent")
    error_responses = {
        400: ERRORS_400,
        401: OpenApiResponse(DatawizErrorSerializer, description="Not authenticated"),
        404: OpenApiResponse(DatawizErrorSerializer, description='`{"detail": "Not found"}`'),
        409: OpenApiResponse(DatawizErrorSerializer, description="Conflict"),
        415: OpenApiResponse(DatawizErrorSerializer, description="Unsupported media type"),
        429: OpenApiResponse(DatawizErrorSerializer, description="Too many attempts"),
    }

    def body(self, exc: Exception, status: int, context: dict):
        if isinstance(exc, exceptions.ValidationError):
            return exc.detail
        if isinstance(exc, exceptions.NotFound):
            return {"detail": NOT_FOUND}
        if isinstance(exc, ItemErrors):
            return distinct_entries(exc.items) if bulk_body(context.get("request")) else exc.items[0]
        if isinstance(exc, FieldErrors):
            return exc.fields
        if isinstance(exc, OAuthError):
            return {"error": exc.error, "error_description": exc.message}
        return {"detail": message_of(exc)}

    def server_error(self, request):
        # handler500's text since a8f5608 (no full stop), kept for the clients that match it.
        return JsonResponse({"detail": "Internal server error"}, status=500)


STYLE = DatawizStyle()
