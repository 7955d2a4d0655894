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


@transaction.atomic
def formula_catalogs_ensure() -> dict[str, int]:
    """Create or refresh every reference row by its fixed GUID; return counts per catalog."""
    _upsert(ProductType, [ProductType(guid=g, name=n) for g, n in ref.PRODUCT_TYPES], ["name"])
    _upsert(Product, [Product(guid=g, name=n, product_type_id=t) for g, n, t in ref.PRODUCTS], ["name", "product_type"])
    _upsert(
        Specification,
        [Specification(guid=g, name=n, product_id=p) for g, n, p in ref.SPECIFICATIONS],
        ["name", "product"],
    )
    _upsert(
        NormTechDoc, [NormTechDoc(guid=g, name=n, product_id=p) for g, n, p in ref.NORM_TECH_DOCS], ["name", "product"]
    )
    _upsert(UnitOfMeasure, [UnitOfMeasure(guid=g, name=n) for g, n in ref.UNITS], ["name"])
    _upsert(TestMethod, [TestMethod(guid=g, name=n, title=t) for g, n, t in ref.TEST_METHODS], ["name", "title"])
    _upsert(
        ComponentType,
        [ComponentType(guid=g, name=n, is_calculated=c) for g, n, c in ref.COMPONENT_TYPES],
        ["name", "is_calculated"],
    )
    calculated = {g: c for g, _, c in ref.COMPONENT_TYPES}
    _upsert(
        Component,
        [Component(guid=g, name=n, component_type_id=t, is_calculated=calculated[t]) for g, n, t in ref.COMPONENTS],
        ["name", "component_type", "is_calculated"],
    )
    _upsert(ComponentGroup, [ComponentGroup(guid=g, name=n) for g, n in ref.COMPONENT_GROUPS], ["name"])
    _upsert(Venue, [Venue(guid=g, name=n, is_main=m) for g, n, m in ref.VENUES], ["name", "is_main"])
    _upsert(TaskType, [TaskType(guid=g, name=n) for g, n in ref.TASK_TYPES], ["name"])
    _upsert(
        ComponentBatch,
        [ComponentBatch(guid=g, name=n, component_id=c) for g, n, c in ref.BATCHES],
        ["name", "component"],
    )

    by_code = {row[11]: row[1] for row in ref.INDICATORS}
    indicators = []
    for ordinal, guid, kind, parent, name, short, unit, method, _types, exclude, dp, code, rule in ref.INDICATORS:
        indicators.append(
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
        )
    # Groups first: a CHILD row's parent must exist when it is inserted.
    indicators.sort(key=lambda i: i.kind == "CHILD")
    fields = ["name", "short_name", "unit", "test_method", "kind", "parent", "ordinal", "exclude", "decimal_places"]
    _upsert(Indicator, indicators, [*fields, "code", "mixing_rule"])
    through = Indicator.product_types.through
    through.objects.bulk_create(
        [through(indicator_id=row[1], producttype_id=t) for row in ref.INDICATORS for t in row[8]],
        ignore_conflicts=True,
    )

    values = [
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
    _upsert(ComponentIndicatorValue, values, ["role", "value"], unique=("component", "indicator"))

    templates, rows = [], []
    for guid, product, spec, ntd, limits in ref.TEMPLATES:
        templates.append(
            RequirementTemplate(guid=guid, product_id=product, specification_id=spec, norm_tech_doc_id=ntd)
        )
        for position, (code, low, high) in enumerate(limits):
            rows.append(
                RequirementTemplateRow(
                    id=uuid.uuid5(ROW_NAMESPACE, f"{guid}:{code}"),
                    template_id=guid,
                    indicator_id=by_code[code],
                    standard_value_min=_dec(low),
                    standard_value_max=_dec(high),
                    position=position,
                )
            )
    _upsert(RequirementTemplate, templates, ["product", "specification", "norm_tech_doc"])
    _upsert(
        RequirementTemplateRow,
        rows,
        ["standard_value_min", "standard_value_max", "position"],
        unique=("template", "indicator"),
    )
    return {
        "products": len(ref.PRODUCTS),
        "components": len(ref.COMPONENTS),
        "indicators": len(ref.INDICATORS),
        "templates": len(ref.TEMPLATES),
    }
