"""Feecc Analytics (FastAPI): ``{"detail": ...}`` errors, 422 validation lists (passports.md, 3)."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common.api_styles.base import ApiStyle, auth_headers, flatten_errors, message_of, normalize, status_of
from common.exceptions import ApplicationError

NOT_AUTHENTICATED = "Not authenticated"
INVALID_CREDENTIALS = "Could not validate credentials"
FORBIDDEN = "insufficient permissions for current user"


def validation_items(detail, location: str = "body") -> list[dict]:
    items = []
    for path, message in flatten_errors(detail):
        loc: list = [location]
        for part in path.replace("]", "").replace("[", ".").split("."):
            if part:
                loc.append(int(part) if part.isdigit() else part)
        items.append({"loc": loc, "msg": message, "type": "value_error"})
    return items


def error_parts(exc: Exception, location: str = "body") -> tuple[int, dict, dict]:
    """(status, body, headers) for ``exc`` in FastAPI's shapes."""
    headers = auth_headers(exc)
    if isinstance(exc, exceptions.ValidationError):
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


class FeeccErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FeeccValidationItemSerializer(serializers.Serializer):
    loc = serializers.ListField(child=serializers.JSONField())
    msg = serializers.CharField()
    type = serializers.CharField()


class FeeccValidationErrorSerializer(serializers.Serializer):
    detail = FeeccValidationItemSerializer(many=True)


STYLE = ApiStyle("feecc", ("/api/v1/", "/token"), exception_handler, page_not_found, server_error)
