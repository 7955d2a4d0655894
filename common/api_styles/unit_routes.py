"""Unit routes database: ``{"message", "extra"}`` envelopes (routes.md, Decision 3)."""

from __future__ import annotations

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
