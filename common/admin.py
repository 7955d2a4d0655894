"""Admin of the cross-app tables: throttle buckets (delete one to lift a lockout), revoked token families."""

from django.contrib import admin

from common.models import RevokedTokenFamily, ThrottleBucket


@admin.register(ThrottleBucket)
class ThrottleBucketAdmin(admin.ModelAdmin):
    list_display = ("scope", "ident", "attempts", "allowed", "expires_at")
    list_filter = ("scope", "allowed")
    search_fields = ("ident",)
    readonly_fields = ("key", "scope", "ident", "hits", "allowed", "expires_at")

    @admin.display(description="attempts in the window")
    def attempts(self, obj) -> int:
        return len(obj.hits)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RevokedTokenFamily)
class RevokedTokenFamilyAdmin(admin.ModelAdmin):
    list_display = ("family", "user", "revoked_at", "expires_at")
    search_fields = ("family", "user__username")
    list_select_related = ("user",)
    date_hierarchy = "revoked_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
