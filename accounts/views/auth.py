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
from accounts.views.base import (
    AccountsAPIView,
    RequiredBodySchema,
    errors,
)
from common.throttling import LoginThrottleMixin

# --- auth ------------------------------------------------------------------------------


class TokenGenerationView(LoginThrottleMixin, AccountsAPIView):
    vrt_operation = "run_token_generation"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = RequiredBodySchema()

    @extend_schema(
        operation_id="run_token_generation",
        request=AccountTokenRequestSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.STR, description="Token (JWT)."),
            **errors(400, 401, 403, 415, 429),
        },
        auth=[],
    )
    def post(self, request):
        data = self.validated(AccountTokenRequestSerializer, request.data)
        return Response(services.token_generate(**data))


class TokenValidationView(AccountsAPIView):
    vrt_operation = "run_token_validation"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = RequiredBodySchema()

    @extend_schema(
        operation_id="run_token_validation",
        request={"application/json": {"type": "string", "minLength": 10, "maxLength": 1000}},
        responses={200: AccountTokenValidationResultSerializer, **errors(400, 415)},
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
        operation_id="change_password",
        request=AccountPasswordChangeSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.STR, description="A new token (JWT)."),
            **errors(400, 401, 403, 415, 429),
        },
    )
    def post(self, request):
        data = self.validated(AccountPasswordChangeSerializer, request.data)
        return Response(services.password_change(user=request.user, **data))


# --- info --------------------------------------------------------------------------------


class InfoView(AccountsAPIView):
    vrt_operations = {"GET": "read_info", "PUT": "update_info"}

    @property
    def vrt_operation(self) -> str:
        request = getattr(self, "request", None)
        return self.vrt_operations.get(request.method if request else "GET", "read_info")

    @extend_schema(operation_id="read_info", responses={200: AccountUserOutputSerializer, **errors(401)})
    def get(self, request):
        return Response(presenters.user_info(request.user))

    @extend_schema(
        operation_id="update_info",
        request=AccountInfoChangeSerializer,
        responses={200: AccountUserOutputSerializer, **errors(400, 401, 415)},
    )
    def put(self, request):
        changes = self.validated(AccountInfoChangeSerializer, request.data)
        return Response(presenters.user_info(services.user_info_update(user=request.user, changes=changes)))
