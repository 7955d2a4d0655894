"""Engine configuration: typical component values and requirement templates (calculations.md §3.3)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from calculations.models.base import VALUE, ValueRole, _choices_check, _min_le_max, _places_range
from calculations.models.catalogs import Component, Indicator, NormTechDoc, Product, Specification


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
