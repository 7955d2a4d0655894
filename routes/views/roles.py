"""``/roles/users/{chat_id}/…`` and the README's ``/users/{chat_id}/…`` (routes.md, Decision 1)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from common.api_styles.unit_routes import STYLE, PageQuerySerializer, RoutesValidationErrorSerializer
from common.throttling import check_in_order
from routes import selectors, services
from routes.permissions import ACCESS_CODE_THROTTLES, access_code_throttled
from routes.serializers import (
    AccessCodeInputSerializer,
    RegionOutputSerializer,
    ReportTypeOutputSerializer,
    RoleUnitOutputSerializer,
    RoleUnitsQuerySerializer,
)
from routes.views.base import CHAT_ID_PATH, RoutesAPIView, RoutesListAPIView, chat_id_in_range


class ChatRoleSetView(RoutesAPIView):
    """``PATCH /roles/users/{chat_id}/``: a chat takes the role of an access code."""

    throttle_classes = ACCESS_CODE_THROTTLES

    def check_throttles(self, request):
        check_in_order(self, request)

    def throttled(self, request, wait):
        raise access_code_throttled(wait)

    @extend_schema(
        operation_id="routes_roles_set_by_access_code",
        summary="Give a chat the role of an access code (exact match)",
        description=(
            "Drops the chat's routes to units outside the new role. Attempts are throttled per chat and "
            "per client (a client in ROUTES_TRUSTED_NETWORKS at its own, higher rate); a throttled attempt "
            "is a 400 `Too many access code attempts. Try again in N seconds.` with `Retry-After`."
        ),
        parameters=[CHAT_ID_PATH],
        request=AccessCodeInputSerializer,
        responses={
            204: OpenApiResponse(description="Role set (empty body)."),
            **STYLE.responses(400, 404),
            400: OpenApiResponse(
                RoutesValidationErrorSerializer,
                description="Validation error, or a throttled attempt (with `Retry-After`).",
            ),
        },
    )
    def patch(self, request, chat_id: int):
        data = self.body(AccessCodeInputSerializer)
        services.telegram_chat_role_set_by_access_code(chat_id=chat_id_in_range(chat_id), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChatRolePizzeriaListView(RoutesListAPIView):
    """``GET /roles/users/{chat_id}/units/``: the units of the chat's role."""

    results_key = "units"

    @extend_schema(
        operation_id="routes_roles_units_list",
        summary="Units of the chat's role, by id",
        parameters=[CHAT_ID_PATH, RoleUnitsQuerySerializer],
        responses={200: RoleUnitOutputSerializer(many=True), **STYLE.responses(400, 403, 404)},
    )
    def get(self, request, chat_id: int):
        query = self.query(RoleUnitsQuerySerializer)
        role = selectors.chat_role_of(chat_id=chat_id_in_range(chat_id))
        return self.page(selectors.chat_role_pizzeria_list(role=role, region_id=query.get("region_id")))


class ChatRoleRegionListView(RoutesListAPIView):
    """``GET /roles/users/{chat_id}/regions/``: the regions of the role's units."""

    results_key = "regions"

    @extend_schema(
        operation_id="routes_roles_regions_list",
        summary="Regions holding units of the chat's role, by id",
        parameters=[CHAT_ID_PATH],
        responses={200: RegionOutputSerializer(many=True), **STYLE.responses(400, 403, 404)},
    )
    def get(self, request, chat_id: int):
        self.query(PageQuerySerializer)  # a bad page is a 400 before the chat is looked up
        role = selectors.chat_role_of(chat_id=chat_id_in_range(chat_id))
        return self.page(selectors.chat_role_region_list(role=role))


class ChatRoleReportTypeListView(RoutesListAPIView):
    """``GET /roles/users/{chat_id}/report-types/``: the report types of the chat's role."""

    results_key = "report_types"

    @extend_schema(
        operation_id="routes_roles_report_types_list",
        summary="Report types of the chat's role, by priority",
        parameters=[CHAT_ID_PATH],
        responses={200: ReportTypeOutputSerializer(many=True), **STYLE.responses(400, 403, 404)},
    )
    def get(self, request, chat_id: int):
        self.query(PageQuerySerializer)  # a bad page is a 400 before the chat is looked up
        role = selectors.chat_role_of(chat_id=chat_id_in_range(chat_id))
        return self.page(selectors.chat_role_report_type_list(role=role))


def _readme_alias(view, method: str, operation_id: str):
    """The README's ``/users/{chat_id}/…`` path: the same view under its own operation id."""
    return extend_schema_view(**{method: extend_schema(operation_id=operation_id)})(
        type(f"Readme{view.__name__}", (view,), {"__doc__": f"The README's path of {view.__doc__.split(':')[0]}."})
    )


ReadmeChatRoleSetView = _readme_alias(ChatRoleSetView, "patch", "routes_users_access_code_set")
ReadmeChatRolePizzeriaListView = _readme_alias(ChatRolePizzeriaListView, "get", "routes_users_units_list")
ReadmeChatRoleRegionListView = _readme_alias(ChatRoleRegionListView, "get", "routes_users_regions_list")
ReadmeChatRoleReportTypeListView = _readme_alias(ChatRoleReportTypeListView, "get", "routes_users_report_types_list")
