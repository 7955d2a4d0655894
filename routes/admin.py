"""Admin for every routes model (routes.md, Decision 14)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q

from routes import services
from routes.models import (
    STATISTICS,
    ChatRole,
    Department,
    DodoAccountRole,
    Pizzeria,
    Region,
    ReportRoute,
    ReportType,
    TelegramChat,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "uuid")
    search_fields = ("name", "=uuid")

    def get_readonly_fields(self, request, obj=None):
        # The id is Dodo's: typed once on create, fixed afterwards.
        return ("id",) if obj is not None else ()


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("id", "name")
    search_fields = ("name",)


@admin.register(Pizzeria)
class PizzeriaAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "region", "department", "office_manager_account_name", "dodo_is_api_account_name")
    list_filter = ("region", "department")
    search_fields = ("=id", "name", "=uuid", "office_manager_account_name", "dodo_is_api_account_name")
    list_select_related = ("region", "department")
    fields = ("id", "name", "uuid", "region", "department", "office_manager_account_name", "dodo_is_api_account_name")

    def get_readonly_fields(self, request, obj=None):
        # The Dodo IS id is set on create (routes.md, Decision 12) and is the key of every route.
        return ("id",) if obj is not None else ()


class StatisticsTypeFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return (("statistics", "Statistics report types"), ("regular", "Other report types"))

    def queryset(self, request, queryset):
        if self.value() == "statistics":
            return queryset.filter(parent__name=STATISTICS)
        if self.value() == "regular":
            return queryset.exclude(parent__name=STATISTICS)
        return queryset


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "verbose_name", "parent", "priority", "is_active")
    list_filter = ("is_active", StatisticsTypeFilter)
    search_fields = ("name", "verbose_name")
    list_select_related = ("parent",)
    actions = ("activate", "deactivate")

    @admin.action(description="Activate the selected report types")
    def activate(self, request, queryset):
        count = services.report_types_set_active(report_types=queryset, active=True)
        self.message_user(request, f"{count} report type(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected report types")
    def deactivate(self, request, queryset):
        count = services.report_types_set_active(report_types=queryset, active=False)
        self.message_user(request, f"{count} report type(s) deactivated.", messages.SUCCESS)


@admin.register(ChatRole)
class ChatRoleAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "access_code")
    search_fields = ("name", "=access_code")
    list_filter = ("report_types",)
    filter_horizontal = ("units", "report_types")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "report_types":
            # Statistics routes use the STATISTICS type itself (routes.md, notes 5).
            kwargs["queryset"] = ReportType.objects.exclude(Q(parent__name=STATISTICS) | Q(is_active=False))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(TelegramChat)
class TelegramChatAdmin(admin.ModelAdmin):
    list_display = ("chat_id", "title", "username", "type", "role", "created_at")
    list_filter = ("type", "role")
    search_fields = ("=chat_id", "title", "username")
    list_select_related = ("role",)
    readonly_fields = ("chat_id", "type", "created_at")

    def has_add_permission(self, request):
        # Chats register themselves through the bot.
        return False

    def save_model(self, request, obj, form, change):
        role = obj.role
        super().save_model(request, obj, form, change)
        if "role" in form.changed_data:
            deleted = services.telegram_chat_role_set(chat=obj, role=role)
            if deleted:
                self.message_user(request, f"{deleted} route(s) to units outside the new role deleted.")


@admin.register(ReportRoute)
class ReportRouteAdmin(admin.ModelAdmin):
    list_display = ("id", "report_type", "unit", "telegram_chat")
    list_filter = ("report_type",)
    search_fields = ("=unit__id", "unit__name", "=telegram_chat__chat_id", "telegram_chat__title")
    list_select_related = ("report_type", "unit", "telegram_chat")
    autocomplete_fields = ("unit", "telegram_chat")


@admin.register(DodoAccountRole)
class DodoAccountRoleAdmin(admin.ModelAdmin):
    list_display = ("id", "name")
    search_fields = ("name",)
