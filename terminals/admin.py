"""Admin for shops and terminals (all companies); bulk import is the API's job."""

from django.contrib import admin

from terminals.models import RevokedRefreshToken, Shop, Terminal


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("shop_id", "name", "company", "address", "open_date", "group_id", "format_id")
    list_filter = ("company",)
    search_fields = ("shop_id", "name", "address")
    list_select_related = ("company",)
    ordering = ("company", "shop_id")


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ("terminal_id", "name", "shop", "company")
    list_filter = ("company",)
    search_fields = ("terminal_id", "name", "shop__shop_id", "shop__name")
    list_select_related = ("company", "shop")
    raw_id_fields = ("shop",)
    ordering = ("company", "terminal_id")


@admin.register(RevokedRefreshToken)
class RevokedRefreshTokenAdmin(admin.ModelAdmin):
    list_display = ("jti", "user", "revoked_at", "expires_at")
    search_fields = ("jti", "user__username")
    list_select_related = ("user",)
    date_hierarchy = "revoked_at"

    def has_add_permission(self, request):
        return False
