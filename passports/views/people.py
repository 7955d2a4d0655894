"""``/api/v1/employees``, ``/api/v1/users``, ``POST /token`` and ``GET /api/v1/status``."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import authenticate
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from common.api_styles.feecc import PAGE_PARAMETERS, FeeccErrorSerializer, FeeccPagePagination, envelope
from common.auth import issue_access_token
from common.exceptions import ApplicationError
from common.parsers import JSONParser  # issue 8: a too deeply nested body is a 400
from common.throttling import LoginThrottleMixin
from passports import selectors, services
from passports.permissions import MANAGE_USERS, WRITE, rule_set_of
from passports.serializers import (
    EmployeeDecodeInputSerializer,
    EmployeeInputSerializer,
    EmployeeOutputSerializer,
    FeeccUserInputSerializer,
    FeeccUserOutputSerializer,
    FeeccUserPatchSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    TokenQuerySerializer,
)
from passports.views import ENVELOPE, PassportsAPIView, errors, path_param
from passports.views import envelope as envelope_schema

RFID = path_param("rfid_card_id")
USERNAME = path_param("username")
KEEP_SESSION_HOURS = 1024
SHORT_SESSION_MINUTES = 60


# --- employees ------------------------------------------------------------------------------


class EmployeeListView(PassportsAPIView):
    required_rules = {"POST": WRITE}

    @extend_schema(
        operation_id="feecc_employees_list",
        parameters=PAGE_PARAMETERS,
        responses={
            200: envelope_schema(
                "FeeccEmployeeList", count=serializers.IntegerField(), data=EmployeeOutputSerializer(many=True)
            ),
            **errors(422),
        },
    )
    def get(self, request):
        paginator = FeeccPagePagination()
        page = paginator.paginate_queryset(selectors.employee_list(), request, self)
        return paginator.get_paginated_response(EmployeeOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="feecc_employees_create",
        request=EmployeeInputSerializer,
        responses={200: ENVELOPE, **errors(403, 409, 422)},
    )
    def post(self, request):
        services.employee_create(**self.body(EmployeeInputSerializer))
        return Response(envelope("Created new employee"))


EMPLOYEE_ENVELOPE = envelope_schema("FeeccEmployee", employee=EmployeeOutputSerializer())


class EmployeeDecodeView(PassportsAPIView):
    @extend_schema(
        operation_id="feecc_employees_decode",
        request=EmployeeDecodeInputSerializer,
        responses={200: EMPLOYEE_ENVELOPE, **errors(404, 422)},
    )
    def post(self, request):
        code = self.body(EmployeeDecodeInputSerializer)["encoded_name"]
        employee = selectors.employee_decode(passport_code=code)
        return Response(envelope(employee=EmployeeOutputSerializer(employee).data))


class EmployeeDetailView(PassportsAPIView):
    required_rules = {"PATCH": WRITE, "DELETE": WRITE}

    @extend_schema(
        operation_id="feecc_employees_get", parameters=[RFID], responses={200: EMPLOYEE_ENVELOPE, **errors(404)}
    )
    def get(self, request, rfid_card_id: str):
        employee = selectors.employee_get(rfid_card_id=rfid_card_id)
        return Response(envelope(employee=EmployeeOutputSerializer(employee).data))

    @extend_schema(
        operation_id="feecc_employees_patch",
        parameters=[RFID],
        request=EmployeeInputSerializer,
        responses={200: ENVELOPE, **errors(403, 404, 409, 422)},
    )
    def patch(self, request, rfid_card_id: str):
        data = self.body(EmployeeInputSerializer, partial=True)
        services.employee_update(rfid_card_id=rfid_card_id, data=data)
        return Response(envelope("Successfully patched employee"))

    @extend_schema(
        operation_id="feecc_employees_delete", parameters=[RFID], responses={200: ENVELOPE, **errors(403, 404)}
    )
    def delete(self, request, rfid_card_id: str):
        services.employee_delete(rfid_card_id=rfid_card_id)
        return Response(envelope(f"Removed employee with card id {rfid_card_id}"))


# --- users ----------------------------------------------------------------------------------


def user_payload(user) -> dict:
    employee = selectors.employee_of_user(user)
    return {
        "user": {
            "username": user.username,
            "rule_set": rule_set_of(user),
            "associated_employee": employee.rfid_card_id if employee else None,
        },
        "associated_employee": EmployeeOutputSerializer(employee).data if employee else None,
    }


USER_ENVELOPE = envelope_schema(
    "FeeccUser",
    user=FeeccUserOutputSerializer(),
    associated_employee=EmployeeOutputSerializer(allow_null=True),
)


class UserMeView(PassportsAPIView):
    @extend_schema(operation_id="feecc_users_me", responses={200: USER_ENVELOPE, **errors()})
    def get(self, request):
        return Response(envelope(**user_payload(request.user)))


# issue 8: an error report of this view never shows the password of a form body.
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class UserListView(PassportsAPIView):
    required_rules = {"POST": MANAGE_USERS}  # issue 11: feecc_write alone is not enough

    @extend_schema(
        operation_id="feecc_users_create",
        request=FeeccUserInputSerializer,
        responses={200: ENVELOPE, **errors(403, 404, 409, 422)},
    )
    def post(self, request):
        services.feecc_user_create(actor=request.user, data=self.body(FeeccUserInputSerializer))
        return Response(envelope("Created new user"))


# issue 8: an error report of this view never shows the password of a form body.
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class UserDetailView(PassportsAPIView):
    required_rules = {"PATCH": MANAGE_USERS, "DELETE": MANAGE_USERS}  # issue 11

    @extend_schema(operation_id="feecc_users_get", parameters=[USERNAME], responses={200: USER_ENVELOPE, **errors(404)})
    def get(self, request, username: str):
        user = selectors.feecc_user_get(actor=request.user, username=username)
        return Response(envelope(**user_payload(user)))

    @extend_schema(
        operation_id="feecc_users_patch",
        parameters=[USERNAME],
        request=FeeccUserPatchSerializer,
        responses={200: ENVELOPE, **errors(403, 404, 409, 422)},
    )
    def patch(self, request, username: str):
        data = self.body(FeeccUserPatchSerializer, partial=True)
        services.feecc_user_update(actor=request.user, username=username, data=data)
        return Response(envelope("Patched user"))

    @extend_schema(
        operation_id="feecc_users_delete", parameters=[USERNAME], responses={200: ENVELOPE, **errors(403, 404, 409)}
    )
    def delete(self, request, username: str):
        services.feecc_user_delete(actor=request.user, username=username)
        return Response(envelope("Deleted user"))


# --- service router -------------------------------------------------------------------------


# issue 8: an error report of this view never shows the password of a form body.
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
        responses={200: TokenOutputSerializer, 401: FeeccErrorSerializer, **errors(422, 429)},
    )
    def post(self, request):
        keep_session = self.query(TokenQuerySerializer)["keep_session"]
        form = self.body(TokenInputSerializer)
        user = authenticate(request, username=form["username"], password=form["password"])
        if user is None:
            raise ApplicationError("Incorrect username or password", status=401, auth_header="Bearer")
        lifetime = timedelta(hours=KEEP_SESSION_HOURS) if keep_session else timedelta(minutes=SHORT_SESSION_MINUTES)
        return Response({"access_token": issue_access_token(user, lifetime), "token_type": "bearer"})


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
