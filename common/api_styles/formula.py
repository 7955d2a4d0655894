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
        # A domain error naming fields answers in DRF's field shape; any other has a detail.
        return dict(exc.extra) if exc.extra else {"detail": exc.message}
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


class FormulaValidationErrorSerializer(serializers.Serializer):
    """DRF's field errors: ``{"<field>": ["message"], "components": [{}, {"componentID": [...]}]}``."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class OrdinalPaginator:
    """The formula list's paging (calculations.md §4.2 #9).

    ``currentQuantity`` is the 1-based ordinal of the first row ("0, 21, 41 for pages of 20"),
    so the offset is ``max(currentQuantity − 1, 0)``; ``defaultQuantity`` is the page size
    (0 answers only the count). Two queries whatever the page size: a count and the page.
    """

    default_size = 20

    def __init__(self, params: dict):
        current = params.get("currentQuantity") or 0
        size = params.get("defaultQuantity")
        self.offset = max(current - 1, 0)
        self.limit = self.default_size if size is None else size

    def count(self, queryset) -> int:
        return queryset.count()

    def rows(self, queryset, build) -> list:
        if self.limit == 0:
            return []
        return [build(row) for row in queryset[self.offset : self.offset + self.limit]]
