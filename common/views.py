"""Project-wide error pages: JSON in the style of the API that owns the path (DECISIONS §4)."""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.views import defaults

from common.api_styles import render_exception, style_for_path
from common.api_styles.base import ServerError, normalize


def page_not_found(request, exception=None):
    style = style_for_path(request.path)
    if style is not None:
        return style.page_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django calls this inside its ``except`` block, so the exception is still at hand:
    an unavailable database becomes the style's 503, anything else its generic 500."""
    style = style_for_path(request.path)
    if style is None:
        return defaults.server_error(request)
    exc = sys.exc_info()[1]
    known = normalize(exc) if exc is not None else None
    if known is not None and not isinstance(known, ServerError):
        return render_exception(style, known, request)
    return style.server_error(request)


def bad_request(request, exception=None):
    style = style_for_path(request.path)
    if style is not None:
        from rest_framework import exceptions

        exc = exception if isinstance(exception, RequestDataTooBig) else None
        return render_exception(style, normalize(exc) if exc else exceptions.ParseError("Bad request."), request)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    style = style_for_path(request.path)
    if style is not None:
        from rest_framework import exceptions

        return render_exception(style, exceptions.PermissionDenied(), request)
    return defaults.permission_denied(request, exception)
