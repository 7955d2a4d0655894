"""Feecc Analytics (FastAPI): ``{"detail": ...}`` errors, 422 validation lists, page/items lists.

passports.md, 3: success bodies are envelopes ``{"status_code": 200, "detail": "Success", ...}``,
errors ``{"detail": "<message>"}`` (a not-found may add the resource's key, e.g.
``"passport": null``), validation errors FastAPI's ``{"detail": [{"loc", "msg", "type"}]}``
whose ``loc`` starts with where the bad value was: ``"body"`` or ``"query"``.
"""

from __future__ import annotations

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common.api_styles.base import ApiStyle, auth_headers, message_of, normalize, status_of
from common.exceptions import ApplicationError

NOT_AUTHENTICATED = "Not authenticated"
INVALID_CREDENTIALS = "Could not validate credentials"
FORBIDDEN = "insufficient permissions for current user"
SUCCESS = "Success"

# DRF error codes → FastAPI/pydantic (v1) error types and messages, where they have one.
_TYPES = {
    "required": ("value_error.missing", "field required"),
    "null": ("type_error.none.not_allowed", "none is not an allowed value"),
    "invalid_choice": ("type_error.enum", None),
    "invalid": ("value_error", None),
    "not_a_list": ("type_error.list", "value is not a valid list"),
    "max_length": ("value_error.any_str.max_length", None),
    "min_length": ("value_error.any_str.min_length", None),
    "max_value": ("value_error.number.not_le", None),
    "min_value": ("value_error.number.not_ge", None),
    "parse_error": ("value_error.jsondecode", None),
}


class FeeccQueryValidationError(exceptions.ValidationError):
    """A bad query parameter: its 422 items are located under ``"query"``."""

    feecc_location = "query"


class FeeccPathValidationError(exceptions.ValidationError):
    """A bad path parameter: its 422 items are located under ``"path"``."""

    feecc_location = "path"


def _walk(detail, path: list) -> list[tuple[list, str, str]]:
    out: list[tuple[list, str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = path if key in ("non_field_errors",) else [*path, int(key) if str(key).isdigit() else key]
            out.extend(_walk(value, sub))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.extend((path, str(item), getattr(item, "code", "invalid") or "invalid") for item in detail)
        else:
            for index, item in enumerate(detail):
                if item:
                    out.extend(_walk(item, [*path, index]))
    else:
        out.append((path, str(detail), getattr(detail, "code", "invalid") or "invalid"))
    return out


def validation_items(detail, location: str = "body") -> list[dict]:
    items = []
    for path, message, code in _walk(detail, []):
        error_type, fastapi_message = _TYPES.get(code, ("value_error", None))
        items.append({"loc": [location, *path], "msg": fastapi_message or message, "type": error_type})
    return items


def error_parts(exc: Exception, location: str = "body") -> tuple[int, dict, dict]:
    """(status, body, headers) for ``exc`` in FastAPI's shapes."""
    headers = auth_headers(exc)
    if isinstance(exc, exceptions.ValidationError):
        location = getattr(exc, "feecc_location", None) or location
        return 422, {"detail": validation_items(exc.detail, location)}, headers
    if isinstance(exc, exceptions.NotAuthenticated):
        return 401, {"detail": NOT_AUTHENTICATED}, {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, exceptions.AuthenticationFailed):
        return 401, {"detail": INVALID_CREDENTIALS}, {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, exceptions.PermissionDenied):
        return 403, {"detail": FORBIDDEN}, {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, ApplicationError):
        return exc.status, {**exc.extra, "detail": exc.message}, headers
    if isinstance(exc, exceptions.NotFound):
        return 404, {"detail": "Not Found"}, headers
    if isinstance(exc, exceptions.MethodNotAllowed):
        return 405, {"detail": "Method Not Allowed"}, headers
    if isinstance(exc, exceptions.ParseError):
        return 422, {"detail": [{"loc": [location], "msg": message_of(exc), "type": "value_error.jsondecode"}]}, headers
    return status_of(exc), {"detail": message_of(exc)}, headers


def exception_handler(exc, context):
    exc = normalize(exc)
    if exc is None:
        return None
    view = context.get("view")
    code, body, headers = error_parts(exc, getattr(view, "feecc_error_location", "body"))
    return Response(body, status=code, headers=headers)


def page_not_found(request, exception=None):
    return JsonResponse({"detail": "Not Found"}, status=404)


def server_error(request):
    return JsonResponse({"detail": "Internal Server Error"}, status=500)


def envelope(detail: str = SUCCESS, **extra) -> dict:
    """The original's ``GenericResponse`` plus the route's own keys."""
    return {"status_code": 200, "detail": detail, **extra}


# --- page/items pagination (passports.md §4.7, recommendation 8) ----------------------------


class _QueryIntegerField(serializers.IntegerField):
    """An integer query parameter: absent means the default, but ``page=`` (empty) is not a number.

    DRF reads an empty form value of an optional field as absent; the original (FastAPI,
    ``page: int = 1``) answers 422 for it, and the schema says integer (issue 13)."""

    def get_value(self, dictionary):
        if dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class FeeccPageQuerySerializer(serializers.Serializer):
    page = _QueryIntegerField(required=False, default=1, min_value=1)
    items = _QueryIntegerField(required=False, default=20, min_value=1, max_value=1000)


class FeeccPagePagination:
    """1-based ``page`` and ``items`` (default 20, at most 1000); ``count`` = matches before paging.

    Answers ``Env + {count, data}``. Two queries whatever the page size: the count and the page.
    """

    max_items = 1000

    def parse(self, request) -> tuple[int, int]:
        serializer = FeeccPageQuerySerializer(data=request.query_params)
        if not serializer.is_valid():
            raise FeeccQueryValidationError(serializer.errors)
        return serializer.validated_data["page"], serializer.validated_data["items"]

    def paginate_queryset(self, queryset, request, view=None) -> list:
        page, items = self.parse(request)
        self.count = queryset.count()
        start = (page - 1) * items
        return list(queryset[start : start + items]) if start < self.count else []

    def get_paginated_response(self, data, **extra) -> Response:
        return Response(envelope(count=self.count, data=data, **extra))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["status_code", "detail", "count", "data"],
            "properties": {
                "status_code": {"type": "integer", "example": 200},
                "detail": {"type": "string", "example": SUCCESS},
                "count": {"type": "integer", "example": 123},
                "data": schema,
            },
        }

    def get_schema_operation_parameters(self, view=None) -> list[dict]:
        return [
            {"name": "page", "required": False, "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {
                "name": "items",
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_items},
            },
        ]


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page", {"type": "integer", "minimum": 1}, OpenApiParameter.QUERY, description="1-based page (default 1)."
    ),
    OpenApiParameter(
        "items",
        {"type": "integer", "minimum": 1, "maximum": 1000},
        OpenApiParameter.QUERY,
        description="Page size, 1..1000 (default 20).",
    ),
]


# --- error serializers for the schema -----------------------------------------------------


class FeeccErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FeeccValidationItemSerializer(serializers.Serializer):
    loc = serializers.ListField(child=serializers.JSONField())
    msg = serializers.CharField()
    type = serializers.CharField()


class FeeccValidationErrorSerializer(serializers.Serializer):
    detail = FeeccValidationItemSerializer(many=True)


class FeeccEnvelopeSerializer(serializers.Serializer):
    status_code = serializers.IntegerField()
    detail = serializers.CharField()


STYLE = ApiStyle("feecc", ("/api/v1/", "/token"), exception_handler, page_not_found, server_error)
