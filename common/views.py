"""Project-wide error pages: JSON in the style of the API that owns the path (DECISIONS §4)."""

from __future__ import annotations

from django.views import defaults

from common.api_styles import style_for_path


def page_not_found(request, exception=None):
    style = style_for_path(request.path)
    if style is not None:
        return style.page_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    style = style_for_path(request.path)
    if style is not None:
        return style.server_error(request)
    return defaults.server_error(request)


def bad_request(request, exception=None):
    style = style_for_path(request.path)
    if style is not None:
        from rest_framework import exceptions

        handler = style.exception_handler
        response = handler(exceptions.ParseError("Bad request."), {"request": request, "view": None})
        return _render(response)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    style = style_for_path(request.path)
    if style is not None:
        from rest_framework import exceptions

        response = style.exception_handler(exceptions.PermissionDenied(), {"request": request, "view": None})
        return _render(response)
    return defaults.permission_denied(request, exception)


def _render(response):
    from rest_framework.renderers import JSONRenderer

    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {}
    return response.render()
