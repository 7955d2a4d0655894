"""Routes API paths, relative to ``/routes/`` (routes.md, Decision 1: both path families)."""

from django.urls import path, register_converter

from routes.views import chats, report_routes, report_types, roles, units


class AnyIntConverter:
    """Telegram chat ids: group chats are negative."""

    regex = r"-?\d+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(AnyIntConverter, "any_int")

app_name = "routes"

urlpatterns = [
    path("units/", units.PizzeriaListView.as_view(), name="unit-list"),
    path("units/name/<str:unit_name>/", units.PizzeriaByNameView.as_view(), name="unit-by-name"),
    path("units/regions/", units.RegionListView.as_view(), name="region-list"),
    path("units/departments/", units.DepartmentListView.as_view(), name="department-list"),
    path("telegram-chats/", chats.TelegramChatListCreateView.as_view(), name="telegram-chat-list"),
    path("telegram-chats/chat-types/", chats.TelegramChatTypeListView.as_view(), name="telegram-chat-types"),
    path("telegram-chats/<any_int:chat_id>/", chats.TelegramChatDetailView.as_view(), name="telegram-chat-detail"),
    path("report-types/", report_types.ReportTypeListView.as_view(), name="report-type-list"),
    path(
        "report-types/statistics/",
        report_types.StatisticsReportTypeListView.as_view(),
        name="report-type-statistics",
    ),
    path(
        "report-types/names/<str:report_type_name>/",
        report_types.ReportTypeByNameView.as_view(),
        name="report-type-by-name",
    ),
    path("report-routes/", report_routes.ReportRouteCreateDeleteView.as_view(), name="report-route-create-delete"),
    path("report-routes/units/", report_routes.ReportRoutePizzeriaListView.as_view(), name="report-route-units"),
    path("report-routes/telegram-chats/", report_routes.ReportRouteChatListView.as_view(), name="report-route-chats"),
    # The paths the bot really calls.
    path("roles/users/<any_int:chat_id>/", roles.ChatRoleSetView.as_view(), name="role-set"),
    path("roles/users/<any_int:chat_id>/units/", roles.ChatRolePizzeriaListView.as_view(), name="role-units"),
    path("roles/users/<any_int:chat_id>/regions/", roles.ChatRoleRegionListView.as_view(), name="role-regions"),
    path(
        "roles/users/<any_int:chat_id>/report-types/",
        roles.ChatRoleReportTypeListView.as_view(),
        name="role-report-types",
    ),
    # The README's paths for the same operations.
    path("users/<any_int:chat_id>/access-code/", roles.ReadmeChatRoleSetView.as_view(), name="user-access-code"),
    path("users/<any_int:chat_id>/units/", roles.ReadmeChatRolePizzeriaListView.as_view(), name="user-units"),
    path("users/<any_int:chat_id>/regions/", roles.ReadmeChatRoleRegionListView.as_view(), name="user-regions"),
    path(
        "users/<any_int:chat_id>/report-types/",
        roles.ReadmeChatRoleReportTypeListView.as_view(),
        name="user-report-types",
    ),
]
