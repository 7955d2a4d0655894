"""Feecc Analytics (FastAPI): ``{"detail": ...}`` errors, 422 validation lists, page/items lists.

passports.md, 3: success bodies are envelopes ``{"status_code": 200, "detail": "Success", ...}``,
errors ``{"detail": "<message>"}`` (a not-found of some resources adds their keys as null, e.g.
``"passport": null``), validation errors FastAPI's ``{"detail": [{"loc", "msg", "type"}]}``
whose ``loc`` starts with where the bad value was: ``"body"``, ``"query"`` or ``"path"``.
"""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common import exceptions as domain
from common.api_styles.base import (
    DOMAIN_STATUSES,
    Answer,
    ApiStyle,
    InputPolicy,
    StylePagination,
    auth_headers,
    message_of,
    status_of,
)
from common.paging import rows_at, total_of

NOT_AUTHENTICATED = "Not authenticated"
INVALID_CREDENTIALS = "Could not validate credentials"
INCORRECT_LOGIN = "Incorrect username or password"
FORBIDDEN = "insufficient permissions for current user"
SUCCESS = "Success"
BEARER = {"WWW-Authenticate": "Bearer"}

#: The keys a not-found of a resource adds to its body, as null, next to ``"status_code": 404``
#: (the original's ``GenericResponse`` subclasses: ``PassportResponse`` ...; passports.md
#: Decision 10). A resource not listed answers ``{"detail": ...}`` alone.
NOT_FOUND_KEYS: dict[str, tuple[str, ...]] = {
    "passport": ("passport",),
    "stage": ("stage",),
    "schema": ("prod_schema",),
    "user": ("user", "associated_employee"),
}

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


def envelope(detail: str = SUCCESS, **extra) -> dict:
    """The original's ``GenericResponse`` plus the route's own keys."""
    return {"status_code": 200, "detail": detail, **extra}


# --- page/items pagination (passports.md §4.7, recommendation 8) ----------------------------

MAX_ITEMS = 1000
DEFAULT_ITEMS = 20


class FeeccPageQuerySerializer(serializers.Serializer):
    # The input policy reads an empty ``page=`` as the empty string, which is no integer: a 422
    # as the original (FastAPI, ``page: int = 1``) answers; absent means the default.
    page = serializers.IntegerField(required=False, default=1, min_value=1)
    items = serializers.IntegerField(required=False, default=DEFAULT_ITEMS, min_value=1, max_value=MAX_ITEMS)


class FeeccPagePagination(StylePagination):
    """1-based ``page`` and ``items`` (default 20, at most 1000); ``count`` = matches before paging.

    Answers ``Env + {count, data}``. At most two queries whatever the page size: the page, and
    the count only when the page is full or starts past the end (``total_of``). Bad parameters
    are 422 under ``"query"``.
    """

    def page(self, queryset, request) -> list:
        params = STYLE.parse_query(request, FeeccPageQuerySerializer)
        page, items = params["page"], params["items"]
        start = (page - 1) * items
        rows = rows_at(queryset, start, items)
        self.count = total_of(queryset, start, items, rows)
        return rows

    def get_paginated_response(self, data) -> Response:
        return Response(envelope(count=self.count, data=data))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "data": schema,
                "status_code": {"type": "integer"},
                "detail": {"type": "string"},
            },
            "required": ["count", "data", "detail", "status_code"],
        }

    def get_schema_operation_parameters(self, view=None) -> list[dict]:
        return [
            {
                "in": "query",
                "name": "page",
                "schema": {"type": "integer", "minimum": 1},
                "description": "1-based page (default 1).",
            },
            {
                "in": "query",
                "name": "items",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ITEMS},
                "description": f"Page size, 1..{MAX_ITEMS} (default {DEFAULT_ITEMS}).",
            },
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


# --- the style ------------------------------------------------------------------------------


class FeeccStyle(ApiStyle):
    """How the Feecc API answers errors, pages lists and reads its input."""

    name = "feecc"
    prefixes = ("/api/v1/", "/token")
    pagination_class = FeeccPagePagination
    # FastAPI reads the last of repeated parameters, and an empty one as the empty string.
    input_policy = InputPolicy(
        repeated="last",
        blank="value",
        query_error=FeeccQueryValidationError,
        path_error=FeeccPathValidationError,
        refuse_nul_in_path=True,
    )
    statuses = {**DOMAIN_STATUSES, domain.FieldErrors: 422}
    error_responses = {
        code: OpenApiResponse(FeeccValidationErrorSerializer if code == 422 else FeeccErrorSerializer)
        for code in (400, 401, 403, 404, 409, 422, 429, 502)
    }
    # Every operation but ``/token`` and ``/api/v1/status`` needs a token.
    always_documented = (401,)

    def answer(self, exc: Exception, context: dict) -> Answer:
        if isinstance(exc, exceptions.ValidationError):
            location = getattr(exc, "feecc_location", "body")
            return Answer(422, {"detail": validation_items(exc.detail, location)}, {})
        if isinstance(exc, domain.FieldErrors):
            return Answer(422, {"detail": validation_items(exc.fields)}, {})
        if isinstance(exc, exceptions.ParseError):
            item = {"loc": ["body"], "msg": message_of(exc), "type": "value_error.jsondecode"}
            return Answer(422, {"detail": [item]}, {})
        refused = self._refusal(exc)
        if refused is not None:
            return Answer(refused[0], {"detail": refused[1]}, BEARER)
        code = status_of(exc, self.statuses)
        return Answer(code, self.body(exc, code, context), auth_headers(exc))

    @staticmethod
    def _refusal(exc: Exception) -> tuple[int, str] | None:
        """The status and message of a refused caller (no, bad or too weak credentials)."""
        if isinstance(exc, exceptions.NotAuthenticated):
            return 401, NOT_AUTHENTICATED
        if isinstance(exc, exceptions.AuthenticationFailed):
            return 401, INVALID_CREDENTIALS
        if isinstance(exc, domain.InvalidCredentialsError):
            return 401, INCORRECT_LOGIN
        if isinstance(exc, exceptions.PermissionDenied):
            return 403, FORBIDDEN
        return None

    def body(self, exc: Exception, status: int, context: dict) -> Any:
        if isinstance(exc, domain.NotFoundError) and exc.resource in NOT_FOUND_KEYS:
            return {"status_code": 404, **dict.fromkeys(NOT_FOUND_KEYS[exc.resource]), "detail": exc.message}
        if isinstance(exc, domain.ApplicationError):
            return {"detail": exc.message}
        if isinstance(exc, exceptions.NotFound):
            return {"detail": "Not Found"}
        if isinstance(exc, exceptions.MethodNotAllowed):
            return {"detail": "Method Not Allowed"}
        return {"detail": message_of(exc)}

    def server_error(self, request) -> JsonResponse:
        # Starlette's plain 500 text, as JSON; an error answered inside a view keeps DRF's text.
        return JsonResponse({"detail": "Internal Server Error"}, status=500)


STYLE = FeeccStyle()
