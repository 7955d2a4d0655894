"""System check, version and the documentation files (accounts.md, Decision 13)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import selectors
from accounts.serializers import (
    AccountCheckResultSerializer,
    AccountVersionResultSerializer,
)
from accounts.views.base import STYLE, AccountsAPIView, AnyAcceptNegotiation
from common.exceptions import NotFoundError
from common.pages import offline

VRT_MAJOR, VRT_MINOR = 7, 9  # the release the seed describes (accounts.md, Decision 13)
DOC_FILES = {"account_en.html": "en", "account_ru.html": "ru"}


class SystemCheckView(AccountsAPIView):
    vrt_operation = "check"
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: AccountCheckResultSerializer, **STYLE.responses(500)}, auth=[])
    def get(self, request):
        return Response({"health": selectors.database_health()})


class SystemVersionView(AccountsAPIView):
    vrt_operation = "version"
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: AccountVersionResultSerializer, **STYLE.responses(500)}, auth=[])
    def get(self, request):
        return Response({"major": VRT_MAJOR, "minor": VRT_MINOR, "build": str(settings.PROJECT_VERSION)})


class SystemFileView(AccountsAPIView):
    vrt_operation = "file"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        responses={(200, "text/html"): OpenApiResponse(OpenApiTypes.STR), **STYLE.responses(404, 500)},
        auth=[],
    )
    def get(self, request, filename: str):
        language = DOC_FILES.get(filename)
        if language is None:
            raise NotFoundError(f"No documentation file {filename!r}.", resource="documentation_file", key=filename)
        title = "VRt.Account API" if language == "en" else "VRt.Account API — документация"
        html = render_to_string(
            "accounts/redoc.html",
            {
                "title": title,
                "language": language,
                "schema_url": reverse("accounts:schema"),  # relative: right behind any proxy or scheme
                "redoc_standalone": static("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
            },
        )
        return offline(HttpResponse(html, content_type="text/html; charset=utf-8"))
