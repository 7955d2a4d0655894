"""Roles, numbering and calculations with their rows (calculations.md §3.4–§3.5)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from calculations.models.base import (
    PERCENT,
    VALUE,
    Comparison,
    ComponentView,
    ValueRole,
    _choices_check,
    _min_le_max,
    _places_range,
)
from calculations.models.catalogs import Component, ComponentType, Indicator, NormTechDoc, Product, Specification


class AccessRole(models.Model):
    """The stable GUID of a role (a Django ``Group``) as the formula API reports it."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, primary_key=True, related_name="formula_role")
    guid = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["group__name"]

    def __str__(self) -> str:
        return self.group.name


class CalculationNumberCounter(models.Model):
    """The last number handed out per year (numbering, calculations.md §6)."""

    year = models.SmallIntegerField(primary_key=True)
    last_value = models.IntegerField()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(last_value__gt=0), name="calculations_calculationnumbercounter_positive")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class Calculation(models.Model):
    """A technologist's formulation calculation: components, requirements and stored forecasts."""

    guid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.SmallIntegerField()
    seq = models.IntegerField()
    number = models.CharField(max_length=16, unique=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="formula_calculations")
    create_date = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    comment = models.TextField(blank=True, default="")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    specification = models.ForeignKey(Specification, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    norm_tech_doc = models.ForeignKey(NormTechDoc, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The comment's Russian lexemes, kept by PostgreSQL: computing them per row on every search
    # cost ~0.4 s per list request at 10,000 calculations (bench/calculations_list.py).
    search_vector = models.GeneratedField(
        expression=SearchVector("comment", config="russian"), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        ordering = ["-create_date", "-year", "-seq"]
        indexes = [
            GinIndex(fields=["search_vector"], name="calculations_calc_search_idx"),
            models.Index(
                F("create_date").desc(), F("year").desc(), F("seq").desc(), name="calculations_calc_order_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="calculations_calculation_year_seq_unique"),
            models.CheckConstraint(condition=Q(seq__gt=0), name="calculations_calculation_seq_positive"),
            models.CheckConstraint(
                condition=Q(specification__isnull=True) | Q(product__isnull=False),
                name="calculations_calculation_specification_needs_product",
            ),
            models.CheckConstraint(
                condition=Q(norm_tech_doc__isnull=True) | Q(product__isnull=False),
                name="calculations_calculation_ntd_needs_product",
            ),
        ]

    def __str__(self) -> str:
        return self.number


def _percent_range(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=f"calculations_calculationcomponent_{field}_range",
    )


class CalculationComponent(models.Model):
    """One component row of a calculation (a component, or just a component type)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    calculation = models.ForeignKey(Calculation, on_delete=models.CASCADE, related_name="components")
    position = models.SmallIntegerField()
    view = models.CharField(max_length=10, choices=ComponentView.choices, default=ComponentView.COMPONENT)
    component = models.ForeignKey(Component, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    component_type = models.ForeignKey(ComponentType, on_delete=models.PROTECT, related_name="+")
    comparison = models.CharField(max_length=16, choices=Comparison.choices, default=Comparison.EQUAL)
    mass_percent = models.DecimalField(**PERCENT)
    mass_percent_max = models.DecimalField(**PERCENT)
    mass_percent_fact = models.DecimalField(**PERCENT)
    mass_percent_forecast = models.DecimalField(**PERCENT)
    comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["calculation", "position"]
        constraints = [
            # Deferred: a full replacement may swap two rows' positions within one statement.
            models.UniqueConstraint(
                fields=["calculation", "position"],
                name="calculations_calculationcomponent_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(view="COMPONENT", component__isnull=False) | Q(view="TYPE", component__isnull=True),
                name="calculations_calculationcomponent_view_matches_component",
            ),
            _choices_check("comparison", Comparison, "calculations_calculationcomponent_comparison_valid"),
            _percent_range("mass_percent"),
            _percent_range("mass_percent_max"),
            _percent_range("mass_percent_fact"),
            _percent_range("mass_percent_forecast"),
            models.CheckConstraint(
                condition=~Q(comparison="RANGE")
                | Q(
                    mass_percent__isnull=False, mass_percent_max__isnull=False, mass_percent_max__gte=F("mass_percent")
                ),
                name="calculations_calculationcomponent_range_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calculation_id} #{self.position}"


class CalculationComponentIndicator(models.Model):
    """An indicator value of one component row (copied from the catalog, editable per calculation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    calc_component = models.ForeignKey(CalculationComponent, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=ValueRole.choices, default=ValueRole.MANDATORY)
    value = models.DecimalField(**VALUE)
    position = models.SmallIntegerField(default=0)

    class Meta:
        ordering = ["calc_component", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["calc_component", "indicator"],
                name="calculations_calculationcomponentindicator_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            _choices_check("role", ValueRole, "calculations_calculationcomponentindicator_role_valid"),
        ]

    def __str__(self) -> str:
        return str(self.indicator_id)


class TechnicalRequirement(models.Model):
    """One indicator's limits in a calculation, with its stored forecast and the lab's fact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    calculation = models.ForeignKey(Calculation, on_delete=models.CASCADE, related_name="technical_requirements")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    position = models.SmallIntegerField(default=0)
    standard_value_min = models.DecimalField(**VALUE)
    standard_value_max = models.DecimalField(**VALUE)
    comment = models.TextField(blank=True, default="")
    decimal_places = models.SmallIntegerField(default=2)
    forecast_value = models.DecimalField(**VALUE)
    fact_value = models.DecimalField(**VALUE)

    class Meta:
        ordering = ["calculation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["calculation", "indicator"], name="calculations_technicalrequirement_unique"
            ),
            _min_le_max("technicalrequirement"),
            _places_range("technicalrequirement", nullable=False),
        ]

    def __str__(self) -> str:
        return str(self.indicator_id)
