"""The start page and the offline documentation pages.

``/`` (what the admin's "View site" opens) lists the five APIs with their base URLs, the
documentation and the admin: HTML for a browser, JSON for an API client (``Accept``).

The documentation pages (Swagger UI, Redoc, VRt's doc file) use only this server's assets; the
Redoc bundle still renders a footer logo from Redocly's CDN, so these pages are sent with a
Content-Security-Policy that lets the browser load nothing from anywhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# 'unsafe-inline': the pages start Redoc / Swagger UI with an inline script, and both style
# themselves with inline styles; blob: for Redoc's search worker; data: for inline icons.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def offline(response):
    """Mark a documentation page's response: the browser may fetch from this server only."""
    response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    return response


class OfflineSwaggerView(SpectacularSwaggerView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return offline(super().get(request, *args, **kwargs))


class OfflineRedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return offline(super().get(request, *args, **kwargs))


# (app, API, base URL path a client configures, the paths it serves) — README's table.
APIS = (
    ("accounts", "VRt.Account", "", ["/account/"]),
    ("routes", "Unit routes database", "/routes", ["/routes/"]),
    ("passports", "Feecc Analytics", "", ["/api/v1/", "/token"]),
    ("calculations", "formula", "/formula", ["/formula/"]),
    ("terminals", "Datawiz API v1", "", ["/api/v1/terminals/", "/api/v1/shops/", "/api/o/token/"]),
)


def site_map(request) -> dict:
    root = request.build_absolute_uri("/").rstrip("/")
    return {
        "name": settings.SPECTACULAR_SETTINGS["TITLE"],
        "version": settings.PROJECT_VERSION,
        "apis": [
            {
                "app": app,
                "name": name,
                "base_url": root + base,
                "paths": [root + path for path in paths],
            }
            for app, name, base, paths in APIS
        ],
        "docs": {
            "swagger_ui": root + reverse("swagger-ui"),
            "redoc": root + reverse("redoc"),
            "openapi_schema": root + reverse("schema"),
            "vrt_account": root + reverse("accounts:file", args=["account_en.html"]),
        },
        "admin": root + reverse("admin:index"),
    }


class RootView(View):
    """``GET /``: JSON unless the client prefers HTML (a browser)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request):
        data = site_map(request)
        if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
            response = render(request, "common/root.html", data)
        else:
            response = JsonResponse(data)
        response["Vary"] = "Accept"
        return response
