"""HTTP interface of the accounts app (the VRt.Account API): thin views over services and selectors."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import presenters, selectors, services
from accounts.reports import statistics_workbook
from accounts.serializers import (
    STATISTICS_DAYS_MAX,
    AccountAuditQuerySerializer,
    AccountAuditResultSerializer,
    AccountCheckResultSerializer,
    AccountDataQuerySerializer,
    AccountInfoChangeSerializer,
    AccountPasswordChangeSerializer,
    AccountQuotasResultSerializer,
    AccountStatisticsQuerySerializer,
    AccountTokenRequestSerializer,
    AccountTokenValidationResultSerializer,
    AccountUserOutputSerializer,
    AccountUserStatisticsSerializer,
    AccountVersionResultSerializer,
)
from accounts.statistics import group_by_day
from common.api_styles import vrt_account
from common.drf import StyledAPIView, TaggedAutoSchema
from common.throttling import LOGIN_THROTTLES

VRT_MAJOR, VRT_MINOR = 7, 9  # the release the seed describes (accounts.md, Decision 13)
DOC_FILES = {"account_en.html": "en", "account_ru.html": "ru"}

_ERROR_BODIES = {
    400: vrt_account.General400Serializer,
    401: vrt_account.GeneralErrorSerializer,
    402: vrt_account.GeneralErrorSerializer,
    403: vrt_account.GeneralErrorSerializer,
    404: vrt_account.General404Serializer,
    415: vrt_account.GeneralErrorSerializer,
    429: vrt_account.GeneralErrorSerializer,
    500: vrt_account.GeneralErrorSerializer,
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(_ERROR_BODIES[code]) for code in codes}


AUTHED_ERRORS = (400, 401, 403, 404, 500)


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """Binary and HTML answers ignore ``Accept`` (the clients always send application/json)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RequiredBodySchema(TaggedAutoSchema):
    """The operations whose body the server needs (token, validation, password) say so."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body


class AccountsAPIView(StyledAPIView):
    """Base of every accounts view: errors in the vrt_account style with the view's operationId."""

    api_style = vrt_account.STYLE
    api_tag = "accounts"
    vrt_operation = "unknown"
    parser_classes = [JSONParser]  # the VRt API speaks JSON only; a form body is a 415

    @staticmethod
    def validated(serializer_class, data, **context):
        serializer = serializer_class(data=data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# --- auth ------------------------------------------------------------------------------


class TokenGenerationView(AccountsAPIView):
    vrt_operation = "run_token_generation"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = LOGIN_THROTTLES
    schema = RequiredBodySchema()

    def check_throttles(self, request):
        # Parse first: the username throttle swallows a parse error and would leave an
        # empty body behind, turning "malformed JSON" into "username is required".
        request.data  # noqa: B018
        super().check_throttles(request)

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


class PasswordChangeView(AccountsAPIView):
    vrt_operation = "change_password"
    # It checks a password, so it is throttled like a login (per IP; the body has no username).
    throttle_classes = LOGIN_THROTTLES
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


# --- statistics and report -----------------------------------------------------------------


class StatisticsPeriodMixin:
    def statistics_query(self, request) -> dict:
        query = AccountsAPIView.validated(AccountStatisticsQuerySerializer, request.query_params)
        today = selectors.user_today(request.user, now=timezone.now())
        date_from = query.get("from") or today.replace(day=1)
        date_to = query.get("to") or today - timedelta(days=1)
        explicit = "from" in query or "to" in query
        if date_from > date_to and explicit:
            raise ValidationError({"from": [f"`from` ({date_from}) is later than `to` ({date_to})."]})
        if (date_to - date_from).days + 1 > STATISTICS_DAYS_MAX:
            raise ValidationError({"to": [f"The period is longer than {STATISTICS_DAYS_MAX} days."]})
        return {
            "date_from": date_from,
            "date_to": date_to,
            "service": query.get("service") or None,
            "process_type": query.get("process_type") or None,
        }


STATISTICS_PARAMETERS = [AccountStatisticsQuerySerializer]
STATISTICS_DESCRIPTION = (
    "Per billing day (in the user's time zone), service and process type, over the processes "
    "finished in or out of time. `from` defaults to the month's first day, `to` (inclusive) to "
    "yesterday; `from` after `to` or a period over 3653 days is a 400. Dates 1900-01-01..9998-12-31."
)


class StatisticsView(StatisticsPeriodMixin, AccountsAPIView):
    vrt_operation = "generate_statistics"

    @extend_schema(
        operation_id="generate_statistics",
        description=STATISTICS_DESCRIPTION,
        parameters=STATISTICS_PARAMETERS,
        responses={200: AccountUserStatisticsSerializer, **errors(*AUTHED_ERRORS)},
    )
    def get(self, request):
        period = self.statistics_query(request)
        rows = selectors.statistics_rows(user=request.user, **period)
        return Response({"username": request.user.username, "dates": group_by_day(rows)})


class ReportView(StatisticsPeriodMixin, AccountsAPIView):
    vrt_operation = "generate_report"
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        operation_id="generate_report",
        description=STATISTICS_DESCRIPTION,
        parameters=STATISTICS_PARAMETERS,
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The statistics as an XLSX workbook."
            ),
            **errors(400, 401, 403, 500),
        },
    )
    def get(self, request):
        period = self.statistics_query(request)
        rows = selectors.statistics_rows(user=request.user, **period)
        name = f"statistics_{request.user.username}_{period['date_from']}_{period['date_to']}.xlsx"
        return FileResponse(
            statistics_workbook(rows, title="Statistics"),
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


# --- quota, audit, data --------------------------------------------------------------------


class QuotaView(AccountsAPIView):
    vrt_operation = "read_quota"

    @extend_schema(operation_id="read_quota", responses={200: AccountQuotasResultSerializer, **errors(401)})
    def get(self, request):
        return Response(presenters.quotas_result(selectors.quotas_of(company_id=request.user.company_id)))


class AuditView(AccountsAPIView):
    vrt_operation = "read_audit"

    @extend_schema(
        operation_id="read_audit",
        description=(
            "The caller's processes (a VRt ADMIN: the company's) created in [`from`, `to`]; `to` defaults "
            "to now and `from` to the start of that day in the user's time zone. Naive datetimes are read "
            "in the user's time zone."
        ),
        parameters=[AccountAuditQuerySerializer],
        responses={200: AccountAuditResultSerializer, **errors(400, 401)},
    )
    def get(self, request):
        zone = selectors.user_zone(request.user)
        query = self.validated(AccountAuditQuerySerializer, request.query_params, zone=zone)
        end = query.get("to") or timezone.now()
        # Default: from the start of the last day of the period (today when `to` is absent).
        start = query.get("from") or datetime.combine(end.astimezone(zone).date(), datetime.min.time(), tzinfo=zone)
        if start > end:
            raise ValidationError({"from": ["`from` must not be later than `to`."]})
        filters = selectors.AuditFilters(
            start=start,
            end=end,
            offset=query["offset"],
            limit=query["limit"],
            sort_field=query["sort_field"],
            sort_direction=query["sort_direction"],
            **{key: query.get(key) or None for key in ("service", "operation", "process_type", "status")},
        )
        page = selectors.audit_page(user=request.user, filters=filters)
        return Response(
            {
                "actions": [presenters.audit_action(process) for process in page.actions],
                "counters": {"overall": {"total": page.overall}, "filter": {"total": page.filtered}},
            }
        )


class DataView(AccountsAPIView):
    vrt_operation = "read_data"
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        operation_id="read_data",
        parameters=[
            OpenApiParameter("process_code", OpenApiTypes.UUID, OpenApiParameter.PATH),
            AccountDataQuerySerializer,
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="Stored bytes."),
            **errors(400, 401, 404),
        },
    )
    def get(self, request, process_code: str):
        code = _uuid_or_400(process_code)
        query = self.validated(AccountDataQuerySerializer, request.query_params)
        content = selectors.process_data_read(
            user=request.user,
            process_code=code,
            flow_type=query["data_flow_type"],
            flow_stage=query["data_flow_stage"],
        )
        return HttpResponse(content, content_type="application/octet-stream")


def _uuid_or_400(value: str) -> str:
    try:
        return str(serializers.UUIDField().to_internal_value(value))
    except serializers.ValidationError as exc:
        raise ValidationError({"process_code": exc.detail})


# --- system ----------------------------------------------------------------------------------


class SystemCheckView(AccountsAPIView):
    vrt_operation = "check"
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="check", responses={200: AccountCheckResultSerializer, **errors(500)}, auth=[])
    def get(self, request):
        return Response({"health": selectors.database_health()})


class SystemVersionView(AccountsAPIView):
    vrt_operation = "version"
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="version", responses={200: AccountVersionResultSerializer, **errors(500)}, auth=[])
    def get(self, request):
        return Response({"major": VRT_MAJOR, "minor": VRT_MINOR, "build": str(settings.PROJECT_VERSION)})


class SystemFileView(AccountsAPIView):
    vrt_operation = "file"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        operation_id="file",
        responses={(200, "text/html"): OpenApiResponse(OpenApiTypes.STR), **errors(404, 500)},
        auth=[],
    )
    def get(self, request, filename: str):
        language = DOC_FILES.get(filename)
        if language is None:
            from common.exceptions import NotFoundError

            raise NotFoundError(f"No documentation file {filename!r}.", resource_key=filename[:1024])
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
        return HttpResponse(html, content_type="text/html; charset=utf-8")
