"""Project middleware."""

from __future__ import annotations

import gc
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
    """The request id: kept from X-Request-ID if well-formed, else a new UUID.

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


def body_limit(request, view_func) -> int:
    """The largest body ``view_func`` accepts for ``request.method``.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MiB), unless the view names a larger setting for the
    method in ``body_limit_settings`` (the Datawiz bulk upserts: ``{"post": "DATAWIZ_…"}``).
    """
    view_class = getattr(view_func, "cls", None)
    name = getattr(view_class, "body_limit_settings", {}).get(request.method.lower())
    return getattr(settings, name) if name else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def release_drf_request(response) -> None:
    """Break the reference cycles DRF leaves around a rendered response.

    The DRF ``Request`` holds its view and itself in ``parser_context``; the view holds the
    request and the response (a viewset also holds bound methods of itself), and the response's
    ``renderer_context`` holds all three. Such garbage waits for a full collection of the cyclic
    GC, which rarely comes: a parsed ``[{},{},…]`` is millions of empty dicts the GC does not
    track, so it sees ~50 new objects per request while each request leaves ~25 MB per MiB of
    body (measured: 20 bodies of 1 MiB grew a gunicorn worker by ~280 MB). Without these
    edges the parsed data is freed by reference counting when the server drops the response.
    """
    context = getattr(response, "renderer_context", None)
    if not context or not getattr(response, "is_rendered", False):
        return
    response.renderer_context = None
    drf_request = context.get("request")
    if drf_request is not None:
        drf_request.parser_context = {}
    view = context.get("view")
    if view is not None:
        view.request = None
        view.response = None


#: Request bodies received since the last collection after which one full GC collection runs.
GC_AFTER_BODY_BYTES = 2 * 1024 * 1024


class _BodyBytes:
    """Bytes of request bodies received by this process since the last collection (approximate
    under threads: it only decides when to collect)."""

    received = 0


def collect_after_body_bytes(**kwargs) -> None:
    """``request_finished``: a full GC collection once GC_AFTER_BODY_BYTES of bodies came in.

    Django's own request is cyclic garbage too (``request.user``, ``request.auser`` and the
    messages storage refer back to it), and it holds the raw body (and a form's parsed
    fields). The GC's own thresholds count objects, not bytes, so such garbage could pile up
    for hundreds of requests; one collection per 2 MiB received keeps it to about that much
    (the current request is still referenced while its response closes: it goes next time).
    The cost, one collection (tens of ms), is amortised over at least 2 MiB of bodies.
    """
    if _BodyBytes.received >= GC_AFTER_BODY_BYTES:
        _BodyBytes.received = 0
        gc.collect()


class ApiCommonMiddleware(CommonMiddleware):
    """Django's CommonMiddleware that never redirects an API write, tags each request, and
    answers a body over the view's limit (``body_limit``) with a 413 in the API's shape.

    APPEND_SLASH's redirect drops the body of a POST/PUT/PATCH/DELETE (NetBox does the
    same), so under an API prefix those are left to the URLconf: the API answers them
    (Feecc registers both forms) or its style's JSON 404 does.
    """

    def process_request(self, request):
        if not getattr(request, "request_id", None):  # RequestIdMiddleware not installed
            request.request_id = str(uuid.uuid4())
        # The body limit is checked in process_view, where the view (and its limit) is known.
        _BodyBytes.received += _content_length(request)
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
        release_drf_request(response)
        if getattr(request, "request_id", None) and not response.has_header("X-Request-ID"):
            response["X-Request-ID"] = str(request.request_id)
        return response
