"""Project middleware."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.middleware.common import CommonMiddleware

from common.api_styles import render_exception, style_for_path
from common.api_styles.base import PayloadTooLarge


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# A client's (or proxy's) X-Request-ID is kept when it is 1-128 characters of this set
# (UUIDs, hex and base64 trace ids, nginx's $request_id); anything else is replaced.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9+/=._:-]{1,128}")


def incoming_request_id(request) -> str | None:
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    return value if REQUEST_ID_PATTERN.fullmatch(value) else None


class RequestIdMiddleware:
    """The request id (issue 12, item 3): kept from X-Request-ID if well-formed, else a new UUID.

    It is ``request.request_id``, the response's ``X-Request-ID`` and, through a context
    variable, part of every log line written while the request is handled. First in
    MIDDLEWARE, so even answers of the middleware after it (static files, redirects) carry it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from common.logs import request_id_var

        request.request_id = incoming_request_id(request) or str(uuid.uuid4())
        # Reset when the response is closed (request_finished), not here: Django logs
        # "Not Found: ..." and 5xx lines after the middleware chain has returned.
        request_id_var.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def _forget_request_id(**kwargs) -> None:
    from common.logs import request_id_var

    request_id_var.set(None)


request_finished.connect(_forget_request_id, dispatch_uid="common.middleware.forget_request_id")


class ApiCommonMiddleware(CommonMiddleware):
    """Django's CommonMiddleware that never redirects an API write and tags each request.

    APPEND_SLASH's redirect drops the body of a POST/PUT/PATCH/DELETE (NetBox does the
    same), so under an API prefix those are left to the URLconf: the API answers them
    (Feecc registers both forms) or its style's JSON 404 does.
    """

    def process_request(self, request):
        if not getattr(request, "request_id", None):  # RequestIdMiddleware not installed
            request.request_id = str(uuid.uuid4())
        style = style_for_path(request.path_info)
        if style is not None and _content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # DRF's parsers read the stream directly, so Django's own limit never fires for them.
            return render_exception(style, PayloadTooLarge(), request)
        return super().process_request(request)

    def should_redirect_with_slash(self, request):
        if request.method not in ("GET", "HEAD") and style_for_path(request.path_info) is not None:
            return False
        return super().should_redirect_with_slash(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "request_id", None) and not response.has_header("X-Request-ID"):
            response["X-Request-ID"] = str(request.request_id)
        return response
