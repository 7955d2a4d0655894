"""``/report-routes/…`` (routes.md, Decisions 2 and 9; notes 2.7)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api_styles.unit_routes import STYLE
from routes import selectors, services
from routes.serializers import (
    ReportRouteChatsQuerySerializer,
    ReportRouteCreateInputSerializer,
    ReportRouteDeleteQuerySerializer,
    ReportRouteUnitsQuerySerializer,
)
from routes.views.base import RoutesAPIView, RoutesListAPIView

# A page of bare integers: the paginator documents the page around this list.
IDS = serializers.ListSerializer(child=serializers.IntegerField())


class ReportRouteCreateDeleteView(RoutesAPIView):
    """``POST|DELETE /report-routes/``: route units of a report type to a chat, or stop."""

    @extend_schema(
        operation_id="routes_report_routes_create",
        summary="Route a report type about some units to a chat (all or nothing)",
        description=(
            "Checks, in order: the user chat (`user_chat_id`, default `chat_id`) exists (404) and has a role "
            "(403); the report type exists (404) and is in the role (403); every unit is in the role (403); "
            "the destination chat exists (404). One existing route refuses the whole request (409)."
        ),
        request=ReportRouteCreateInputSerializer,
        responses={201: OpenApiResponse(description="Created (empty body)."), **STYLE.responses(400, 403, 404, 409)},
    )
    def post(self, request):
        services.report_routes_create(**self.body(ReportRouteCreateInputSerializer))
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="routes_report_routes_delete",
        summary="Delete a chat's routes of one report type for some units",
        parameters=[
            ReportRouteDeleteQuerySerializer,
            OpenApiParameter(
                "user_chat_id",
                # Ignored whatever it holds, so the schema promises no format: an int64 bound
                # the server never applies would call an accepted request invalid.
                {"type": "string"},
                description="Accepted and ignored, as by the original (the bot sends its chat id).",
            ),
        ],
        responses={
            204: OpenApiResponse(description="Deleted, or nothing matched (empty body)."),
            **STYLE.responses(400),
        },
    )
    def delete(self, request):
        services.report_routes_delete(**self.query(ReportRouteDeleteQuerySerializer))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportRoutePizzeriaListView(RoutesListAPIView):
    """``GET /report-routes/units/``: which units a chat receives a report type about."""

    results_key = "unit_ids"

    @extend_schema(
        operation_id="routes_report_routes_units_list",
        summary="Unit ids routed to a chat for a report type",
        parameters=[ReportRouteUnitsQuerySerializer],
        responses={200: IDS, **STYLE.responses(400)},
    )
    def get(self, request):
        query = self.query(ReportRouteUnitsQuerySerializer)
        units = selectors.report_route_pizzeria_ids(chat_id=query["chat_id"], report_type_id=query["report_type_id"])
        return self.page(units)


class ReportRouteChatListView(RoutesListAPIView):
    """``GET /report-routes/telegram-chats/``: which chats receive a type's reports about a unit."""

    results_key = "chat_ids"

    @extend_schema(
        operation_id="routes_report_routes_telegram_chats_list",
        summary="Telegram chat ids that receive a report type about a unit",
        parameters=[ReportRouteChatsQuerySerializer],
        responses={200: IDS, **STYLE.responses(400)},
    )
    def get(self, request):
        query = self.query(ReportRouteChatsQuerySerializer)
        chats = selectors.report_route_chat_ids(unit_id=query["unit_id"], report_type_id=query["report_type_id"])
        return self.page(chats)
