"""Project middleware."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.middleware.common import CommonMiddleware

from common.api_styles import render_exception, style_for_path
from common.api_styles.base import PayloadTooLarge


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_limit(request, view_func) -> int:
    """The largest body ``view_func`` accepts for ``request.method`` (issue 11, item 4).

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MiB), unless the view names a larger setting for the
    method in ``body_limit_settings`` (the Datawiz bulk upserts: ``{"post": "DATAWIZ_…"}``).
    """
    view_class = getattr(view_func, "cls", None)
    name = getattr(view_class, "body_limit_settings", {}).get(request.method.lower())
    return getattr(settings, name) if name else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class ApiCommonMiddleware(CommonMiddleware):
    """Django's CommonMiddleware that never redirects an API write, tags each request, and
    answers a body over the view's limit (``body_limit``) with a 413 in the API's shape.

    APPEND_SLASH's redirect drops the body of a POST/PUT/PATCH/DELETE (NetBox does the
    same), so under an API prefix those are left to the URLconf: the API answers them
    (Feecc registers both forms) or its style's JSON 404 does.
    """

    def process_request(self, request):
        request.request_id = uuid.uuid4()
        return super().process_request(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After URL resolution, before the view: nothing has read the body yet. Django's own
        # check (request.body) answers an HTML 400 outside DRF and knows no per-view limit.
        style = style_for_path(request.path_info)
        if style is not None and _content_length(request) > body_limit(request, view_func):
            return render_exception(style, PayloadTooLarge(), request)
        return None

    def should_redirect_with_slash(self, request):
        if request.method not in ("GET", "HEAD") and style_for_path(request.path_info) is not None:
            return False
        return super().should_redirect_with_slash(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "request_id", None) and not response.has_header("X-Request-ID"):
            response["X-Request-ID"] = str(request.request_id)
        return response
