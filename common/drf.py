"""The glue that binds an app's views to its API style (STYLE.md: one base view per app)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework.views import APIView

from common.api_styles.base import ApiStyle


class StyledViewMixin:
    """Answers every error of the view in ``api_style``; tags the schema with ``api_tag``."""

    api_style: ApiStyle
    api_tag: str = ""

    def get_exception_handler(self):
        return self.api_style.exception_handler

    def throttled(self, request, wait):
        from common.metrics import record_throttled  # issue 12: throttled_requests_total

        record_throttled(request, self)
        super().throttled(request, wait)


class StyledAPIView(StyledViewMixin, APIView):
    pass


class TaggedAutoSchema(AutoSchema):
    """One OpenAPI tag per app (DECISIONS §1), taken from the view's ``api_tag``."""

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "api_tag", "")
        return [tag] if tag else super().get_tags()
