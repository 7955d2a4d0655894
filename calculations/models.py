"""The formula data model (calculations.md §3): catalogs, engine configuration, roles, calculations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from calculations import engine

PERCENT = {"max_digits": 9, "decimal_places": 4, "null": True, "blank": True}
VALUE = {"max_digits": 18, "decimal_places": 6, "null": True, "blank": True}


class IndicatorKind(models.TextChoices):
    SIMPLE = "SIMPLE"
    GROUP = "GROUP"
    CHILD = "CHILD"


class MixingRule(models.TextChoices):
    LINEAR = engine.LINEAR
    LOG = engine.LOG
    MASS_BALANCE = engine.MASS_BALANCE
    MIN = engine.MIN
    MAX = engine.MAX
    NONE = engine.NONE
    PEN_INDEX = engine.PEN_INDEX


class Comparison(models.TextChoices):
    EQUAL = engine.EQUAL
    RANGE = engine.RANGE
    GREATER = engine.GREATER
    GREATER_OR_EQUAL = engine.GREATER_OR_EQUAL
    LESS = engine.LESS
    LESS_OR_EQUAL = engine.LESS_OR_EQUAL


class ValueRole(models.TextChoices):
    MANDATORY = engine.MANDATORY
    REFERENCE = engine.REFERENCE


class ComponentView(models.TextChoices):
    COMPONENT = "COMPONENT"
    TYPE = "TYPE"


def _choices_check(field: str, choices, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class CatalogEntry(models.Model):
    """A named catalog row identified by a stable GUID."""

    guid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _unique_name(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["name"], name=f"calculations_{model}_name_unique")


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


class ComponentIndicatorValue(models.Model):
    """A component's typical indicator value, copied into new calculation rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=ValueRole.choices, default=ValueRole.MANDATORY)
    value = models.DecimalField(**VALUE)

    class Meta:
        ordering = ["component", "indicator__ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "indicator"], name="calculations_componentindicatorvalue_unique"
            ),
            _choices_check("role", ValueRole, "calculations_componentindicatorvalue_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.component} / {self.indicator}"


class RequirementTemplate(models.Model):
    """The technical requirements of a product (optionally per specification and NTD)."""

    guid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="requirement_templates")
    specification = models.ForeignKey(Specification, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    norm_tech_doc = models.ForeignKey(NormTechDoc, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["product__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "specification", "norm_tech_doc"],
                nulls_distinct=False,
                name="calculations_requirementtemplate_unique",
            )
        ]

    def __str__(self) -> str:
        parts = [self.product.name, self.specification.name if self.specification else "—"]
        parts.append(self.norm_tech_doc.name if self.norm_tech_doc else "—")
        return " / ".join(parts)

    def clean(self) -> None:
        if self.specification_id and self.product_id and self.specification.product_id != self.product_id:
            raise ValidationError({"specification": "The specification belongs to another product."})
        if self.norm_tech_doc_id and self.product_id and self.norm_tech_doc.product_id != self.product_id:
            raise ValidationError({"norm_tech_doc": "The normative document belongs to another product."})


def _min_le_max(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(standard_value_min__isnull=True)
        | Q(standard_value_max__isnull=True)
        | Q(standard_value_min__lte=F("standard_value_max")),
        name=f"calculations_{model}_min_le_max",
    )


def _places_range(model: str, nullable: bool) -> models.CheckConstraint:
    condition = Q(decimal_places__gte=0, decimal_places__lte=6)
    if nullable:
        condition |= Q(decimal_places__isnull=True)
    return models.CheckConstraint(condition=condition, name=f"calculations_{model}_decimal_places_range")


class RequirementTemplateRow(models.Model):
    """One indicator's limits in a template; ``decimal_places`` null means the indicator's default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(RequirementTemplate, on_delete=models.CASCADE, related_name="rows")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    standard_value_min = models.DecimalField(**VALUE)
    standard_value_max = models.DecimalField(**VALUE)
    decimal_places = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, default="")
    position = models.SmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "indicator"], name="calculations_requirementtemplaterow_unique"
            ),
            _min_le_max("requirementtemplaterow"),
            _places_range("requirementtemplaterow", nullable=True),
        ]

    def __str__(self) -> str:
        return str(self.indicator_id)


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
