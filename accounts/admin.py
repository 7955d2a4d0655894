from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.models import Company, User


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "created_at")
    search_fields = ("key", "name")
    ordering = ("key",)


class AccountUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "company")


class AccountUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountUserChangeForm
    add_form = AccountUserCreationForm
    list_display = ("username", "company", "roles", "timezone", "enabled", "is_staff", "date_joined")
    list_filter = ("enabled", "is_staff", "is_superuser", "company", "groups")
    search_fields = ("username", "email", "first_name", "last_name", "company__key", "guid")
    list_select_related = ("company",)
    ordering = ("username",)
    readonly_fields = ("guid", "token_version", "last_login", "date_joined", "edit_date")
    fieldsets = (
        (None, {"fields": ("username", "password", "guid", "company")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email", "phone", "specification")}),
        ("VRt account", {"fields": ("roles", "timezone", "attributes", "enabled", "token_version")}),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined", "edit_date")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "company", "password1", "password2")}),)
