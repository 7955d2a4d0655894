"""Token generation and validation, password change, info (accounts.md, Decisions 2, 3, 11)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import presenters, services
from accounts.serializers import (
    AccountInfoChangeSerializer,
    AccountPasswordChangeSerializer,
    AccountTokenRequestSerializer,
    AccountTokenValidationResultSerializer,
    AccountUserOutputSerializer,
)
from accounts.views.base import STYLE, AccountsAPIView, RequiredBodySchema
from common.throttling import LoginThrottleMixin

# --- auth ------------------------------------------------------------------------------


class TokenGenerationView(LoginThrottleMixin, AccountsAPIView):
    vrt_operation = "run_token_generation"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = RequiredBodySchema()

    @extend_schema(
        request=AccountTokenRequestSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.STR, description="Token (JWT)."),
            **STYLE.responses(400, 401, 403, 415, 429),
        },
        auth=[],
    )
    def post(self, request):
        data = self.body(AccountTokenRequestSerializer)
        return Response(services.token_generate(**data))


class TokenValidationView(AccountsAPIView):
    vrt_operation = "run_token_validation"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = RequiredBodySchema()

    @extend_schema(
        request={"application/json": {"type": "string", "minLength": 10, "maxLength": 1000}},
        responses={200: AccountTokenValidationResultSerializer, **STYLE.responses(400, 415)},
        auth=[],
    )
    def post(self, request):
        raw = request.data
        if not isinstance(raw, str) or not 10 <= len(raw) <= 1000:
            raise ValidationError({"body": ["The body must be a JSON string of 10 to 1000 characters (the token)."]})
        valid, roles = services.token_validate(raw=raw)
        return Response({"valid": valid, "roles": roles})


class PasswordChangeView(LoginThrottleMixin, AccountsAPIView):
    vrt_operation = "change_password"
    # It checks a password, so it is throttled like a login (per IP; the body has no username).
    schema = RequiredBodySchema()

    @extend_schema(
        request=AccountPasswordChangeSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.STR, description="A new token (JWT)."),
            **STYLE.responses(400, 401, 403, 415, 429),
        },
    )
    def post(self, request):
        data = self.body(AccountPasswordChangeSerializer)
        return Response(services.password_change(user=request.user, **data))


# --- info --------------------------------------------------------------------------------


class InfoView(AccountsAPIView):
    vrt_operations = {"GET": "read_info", "PUT": "update_info"}
    vrt_operation = "read_info"  # any other method (a 405) is traced as the path's read

    @extend_schema(responses={200: AccountUserOutputSerializer, **STYLE.responses(401)})
    def get(self, request):
        return Response(presenters.user_info(request.user))

    @extend_schema(
        request=AccountInfoChangeSerializer,
        responses={200: AccountUserOutputSerializer, **STYLE.responses(400, 401, 415)},
    )
    def put(self, request):
        changes = self.body(AccountInfoChangeSerializer)
        return Response(presenters.user_info(services.user_info_update(user=request.user, changes=changes)))
