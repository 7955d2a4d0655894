"""Admin for the formula catalogs, engine configuration, roles and calculations (Decision 7)."""

from __future__ import annotations

from django.contrib import admin, messages

from calculations import models
from calculations.services.calculations import calculation_number_assign
from calculations.services.forecast import calculation_recalculate


@admin.register(models.ProductType, models.UnitOfMeasure, models.ComponentGroup, models.TaskType)
class NamedCatalogAdmin(admin.ModelAdmin):
    list_display = ["name", "guid"]
    search_fields = ["name", "guid"]


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "product_type", "guid"]
    list_filter = ["product_type"]
    list_select_related = ["product_type"]
    search_fields = ["name", "guid"]


@admin.register(models.Specification, models.NormTechDoc)
class ProductBoundAdmin(admin.ModelAdmin):
    list_display = ["name", "product", "guid"]
    list_filter = ["product"]
    list_select_related = ["product"]
    search_fields = ["name", "product__name", "guid"]


@admin.register(models.TestMethod)
class TestMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "guid"]
    search_fields = ["name", "title", "guid"]


@admin.register(models.ComponentType)
class ComponentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_calculated", "guid"]
    list_filter = ["is_calculated"]
    search_fields = ["name", "guid"]


class ComponentIndicatorValueInline(admin.TabularInline):
    model = models.ComponentIndicatorValue
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(models.Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ["name", "component_type", "is_calculated", "guid"]
    list_filter = ["component_type", "is_calculated"]
    list_select_related = ["component_type"]
    search_fields = ["name", "guid"]
    inlines = [ComponentIndicatorValueInline]

    def get_changeform_initial_data(self, request):
        # A new component is calculated exactly when its type is (calculations.md §3.2).
        initial = super().get_changeform_initial_data(request)
        type_id = initial.get("component_type")
        if type_id:
            kind = models.ComponentType.objects.filter(pk=type_id).first()
            if kind is not None:
                initial["is_calculated"] = kind.is_calculated
        return initial


@admin.register(models.Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "is_main", "guid"]
    list_filter = ["is_main"]
    search_fields = ["name", "guid"]


@admin.register(models.ComponentBatch)
class ComponentBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "component", "produced_on", "guid"]
    list_filter = ["component"]
    list_select_related = ["component"]
    search_fields = ["name", "guid"]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["ordinal", "name", "short_name", "kind", "parent", "mixing_rule", "decimal_places", "code"]
    list_display_links = ["name"]
    list_filter = ["kind", "mixing_rule", "product_types", "exclude"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "code", "guid"]
    filter_horizontal = ["product_types"]
    ordering = ["ordinal", "name"]


@admin.register(models.ComponentIndicatorValue)
class ComponentIndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["component", "indicator", "role", "value"]
    list_filter = ["role", "component"]
    list_select_related = ["component", "indicator"]
    search_fields = ["component__name", "indicator__name", "indicator__code"]


class RequirementTemplateRowInline(admin.TabularInline):
    model = models.RequirementTemplateRow
    extra = 0
    ordering = ["position"]
    autocomplete_fields = ["indicator"]


@admin.register(models.RequirementTemplate)
class RequirementTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "product", "specification", "norm_tech_doc"]
    list_filter = ["product"]
    list_select_related = ["product", "specification", "norm_tech_doc"]
    search_fields = ["product__name", "specification__name", "norm_tech_doc__name"]
    inlines = [RequirementTemplateRowInline]


@admin.register(models.AccessRole)
class AccessRoleAdmin(admin.ModelAdmin):
    list_display = ["group", "guid"]
    list_select_related = ["group"]
    search_fields = ["group__name", "guid"]


@admin.register(models.CalculationNumberCounter)
class CalculationNumberCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_value"]
    search_fields = ["year"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # lowering a counter would hand out a number twice


class CalculationComponentInline(admin.TabularInline):
    model = models.CalculationComponent
    extra = 0
    ordering = ["position"]
    fields = [
        "position", "view", "component", "component_type", "comparison", "mass_percent", "mass_percent_max",
        "mass_percent_forecast", "mass_percent_fact", "comment",
    ]  # fmt: skip
    readonly_fields = ["mass_percent_forecast"]


class TechnicalRequirementInline(admin.TabularInline):
    model = models.TechnicalRequirement
    extra = 0
    ordering = ["position"]
    fields = [
        "position", "indicator", "standard_value_min", "standard_value_max", "decimal_places", "forecast_value",
        "fact_value", "comment",
    ]  # fmt: skip
    readonly_fields = ["forecast_value"]
    autocomplete_fields = ["indicator"]


@admin.register(models.Calculation)
class CalculationAdmin(admin.ModelAdmin):
    list_display = ["number", "create_date", "author", "product", "specification", "norm_tech_doc"]
    list_filter = ["product", "year"]
    list_select_related = ["author", "product", "specification", "norm_tech_doc"]
    search_fields = ["number", "comment", "product__name", "author__username", "author__last_name"]
    readonly_fields = ["guid", "year", "seq", "number", "updated_at"]
    raw_id_fields = ["author"]
    date_hierarchy = "create_date"
    inlines = [CalculationComponentInline, TechnicalRequirementInline]
    actions = ["recalculate"]

    def save_model(self, request, obj, form, change):
        if not change:
            calculation_number_assign(obj)  # as for calculations made through the API
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Rows edited here must not leave stale forecasts behind.
        calculation_recalculate(calculation=form.instance)

    @admin.action(description="Recalculate forecasts")
    def recalculate(self, request, queryset):
        count = 0
        for calculation in queryset:
            calculation_recalculate(calculation=calculation)
            count += 1
        self.message_user(request, f"Recalculated {count} calculation(s).", messages.SUCCESS)


@admin.register(models.RequirementTemplateRow)
class RequirementTemplateRowAdmin(admin.ModelAdmin):
    list_display = ["template", "position", "indicator", "standard_value_min", "standard_value_max", "decimal_places"]
    list_filter = ["template__product"]
    list_select_related = ["template__product", "template__specification", "template__norm_tech_doc", "indicator"]
    search_fields = ["indicator__name", "indicator__code", "template__product__name"]
    autocomplete_fields = ["indicator"]


class RecalculatingAdmin(admin.ModelAdmin):
    """Calculation rows: editable; saving one recalculates its calculation (forecasts come only from the engine)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calculation_recalculate(calculation=self.calculation_of(obj))


class CalculationComponentIndicatorInline(admin.TabularInline):
    model = models.CalculationComponentIndicator
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(models.CalculationComponent)
class CalculationComponentAdmin(RecalculatingAdmin):
    list_display = ["calculation", "position", "view", "component", "component_type", "comparison", "mass_percent",
                    "mass_percent_forecast"]  # fmt: skip
    list_filter = ["view", "comparison", "component_type"]
    list_select_related = ["calculation", "component", "component_type"]
    search_fields = ["calculation__number", "component__name"]
    readonly_fields = ["mass_percent_forecast"]
    raw_id_fields = ["calculation"]
    inlines = [CalculationComponentIndicatorInline]

    def calculation_of(self, obj):
        return obj.calculation

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calculation_recalculate(calculation=form.instance.calculation)


@admin.register(models.CalculationComponentIndicator)
class CalculationComponentIndicatorAdmin(RecalculatingAdmin):
    list_display = ["calc_component", "indicator", "role", "value"]
    list_filter = ["role"]
    list_select_related = ["calc_component__calculation", "indicator"]
    search_fields = ["calc_component__calculation__number", "indicator__name", "indicator__code"]
    raw_id_fields = ["calc_component"]
    autocomplete_fields = ["indicator"]

    def calculation_of(self, obj):
        return obj.calc_component.calculation


@admin.register(models.TechnicalRequirement)
class TechnicalRequirementAdmin(RecalculatingAdmin):
    list_display = ["calculation", "position", "indicator", "standard_value_min", "standard_value_max",
                    "forecast_value", "fact_value"]  # fmt: skip
    list_select_related = ["calculation", "indicator"]
    list_filter = ["indicator__kind"]
    search_fields = ["calculation__number", "indicator__name", "indicator__code"]
    readonly_fields = ["forecast_value"]
    raw_id_fields = ["calculation"]
    autocomplete_fields = ["indicator"]

    def calculation_of(self, obj):
        return obj.calculation
