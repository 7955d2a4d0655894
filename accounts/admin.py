from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import transaction

from accounts.models import Company, Process, ProcessData, ProcessRequest, ProcessUsage, Quota, User
from accounts.services import company_quotas_ensure


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "created_at")
    search_fields = ("key", "name")
    ordering = ("key",)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new company can read its quotas at once (Decision 10)
            company_quotas_ensure(company=obj)


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


# --- VRt usage records (accounts.md, Decision 14) --------------------------------------------


class ProcessRequestInline(admin.TabularInline):
    model = ProcessRequest
    extra = 0
    can_delete = False
    fields = ("time", "operation", "service", "request_code", "username", "company", "env", "pod")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ProcessDataInline(admin.TabularInline):
    model = ProcessData
    extra = 0
    can_delete = False
    fields = ("flow_type", "flow_stage", "size", "created_at")
    readonly_fields = fields

    @admin.display(description="bytes")
    def size(self, obj):
        return len(obj.content or b"")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("process_code", "created_at", "user", "company", "service", "process_type", "status")
    list_filter = ("service", "process_type", "status", "company")
    search_fields = ("process_code", "user__username", "company__key", "requests__operation")
    list_select_related = ("user", "company")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    autocomplete_fields = ("user",)
    readonly_fields = ("company",)
    inlines = (ProcessRequestInline, ProcessDataInline)

    def save_model(self, request, obj, form, change):
        # The process is billed to the user's company at the time it ran.
        if obj.company_id is None:
            obj.company_id = obj.user.company_id
        super().save_model(request, obj, form, change)


@admin.register(ProcessRequest)
class ProcessRequestAdmin(admin.ModelAdmin):
    list_display = ("request_code", "time", "operation", "service", "username", "company", "process")
    list_filter = ("service", "operation")
    search_fields = ("request_code", "operation", "username", "company", "process__process_code")
    list_select_related = ("process",)
    raw_id_fields = ("process",)
    ordering = ("-time",)


class ProcessDataForm(forms.ModelForm):
    upload = forms.FileField(required=False, help_text="The bytes to store (replaces the current content).")

    class Meta:
        model = ProcessData
        fields = ("process", "flow_type", "flow_stage")

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("upload"):
            self.add_error("upload", "Upload the data to store.")
        return cleaned

    def save(self, commit=True):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.instance.content = upload.read()
        return super().save(commit)


@admin.register(ProcessData)
class ProcessDataAdmin(admin.ModelAdmin):
    form = ProcessDataForm
    list_display = ("process", "flow_type", "flow_stage", "size", "created_at")
    list_filter = ("flow_type", "flow_stage")
    search_fields = ("process__process_code",)
    list_select_related = ("process",)
    raw_id_fields = ("process",)

    @admin.display(description="bytes")
    def size(self, obj):
        return len(obj.content or b"")


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = (
        "company",
        "service",
        "process_type",
        "points_per_request",
        "points_per_day",
        "max_concurrent_execution",
    )
    list_filter = ("service", "process_type", "company")
    search_fields = ("company__key", "company__name")
    list_select_related = ("company",)
    list_editable = ("points_per_request", "points_per_day", "max_concurrent_execution")
    ordering = ("company__key", "service", "process_type")


@admin.register(ProcessUsage)
class ProcessUsageAdmin(admin.ModelAdmin):
    """The statistics rollup, read-only: the database triggers keep it equal to the processes."""

    list_display = ("user", "day", "service", "process_type", "processes", "points", "unique_points", "elements")
    list_filter = ("service", "process_type", "day")
    search_fields = ("user__username", "user__company__key")
    list_select_related = ("user",)
    date_hierarchy = "day"
    ordering = ("-day", "user", "service", "process_type")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
