"""``/report-types/…`` (routes.md, Decisions 4 and 6; notes 2.6)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from common.api_styles.unit_routes import STYLE
from routes import selectors
from routes.serializers import ReportTypeOutputSerializer
from routes.views.base import RoutesAPIView, RoutesListAPIView


class ReportTypeListView(RoutesListAPIView):
    """``GET /report-types/``: the active report types that are not statistics ones."""

    results_key = "report_types"

    @extend_schema(
        operation_id="routes_report_types_list",
        summary="Active report types except the statistics ones, by priority",
        responses={200: ReportTypeOutputSerializer(many=True), **STYLE.responses(400)},
    )
    def get(self, request):
        return self.page(selectors.page_of(selectors.report_type_list))


class StatisticsReportTypeListView(RoutesListAPIView):
    """``GET /report-types/statistics/``: the active children of STATISTICS."""

    results_key = "report_types"

    @extend_schema(
        operation_id="routes_report_types_statistics_list",
        summary="Active statistics report types (children of STATISTICS), by priority",
        responses={200: ReportTypeOutputSerializer(many=True), **STYLE.responses(400)},
    )
    def get(self, request):
        return self.page(selectors.page_of(selectors.statistics_report_type_list))


class ReportTypeByNameView(RoutesAPIView):
    """``GET /report-types/names/{name}/``: an active type by name (the bot asks for STATISTICS)."""

    @extend_schema(
        operation_id="routes_report_types_by_name",
        summary="An active report type by its name",
        responses={200: ReportTypeOutputSerializer, **STYLE.responses(404)},
    )
    def get(self, request, report_type_name: str):
        return Response(selectors.report_type_get_active_by_name(name=report_type_name))
