"""Statistics, report, quota, audit and process data (accounts.md, Decisions 6-10)."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import presenters, selectors
from accounts.reports import statistics_workbook
from accounts.serializers import (
    EARLIEST,
    LATEST,
    AccountAuditQuerySerializer,
    AccountAuditResultSerializer,
    AccountDataQuerySerializer,
    AccountQuotasResultSerializer,
    AccountStatisticsQuerySerializer,
    AccountUserStatisticsSerializer,
)
from accounts.statistics import group_by_day
from accounts.views.base import AUTHED_ERRORS, STYLE, AccountsAPIView, AnyAcceptNegotiation
from common import collector
from common.renderers import PlainList

# --- statistics and report -----------------------------------------------------------------


class StatisticsPeriodMixin:
    def statistics_query(self, request) -> dict:
        query = self.query(AccountStatisticsQuerySerializer)
        date_from, date_to = selectors.statistics_period(
            user=request.user, now=timezone.now(), date_from=query.get("from"), date_to=query.get("to")
        )
        return {
            "date_from": date_from,
            "date_to": date_to,
            "service": query.get("service"),
            "process_type": query.get("process_type"),
        }


STATISTICS_PARAMETERS = [AccountStatisticsQuerySerializer]
STATISTICS_DESCRIPTION = (
    "Per billing day (in the user's time zone), service and process type, over the processes "
    "finished in or out of time. `from` defaults to the month's first day, `to` (inclusive) to "
    f"yesterday; `from` after `to` or a period over {selectors.STATISTICS_DAYS_MAX} days is a 400. "
    f"Dates {EARLIEST}..{LATEST}."
)


class StatisticsView(StatisticsPeriodMixin, AccountsAPIView):
    vrt_operation = "generate_statistics"

    @extend_schema(
        description=STATISTICS_DESCRIPTION,
        parameters=STATISTICS_PARAMETERS,
        responses={200: AccountUserStatisticsSerializer, **STYLE.responses(*AUTHED_ERRORS)},
    )
    def get(self, request):
        period = self.statistics_query(request)
        with collector.paused():  # ~45,000 acyclic objects for a year (common.collector)
            rows = selectors.statistics_rows(user=request.user, **period, stream=False)
            dates = group_by_day(rows)
        return Response({"username": request.user.username, "dates": dates})


class ReportView(StatisticsPeriodMixin, AccountsAPIView):
    vrt_operation = "generate_report"
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        description=STATISTICS_DESCRIPTION,
        parameters=STATISTICS_PARAMETERS,
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The statistics as an XLSX workbook."
            ),
            **STYLE.responses(400, 401, 403, 500),
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

    @extend_schema(responses={200: AccountQuotasResultSerializer, **STYLE.responses(401)})
    def get(self, request):
        return Response(presenters.quotas_result(selectors.quotas_of(company_id=request.user.company_id)))


class AuditView(AccountsAPIView):
    vrt_operation = "read_audit"

    @extend_schema(
        description=(
            "The caller's processes (a VRt ADMIN: the company's) created in [`from`, `to`]; `to` defaults "
            "to now and `from` to the start of that day in the user's time zone. Naive datetimes are read "
            "in the user's time zone."
        ),
        parameters=[AccountAuditQuerySerializer],
        responses={200: AccountAuditResultSerializer, **STYLE.responses(400, 401)},
    )
    def get(self, request):
        zone = selectors.user_zone(request.user)
        query = self.query(AccountAuditQuerySerializer, zone=zone)
        start, end = selectors.audit_period(
            user=request.user, now=timezone.now(), start=query.get("from"), end=query.get("to")
        )
        filters = selectors.AuditFilters(
            start=start,
            end=end,
            offset=query["offset"],
            limit=query["limit"],
            sort_field=query["sort_field"],
            sort_direction=query["sort_direction"],
            **{key: query.get(key) for key in ("service", "operation", "process_type", "status")},
        )
        page = selectors.audit_page(user=request.user, filters=filters)
        return Response(
            {
                # Text, integers, flags and nulls only: not walked for floats (common.renderers).
                "actions": PlainList(presenters.audit_action(action) for action in page.actions),
                "counters": {"overall": {"total": page.overall}, "filter": {"total": page.filtered}},
            }
        )


class DataView(AccountsAPIView):
    vrt_operation = "read_data"
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("process_code", OpenApiTypes.UUID, OpenApiParameter.PATH),
            AccountDataQuerySerializer,
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="Stored bytes."),
            **STYLE.responses(400, 401, 404),
        },
    )
    def get(self, request, process_code: str):
        code = _uuid_or_400(process_code)
        query = self.query(AccountDataQuerySerializer)
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
