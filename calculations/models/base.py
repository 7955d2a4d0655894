"""Shared pieces of the formula models: number formats, enums, constraint helpers, the catalog base."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q

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
