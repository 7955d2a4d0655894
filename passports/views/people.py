"""``/api/v1/employees``, ``/api/v1/users``, ``POST /token`` and ``GET /api/v1/status``."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from common.api_styles.feecc import STYLE, envelope
from common.drf import representation
from common.parsers import JSONParser
from common.throttling import LoginThrottleMixin
from passports import selectors, services
from passports.permissions import MANAGE_USERS, WRITE
from passports.serializers import (
    EmployeeDecodeInputSerializer,
    EmployeeInputSerializer,
    EmployeeOutputSerializer,
    FeeccUserInputSerializer,
    FeeccUserPatchSerializer,
    FeeccUserProfileOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    TokenQuerySerializer,
)
from passports.views.base import ENVELOPE, PassportsAPIView, envelope_component, path_param

RFID = path_param("rfid_card_id")
USERNAME = path_param("username")


# --- employees ------------------------------------------------------------------------------


class EmployeeListView(PassportsAPIView):
    required_rules = {"POST": WRITE}
    page_component = "FeeccEmployeeList"

    @extend_schema(
        operation_id="feecc_employees_list",
        responses={200: EmployeeOutputSerializer(many=True), **STYLE.responses(422)},
    )
    def get(self, request):
        return self.page_values_of(selectors.employee_list, EmployeeOutputSerializer)

    @extend_schema(
        operation_id="feecc_employees_create",
        request=EmployeeInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 409, 422)},
    )
    def post(self, request):
        services.employee_create(**self.body(EmployeeInputSerializer))
        return Response(envelope("Created new employee"))


EMPLOYEE_ENVELOPE = envelope_component("FeeccEmployee", employee=EmployeeOutputSerializer())


class EmployeeDecodeView(PassportsAPIView):
    @extend_schema(
        operation_id="feecc_employees_decode",
        request=EmployeeDecodeInputSerializer,
        responses={200: EMPLOYEE_ENVELOPE, **STYLE.responses(404, 422)},
    )
    def post(self, request):
        code = self.body(EmployeeDecodeInputSerializer)["encoded_name"]
        employee = selectors.employee_decode(passport_code=code)
        return Response(envelope(employee=representation(EmployeeOutputSerializer)(employee)))


class EmployeeDetailView(PassportsAPIView):
    required_rules = {"PATCH": WRITE, "DELETE": WRITE}

    @extend_schema(
        operation_id="feecc_employees_get",
        parameters=[RFID],
        responses={200: EMPLOYEE_ENVELOPE, **STYLE.responses(404)},
    )
    def get(self, request, rfid_card_id: str):
        employee = selectors.employee_get(rfid_card_id=rfid_card_id)
        return Response(envelope(employee=representation(EmployeeOutputSerializer)(employee)))

    @extend_schema(
        operation_id="feecc_employees_patch",
        parameters=[RFID],
        request=EmployeeInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def patch(self, request, rfid_card_id: str):
        data = self.body(EmployeeInputSerializer, partial=True)
        services.employee_update(rfid_card_id=rfid_card_id, data=data)
        return Response(envelope("Successfully patched employee"))

    @extend_schema(
        operation_id="feecc_employees_delete", parameters=[RFID], responses={200: ENVELOPE, **STYLE.responses(403, 404)}
    )
    def delete(self, request, rfid_card_id: str):
        services.employee_delete(rfid_card_id=rfid_card_id)
        return Response(envelope(f"Removed employee with card id {rfid_card_id}"))


# --- users ----------------------------------------------------------------------------------


USER_ENVELOPE = envelope_component("FeeccUser", **FeeccUserProfileOutputSerializer().get_fields())


class UserMeView(PassportsAPIView):
    @extend_schema(operation_id="feecc_users_me", responses={200: USER_ENVELOPE, **STYLE.responses()})
    def get(self, request):
        profile = selectors.feecc_user_profile(request.user)
        return Response(envelope(**representation(FeeccUserProfileOutputSerializer)(profile)))


# An error report of this view never shows the password of a form body.
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class UserListView(PassportsAPIView):
    required_rules = {"POST": MANAGE_USERS}  # feecc_write alone is not enough: users hold rights

    @extend_schema(
        operation_id="feecc_users_create",
        request=FeeccUserInputSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def post(self, request):
        services.feecc_user_create(actor=request.user, data=self.body(FeeccUserInputSerializer))
        return Response(envelope("Created new user"))


# An error report of this view never shows the password of a form body.
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class UserDetailView(PassportsAPIView):
    required_rules = {"PATCH": MANAGE_USERS, "DELETE": MANAGE_USERS}

    @extend_schema(
        operation_id="feecc_users_get", parameters=[USERNAME], responses={200: USER_ENVELOPE, **STYLE.responses(404)}
    )
    def get(self, request, username: str):
        profile = selectors.feecc_user_profile(selectors.feecc_user_get(actor=request.user, username=username))
        return Response(envelope(**representation(FeeccUserProfileOutputSerializer)(profile)))

    @extend_schema(
        operation_id="feecc_users_patch",
        parameters=[USERNAME],
        request=FeeccUserPatchSerializer,
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409, 422)},
    )
    def patch(self, request, username: str):
        data = self.body(FeeccUserPatchSerializer, partial=True)
        services.feecc_user_update(actor=request.user, username=username, data=data)
        return Response(envelope("Patched user"))

    @extend_schema(
        operation_id="feecc_users_delete",
        parameters=[USERNAME],
        responses={200: ENVELOPE, **STYLE.responses(403, 404, 409)},
    )
    def delete(self, request, username: str):
        services.feecc_user_delete(actor=request.user, username=username)
        return Response(envelope("Deleted user"))


# --- service router -------------------------------------------------------------------------


# An error report of this view never shows the password of a form body.
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class TokenView(LoginThrottleMixin, PassportsAPIView):
    """OAuth2 password form → the project's JWT (1024 h, or 60 min with ``keep_session=false``)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(
        operation_id="feecc_token",
        auth=[],
        parameters=[OpenApiParameter("keep_session", bool, description="false → a 60-minute token.")],
        request={"application/x-www-form-urlencoded": TokenInputSerializer, "application/json": TokenInputSerializer},
        responses={200: TokenOutputSerializer, **STYLE.responses(422, 429)},
    )
    def post(self, request):
        keep_session = self.query(TokenQuerySerializer)["keep_session"]
        form = self.body(TokenInputSerializer)
        token = services.feecc_token_issue(
            username=form["username"], password=form["password"], keep_session=keep_session, request=request
        )
        return Response({"access_token": token, "token_type": "bearer"})


class StatusView(PassportsAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="feecc_status",
        auth=[],
        responses={200: inline_serializer("FeeccStatus", {"status": serializers.CharField()})},
    )
    def get(self, request):
        return Response({"status": "ok"})
