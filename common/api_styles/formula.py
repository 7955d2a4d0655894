"""formula: DRF's own shapes — ``{"detail": ...}`` and ``{"field": ["message"]}`` (calculations.md, 4.1)."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from common.api_styles.base import ApiStyle, auth_headers, message_of, normalize, status_of
from common.exceptions import ApplicationError


def error_body(exc: Exception):
    if isinstance(exc, exceptions.ValidationError):
        return exc.detail
    if isinstance(exc, ApplicationError):
        return {**exc.extra, "detail": exc.message}
    return {"detail": message_of(exc)}


def exception_handler(exc, context):
    exc = normalize(exc)
    if exc is None:
        return None
    return Response(error_body(exc), status=status_of(exc), headers=auth_headers(exc))


def page_not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    return JsonResponse({"detail": "Internal server error."}, status=500)


class FormulaErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


STYLE = ApiStyle("formula", ("/formula/",), exception_handler, page_not_found, server_error)
