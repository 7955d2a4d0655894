"""The 14 catalogs of the formula API (calculations.md §3.2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from calculations.models.base import CatalogEntry, IndicatorKind, MixingRule, _choices_check, _unique_name


class ProductType(CatalogEntry):
    """A product family: PG, ПБВ, БНД."""

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("producttype")]


class Product(CatalogEntry):
    """A product grade a calculation is made for (PG 64-22, ПБВ 60…)."""

    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="products")

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("product")]


class Specification(CatalogEntry):
    """A delivery specification of one product (e.g. a road category)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="specifications")

    class Meta(CatalogEntry.Meta):
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="calculations_specification_product_name_unique")
        ]


class NormTechDoc(CatalogEntry):
    """A normative document (НТД) of one product; the same standard repeats per product."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="norm_tech_docs")

    class Meta(CatalogEntry.Meta):
        verbose_name = "normative document"
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="calculations_normtechdoc_product_name_unique")
        ]


class UnitOfMeasure(CatalogEntry):
    """A unit an indicator is measured in."""

    class Meta(CatalogEntry.Meta):
        verbose_name = "unit of measure"
        constraints = [_unique_name("unitofmeasure")]


class TestMethod(CatalogEntry):
    """A test method (standard) an indicator is measured by."""

    title = models.TextField(blank=True, default="", help_text="Full name of the standard (admin only).")

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("testmethod")]


class ComponentType(CatalogEntry):
    """A kind of component; ``is_calculated`` is the default for its components and for TYPE rows."""

    is_calculated = models.BooleanField(default=True)

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("componenttype")]


class Component(CatalogEntry):
    """A raw material; only calculated components take part in forecasts."""

    component_type = models.ForeignKey(ComponentType, on_delete=models.PROTECT, related_name="components")
    is_calculated = models.BooleanField(default=True)

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("component")]


class ComponentGroup(CatalogEntry):
    """A display group of components (the seed gives it no relations)."""

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("componentgroup")]


class Venue(CatalogEntry):
    """A laboratory or production site; the main one is listed first."""

    is_main = models.BooleanField(default=False)

    class Meta(CatalogEntry.Meta):
        ordering = ["-is_main", "name"]
        constraints = [_unique_name("venue")]


class TaskType(CatalogEntry):
    """A kind of technologist's task."""

    class Meta(CatalogEntry.Meta):
        constraints = [_unique_name("tasktype")]


class ComponentBatch(CatalogEntry):
    """A batch of a component (obsolete in the seed; kept for the catalog endpoint)."""

    component = models.ForeignKey(Component, on_delete=models.SET_NULL, null=True, blank=True, related_name="batches")
    produced_on = models.DateField(null=True, blank=True)

    class Meta(CatalogEntry.Meta):
        verbose_name_plural = "component batches"
        constraints = [_unique_name("componentbatch")]


class Indicator(CatalogEntry):
    """A measured property; ``mixing_rule`` (not emitted) tells the engine how it blends."""

    short_name = models.CharField(max_length=50, blank=True, default="")
    unit = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    test_method = models.ForeignKey(TestMethod, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.SIMPLE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": "GROUP"},
    )
    ordinal = models.IntegerField(default=0)
    exclude = models.BooleanField(default=False)
    product_types = models.ManyToManyField(ProductType, blank=True, related_name="indicators")
    decimal_places = models.SmallIntegerField(default=2)
    mixing_rule = models.CharField(max_length=16, choices=MixingRule.choices, default=MixingRule.LINEAR)
    code = models.SlugField(max_length=50, null=True, blank=True, unique=True)

    class Meta(CatalogEntry.Meta):
        ordering = ["ordinal", "name"]
        constraints = [
            _unique_name("indicator"),
            _choices_check("kind", IndicatorKind, "calculations_indicator_kind_valid"),
            _choices_check("mixing_rule", MixingRule, "calculations_indicator_mixing_rule_valid"),
            models.CheckConstraint(
                condition=Q(kind="CHILD", parent__isnull=False) | (~Q(kind="CHILD") & Q(parent__isnull=True)),
                name="calculations_indicator_child_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__gte=0, decimal_places__lte=6),
                name="calculations_indicator_decimal_places_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="GROUP") | Q(mixing_rule="NONE"), name="calculations_indicator_group_not_mixed"
            ),
        ]

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.kind != IndicatorKind.GROUP:
                raise ValidationError({"parent": "The parent must be a GROUP indicator."})
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "An indicator cannot be its own parent."})
        if self.kind == IndicatorKind.GROUP and self.mixing_rule != MixingRule.NONE:
            raise ValidationError({"mixing_rule": "A GROUP indicator is never forecast: use NONE."})
