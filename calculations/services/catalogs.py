"""The reference catalog (calculations.md §9), loaded idempotently by ``init_formula_catalogs``."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import transaction

from calculations import reference as ref
from calculations.models import (
    Component,
    ComponentBatch,
    ComponentGroup,
    ComponentIndicatorValue,
    ComponentType,
    Indicator,
    IndicatorKind,
    NormTechDoc,
    Product,
    ProductType,
    RequirementTemplate,
    RequirementTemplateRow,
    Specification,
    TaskType,
    TestMethod,
    UnitOfMeasure,
    Venue,
)

ROW_NAMESPACE = uuid.UUID("6f1d3c52-8f0c-4f44-9a51-6a6f0a1c0f01")


def _upsert(model, objects, fields: list[str], unique: tuple[str, ...] = ("guid",)) -> None:
    """One INSERT … ON CONFLICT DO UPDATE per table: reruns refresh the rows instead of duplicating them."""
    model.objects.bulk_create(objects, update_conflicts=True, unique_fields=list(unique), update_fields=fields)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


#: (model, reference rows, the model fields of a row's columns, fields a rerun refreshes)
_PLAIN_TABLES = (
    (ProductType, ref.PRODUCT_TYPES, ("guid", "name"), ["name"]),
    (Product, ref.PRODUCTS, ("guid", "name", "product_type_id"), ["name", "product_type"]),
    (Specification, ref.SPECIFICATIONS, ("guid", "name", "product_id"), ["name", "product"]),
    (NormTechDoc, ref.NORM_TECH_DOCS, ("guid", "name", "product_id"), ["name", "product"]),
    (UnitOfMeasure, ref.UNITS, ("guid", "name"), ["name"]),
    (TestMethod, ref.TEST_METHODS, ("guid", "name", "title"), ["name", "title"]),
    (ComponentType, ref.COMPONENT_TYPES, ("guid", "name", "is_calculated"), ["name", "is_calculated"]),
    # A component is calculated exactly when its type is (calculations.md §3.2).
    (
        Component,
        [(g, n, t, {k: c for k, _, c in ref.COMPONENT_TYPES}[t]) for g, n, t in ref.COMPONENTS],
        ("guid", "name", "component_type_id", "is_calculated"),
        ["name", "component_type", "is_calculated"],
    ),
    (ComponentGroup, ref.COMPONENT_GROUPS, ("guid", "name"), ["name"]),
    (Venue, ref.VENUES, ("guid", "name", "is_main"), ["name", "is_main"]),
    (TaskType, ref.TASK_TYPES, ("guid", "name"), ["name"]),
    (ComponentBatch, ref.BATCHES, ("guid", "name", "component_id"), ["name", "component"]),
)
INDICATOR_FIELDS = [
    "name", "short_name", "unit", "test_method", "kind", "parent", "ordinal", "exclude", "decimal_places", "code",
    "mixing_rule",
]  # fmt: skip


def _indicators(by_code: dict[str, uuid.UUID]) -> list[Indicator]:
    indicators = [
        Indicator(
            guid=guid,
            name=name,
            short_name=short,
            unit_id=unit,
            test_method_id=method,
            kind=kind,
            parent_id=by_code[parent] if parent else None,
            ordinal=ordinal,
            exclude=exclude,
            decimal_places=dp,
            code=code,
            mixing_rule=rule,
        )  # fmt: skip
        for ordinal, guid, kind, parent, name, short, unit, method, _types, exclude, dp, code, rule in ref.INDICATORS
    ]
    # Groups first: a CHILD row's parent must exist when it is inserted.
    return sorted(indicators, key=lambda i: i.kind == IndicatorKind.CHILD)


def _typical_values(by_code: dict[str, uuid.UUID]) -> list[ComponentIndicatorValue]:
    return [
        ComponentIndicatorValue(
            id=uuid.uuid5(ROW_NAMESPACE, f"{component}:{code}"),
            component_id=component,
            indicator_id=by_code[code],
            role=role,
            value=_dec(value),
        )
        for component, rows in ref.COMPONENT_VALUES.items()
        for code, (value, role) in rows.items()
    ]


def _templates() -> list[RequirementTemplate]:
    return [
        RequirementTemplate(guid=guid, product_id=product, specification_id=spec, norm_tech_doc_id=ntd)
        for guid, product, spec, ntd, _limits in ref.TEMPLATES
    ]


def _template_rows(by_code: dict[str, uuid.UUID]) -> list[RequirementTemplateRow]:
    return [
        RequirementTemplateRow(
            id=uuid.uuid5(ROW_NAMESPACE, f"{guid}:{code}"),
            template_id=guid,
            indicator_id=by_code[code],
            standard_value_min=_dec(low),
            standard_value_max=_dec(high),
            position=position,
        )
        for guid, _product, _spec, _ntd, limits in ref.TEMPLATES
        for position, (code, low, high) in enumerate(limits)
    ]


@transaction.atomic
def formula_catalogs_ensure() -> dict[str, int]:
    """Create or refresh every reference row by its fixed GUID; return counts per catalog."""
    by_code = {row[11]: row[1] for row in ref.INDICATORS}
    tables = [
        *(
            (model, [model(**dict(zip(columns, row, strict=True))) for row in rows], fields, ("guid",))
            for model, rows, columns, fields in _PLAIN_TABLES
        ),
        (Indicator, _indicators(by_code), INDICATOR_FIELDS, ("guid",)),
        (ComponentIndicatorValue, _typical_values(by_code), ["role", "value"], ("component", "indicator")),
        (RequirementTemplate, _templates(), ["product", "specification", "norm_tech_doc"], ("guid",)),
        (
            RequirementTemplateRow,
            _template_rows(by_code),
            ["standard_value_min", "standard_value_max", "position"],
            ("template", "indicator"),
        ),
    ]
    for model, objects, fields, unique in tables:
        _upsert(model, objects, fields, unique)
    through = Indicator.product_types.through
    through.objects.bulk_create(
        [through(indicator_id=row[1], producttype_id=t) for row in ref.INDICATORS for t in row[8]],
        ignore_conflicts=True,
    )
    return {
        "products": len(ref.PRODUCTS),
        "components": len(ref.COMPONENTS),
        "indicators": len(ref.INDICATORS),
        "templates": len(ref.TEMPLATES),
    }
