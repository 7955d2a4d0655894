"""Admin for the Feecc data (passports.md Decision 9)."""

from django.contrib import admin

from passports.models import (
    Employee,
    EmployeeLink,
    ProductionSchema,
    ProductionStage,
    Protocol,
    ProtocolTemplate,
    Unit,
)


@admin.register(ProductionSchema)
class ProductionSchemaAdmin(admin.ModelAdmin):
    list_display = ("schema_id", "unit_name", "schema_type", "parent_schema")
    list_filter = ("schema_type",)
    search_fields = ("schema_id", "unit_name")
    list_select_related = ("parent_schema",)
    raw_id_fields = ("parent_schema",)


class ProductionStageInline(admin.TabularInline):
    model = ProductionStage
    fields = ("number", "name", "stage_id", "completed", "employee_name", "session_start_time", "session_end_time")
    extra = 0
    ordering = ("number", "id")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("internal_id", "schema", "status", "serial_number", "creation_time")
    list_filter = ("status", "schema__schema_type")
    search_fields = ("internal_id", "serial_number", "uuid", "model")
    list_select_related = ("schema",)
    raw_id_fields = ("schema",)
    date_hierarchy = "creation_time"
    inlines = [ProductionStageInline]


@admin.register(ProductionStage)
class ProductionStageAdmin(admin.ModelAdmin):
    list_display = ("stage_id", "name", "parent_unit", "number", "completed", "creation_time")
    list_filter = ("completed", "ended_prematurely")
    search_fields = ("stage_id", "name", "parent_unit__internal_id", "parent_unit__uuid")
    list_select_related = ("parent_unit",)
    raw_id_fields = ("parent_unit",)


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("rfid_card_id", "name", "position", "passport_code")
    list_filter = ("position",)
    search_fields = ("rfid_card_id", "name", "passport_code")
    readonly_fields = ("passport_code",)


@admin.register(EmployeeLink)
class EmployeeLinkAdmin(admin.ModelAdmin):
    list_display = ("user", "employee")
    list_filter = ("user__company",)
    search_fields = ("user__username", "employee__rfid_card_id", "employee__name")
    list_select_related = ("user", "employee")
    raw_id_fields = ("user", "employee")


@admin.register(ProtocolTemplate)
class ProtocolTemplateAdmin(admin.ModelAdmin):
    list_display = ("protocol_name", "associated_with_schema", "protocol_schema_id", "default_serial_number")
    list_filter = ("associated_with_schema__schema_type",)
    search_fields = ("protocol_name", "protocol_schema_id", "associated_with_schema__schema_id")
    list_select_related = ("associated_with_schema",)
    raw_id_fields = ("associated_with_schema",)


@admin.register(Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ("protocol_id", "protocol_name", "associated_unit", "status", "creation_time")
    list_filter = ("status",)
    search_fields = ("protocol_id", "protocol_name", "associated_unit__internal_id", "associated_unit__serial_number")
    list_select_related = ("associated_unit",)
    raw_id_fields = ("associated_unit",)
    date_hierarchy = "creation_time"
