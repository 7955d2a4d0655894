"""Create, copy, edit, comment and delete calculations (calculations.md §4.3.5–§4.3.8).

Every write runs in one transaction and ends with the engine (``calculation_recalculate``),
so stored forecasts always match the stored rows. Row inputs arrive as dicts whose keys are
model field names; a key that is absent means "keep the stored value" for a known row and
"default" for a new one. Errors name the wire fields (``componentID``, …) because they are
what the client sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    Component,
    ComponentIndicatorValue,
    ComponentType,
    ComponentView,
    Indicator,
    IndicatorKind,
    NormTechDoc,
    Product,
    RequirementTemplate,
    RequirementTemplateRow,
    Specification,
    TechnicalRequirement,
)
from calculations.services.forecast import calculation_recalculate
from calculations.services.numbering import number_allocate, number_format
from common.exceptions import ApplicationError, NotFoundError, PermissionDeniedError

HEADER_FIELDS = ("product", "specification", "norm_tech_doc")
WIRE = {"product": "productID", "specification": "specificationID", "norm_tech_doc": "normTechDocID"}
COMPONENT_FIELDS = ("comparison", "mass_percent", "mass_percent_max", "mass_percent_fact", "comment")
REQUIREMENT_FIELDS = ("standard_value_min", "standard_value_max", "comment", "decimal_places", "fact_value")


def _invalid(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, extra={field: [message]})


def _row_errors(field: str, errors: dict[int, dict[str, list[str]]], size: int) -> ApplicationError:
    """DRF's nested shape for list items: ``{"components": [{}, {"componentID": ["…"]}]}``."""
    return ApplicationError("Invalid rows.", extra={field: [errors.get(i, {}) for i in range(size)]})


def calculation_get(*, guid: uuid.UUID) -> Calculation:
    calculation = Calculation.objects.select_related("author").filter(guid=guid).first()
    if calculation is None:
        raise NotFoundError("Calculation not found.", resource_key="guid")
    return calculation


def _check_owner(*, calculation: Calculation, user) -> None:
    """The owner-only switch (calculations.md §8): off by default; staff may always write."""
    if getattr(settings, "FORMULA_OWNER_ONLY_WRITE", False) and calculation.author_id != user.pk and not user.is_staff:
        raise PermissionDeniedError("Only the author may change this calculation.")


# ---- header: product, specification, normative document -----------------------------------


def _resolve_header(*, calculation: Calculation, changes: dict[str, Any]) -> bool:
    """Apply product/specification/NTD changes with their rules; return whether anything changed."""
    before = tuple(getattr(calculation, f"{f}_id") for f in HEADER_FIELDS)
    if "product" in changes:
        guid = changes["product"]
        product = None
        if guid is not None:
            product = Product.objects.select_related("product_type").filter(guid=guid).first()
            if product is None:
                raise _invalid("productID", f'Unknown product "{guid}".')
        calculation.product = product
    for field, model in (("specification", Specification), ("norm_tech_doc", NormTechDoc)):
        if field in changes:
            guid = changes[field]
            value = None
            if guid is not None:
                value = model.objects.filter(guid=guid).first()
                if value is None:
                    raise _invalid(WIRE[field], f'Unknown {model._meta.verbose_name} "{guid}".')
                if calculation.product_id is None or value.product_id != calculation.product_id:
                    raise _invalid(WIRE[field], f"The {model._meta.verbose_name} belongs to another product.")
            setattr(calculation, field, value)
        else:
            current = getattr(calculation, field)
            # A product change silently drops a specification/NTD of another product.
            if current is not None and current.product_id != calculation.product_id:
                setattr(calculation, field, None)
    return before != tuple(getattr(calculation, f"{f}_id") for f in HEADER_FIELDS)


def _with_children(rows: list[dict], indicators: dict[uuid.UUID, Indicator]) -> list[dict]:
    """Put each GROUP's children right after it, adding the ones the source forgot."""
    present = {row["indicator"].pk for row in rows}
    out: list[dict] = []
    for row in rows:
        if row["indicator"].kind == IndicatorKind.CHILD and row["indicator"].parent_id in present:
            continue  # placed after its group below
        out.append(row)
        if row["indicator"].kind == IndicatorKind.GROUP:
            own = [r for r in rows if r["indicator"].parent_id == row["indicator"].pk]
            missing = [
                {"indicator": child}
                for child in sorted(indicators.values(), key=lambda i: (i.ordinal, i.name))
                if child.parent_id == row["indicator"].pk and child.pk not in present
            ]
            out.extend(own + missing)
    return out


def _requirements_source(calculation: Calculation) -> list[dict]:
    """The requirement rows for the calculation's header: the best template, else the product type's indicators."""
    product = calculation.product
    if product is None:
        return []
    templates = RequirementTemplate.objects.filter(
        Q(specification_id=calculation.specification_id) | Q(specification__isnull=True),
        Q(norm_tech_doc_id=calculation.norm_tech_doc_id) | Q(norm_tech_doc__isnull=True),
        product=product,
    )
    order = [
        (calculation.specification_id, calculation.norm_tech_doc_id),
        (None, calculation.norm_tech_doc_id),
        (calculation.specification_id, None),
        (None, None),
    ]
    found = {(t.specification_id, t.norm_tech_doc_id): t for t in templates}
    template = next((found[key] for key in order if key in found), None)
    if template is not None:
        source = [
            {
                "indicator": r.indicator,
                "standard_value_min": r.standard_value_min,
                "standard_value_max": r.standard_value_max,
                "decimal_places": r.decimal_places,
                "comment": r.comment,
            }
            for r in RequirementTemplateRow.objects.filter(template=template)
            .select_related("indicator")
            .order_by("position")
        ]
        groups = [r["indicator"].pk for r in source if r["indicator"].kind == IndicatorKind.GROUP]
        children = {i.pk: i for i in Indicator.objects.filter(parent_id__in=groups)} if groups else {}
        return _with_children(source, children)
    matching = list(Indicator.objects.filter(product_types=product.product_type_id).order_by("ordinal", "name"))
    by_pk = {i.pk: i for i in matching}
    top = [{"indicator": i} for i in matching if i.parent_id not in by_pk]
    children = [{"indicator": i} for i in matching if i.parent_id in by_pk]
    return _with_children(top + children, by_pk)


def _rebuild_requirements(calculation: Calculation) -> None:
    """Replace the requirement rows from the header, keeping fact values and comments of surviving indicators."""
    old = {r.indicator_id: r for r in TechnicalRequirement.objects.filter(calculation=calculation)}
    rows = []
    for position, source in enumerate(_requirements_source(calculation)):
        indicator = source["indicator"]
        kept = old.get(indicator.pk)
        places = source.get("decimal_places")
        rows.append(
            TechnicalRequirement(
                id=kept.id if kept else uuid.uuid4(),
                calculation=calculation,
                indicator=indicator,
                position=position,
                standard_value_min=source.get("standard_value_min"),
                standard_value_max=source.get("standard_value_max"),
                decimal_places=indicator.decimal_places if places is None else places,
                comment=kept.comment if kept else source.get("comment", ""),
                fact_value=kept.fact_value if kept else None,
            )
        )
    TechnicalRequirement.objects.filter(calculation=calculation).delete()
    TechnicalRequirement.objects.bulk_create(rows)


# ---- rows: components and requirements (the extension of POST /calculations/write) -----------


def _fetch(model, ids, **related):
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    queryset = model.objects.filter(pk__in=ids)
    if related.get("select"):
        queryset = queryset.select_related(*related["select"])
    return {obj.pk: obj for obj in queryset}


def _mass_problems(row: CalculationComponent) -> dict[str, list[str]]:
    """The comparison rules a row can never satisfy (calculations.md §4.3.5); a sum ≠ 100 is fine."""
    p, q = row.mass_percent, row.mass_percent_max
    if row.comparison == "RANGE":
        if p is None:
            return {"massPercent": ["A RANGE row needs massPercent."]}
        if q is None:
            return {"massPercentMax": ["A RANGE row needs massPercentMax."]}
        if q < p:
            return {"massPercentMax": ["massPercentMax must not be less than massPercent."]}
    if row.comparison == "GREATER" and p is not None and p >= 100:
        return {"massPercent": ["GREATER than 100 % can never be met."]}
    if row.comparison == "LESS" and p is not None and p <= 0:
        return {"massPercent": ["LESS than 0 % can never be met."]}
    return {}


def _replace_components(calculation: Calculation, items: list[dict]) -> None:
    """Full replacement of the component rows; known ids keep their identity (constant queries)."""
    existing = {
        c.id: c
        for c in CalculationComponent.objects.filter(calculation=calculation)
        .select_related("component__component_type")
        .prefetch_related("indicators")
    }
    components = _fetch(Component, (i.get("component") for i in items), select=["component_type"])
    types = _fetch(ComponentType, (i.get("component_type") for i in items))
    indicator_ids = [v.get("indicator") for i in items for v in i.get("indicators") or []]
    indicators = _fetch(Indicator, indicator_ids)
    errors: dict[int, dict[str, list[str]]] = {}

    rows: list[CalculationComponent] = []
    prefill: list[CalculationComponent] = []
    given_values: dict[uuid.UUID, list[dict]] = {}
    claimed: set[uuid.UUID] = set()
    for index, item in enumerate(items):
        # An id sent twice keeps its identity once; the repeat becomes a new row.
        row = existing.get(item.get("id")) if item.get("id") not in claimed else None
        is_new = row is None
        if not is_new:
            claimed.add(row.id)
        if is_new:
            row = CalculationComponent(id=uuid.uuid4(), calculation=calculation)
        previous_component = row.component_id
        component_guid = item.get("component", None if is_new else row.component_id)
        view = item.get("view")
        if view is None:
            keeps_kind = not is_new and "component" not in item and "component_type" not in item
            view = row.view if keeps_kind else (ComponentView.COMPONENT if component_guid else ComponentView.TYPE)
        problems: dict[str, list[str]] = {}
        if view == ComponentView.COMPONENT:
            component = components.get(component_guid) if component_guid else None
            if component is None and not is_new and component_guid == row.component_id:
                component = row.component
            if component_guid is None:
                problems["componentID"] = ["A COMPONENT row needs componentID."]
            elif component is None:
                problems["componentID"] = [f'Unknown component "{component_guid}".']
            else:
                row.component, row.component_type = component, component.component_type
        else:
            type_guid = item.get("component_type", row.component_type_id if not is_new else None)
            if item.get("component"):
                problems["componentID"] = ["A TYPE row must not name a component."]
            elif type_guid is None:
                problems["componentTypeID"] = ["A TYPE row needs componentTypeID."]
            elif type_guid not in types and (is_new or type_guid != row.component_type_id):
                problems["componentTypeID"] = [f'Unknown component type "{type_guid}".']
            else:
                row.component = None
                row.component_type_id = type_guid
        seen_indicators: set[uuid.UUID] = set()
        for value_index, value in enumerate(item.get("indicators") or []):
            message = None
            if value.get("indicator") not in indicators:
                message = f'Unknown indicator "{value.get("indicator")}".'
            elif value["indicator"] in seen_indicators:
                message = "This indicator is already in the row."
            seen_indicators.add(value.get("indicator"))
            if message:
                problems.setdefault("indicators", [{} for _ in item["indicators"]])
                problems["indicators"][value_index] = {"indicatorID": [message]}
        row.view, row.position = view, index
        for field in COMPONENT_FIELDS:
            if field in item:
                setattr(row, field, item[field] if item[field] is not None or field != "comment" else "")
            elif is_new:
                setattr(row, field, CalculationComponent._meta.get_field(field).get_default())
        problems.update(_mass_problems(row))
        if problems:
            errors[index] = problems
            continue
        if "indicators" in item and item["indicators"] is not None:
            given_values[row.id] = item["indicators"]
        elif row.view == ComponentView.COMPONENT and (is_new or previous_component != row.component_id):
            prefill.append(row)
        rows.append(row)
    if errors:
        raise _row_errors("components", errors, len(items))

    keep = [r for r in rows if r.id in existing]
    fresh = [r for r in rows if r.id not in existing]
    CalculationComponent.objects.filter(calculation=calculation).exclude(id__in=[r.id for r in keep]).delete()
    if keep:
        fields = ["position", "view", "component", "component_type", *COMPONENT_FIELDS]
        CalculationComponent.objects.bulk_update(keep, fields)
    CalculationComponent.objects.bulk_create(fresh)

    # Indicator rows of the rows whose values were given or must be prefilled from the catalog.
    replaced = [r.id for r in prefill] + list(given_values)
    kept_values = {v.id: v for r in keep for v in r.indicators.all() if r.id in given_values}
    new_values: list[CalculationComponentIndicator] = []
    update_values: list[CalculationComponentIndicator] = []
    for row_id, values in given_values.items():
        for position, value in enumerate(values):
            stored = kept_values.pop(value.get("id"), None)
            if stored is not None and stored.calc_component_id == row_id:
                target = stored
                update_values.append(target)
            else:
                target = CalculationComponentIndicator(id=uuid.uuid4(), calc_component_id=row_id, role="MANDATORY")
                new_values.append(target)
            target.indicator_id, target.position = value["indicator"], position
            if "role" in value:
                target.role = value["role"]
            if "value" in value or stored is None:
                target.value = value.get("value")
    typical = ComponentIndicatorValue.objects.filter(component_id__in={r.component_id for r in prefill})
    by_component: dict[uuid.UUID, list[ComponentIndicatorValue]] = {}
    for value in typical.select_related("indicator").order_by("indicator__ordinal", "indicator__name"):
        by_component.setdefault(value.component_id, []).append(value)
    for row in prefill:
        for position, value in enumerate(by_component.get(row.component_id, [])):
            new_values.append(
                CalculationComponentIndicator(
                    calc_component_id=row.id,
                    indicator_id=value.indicator_id,
                    role=value.role,
                    value=value.value,
                    position=position,
                )  # fmt: skip
            )
    if replaced:
        CalculationComponentIndicator.objects.filter(calc_component_id__in=replaced).exclude(
            id__in=[v.id for v in update_values]
        ).delete()
    if update_values:
        CalculationComponentIndicator.objects.bulk_update(update_values, ["indicator", "position", "role", "value"])
    CalculationComponentIndicator.objects.bulk_create(new_values)


def _replace_requirements(calculation: Calculation, items: list[dict]) -> None:
    """Full replacement of the requirement rows; known ids keep identity and unsent fields."""
    existing = {r.id: r for r in TechnicalRequirement.objects.filter(calculation=calculation)}
    indicators = _fetch(Indicator, (i.get("indicator") for i in items))
    errors: dict[int, dict[str, list[str]]] = {}
    seen: set[uuid.UUID] = set()
    rows = []
    for index, item in enumerate(items):
        guid = item.get("indicator")
        if guid not in indicators:
            errors[index] = {"indicatorID": [f'Unknown indicator "{guid}".']}
            continue
        if guid in seen:
            errors[index] = {"indicatorID": ["This indicator is already in the list."]}
            continue
        seen.add(guid)
        old = existing.pop(item.get("id"), None)
        row = TechnicalRequirement(
            id=old.id if old else uuid.uuid4(), calculation=calculation, indicator=indicators[guid], position=index
        )
        for field in REQUIREMENT_FIELDS:
            if field in item:
                value = item[field]
            elif old is not None:
                value = getattr(old, field)
            else:
                value = None
            setattr(row, field, value)
        if row.decimal_places is None:
            row.decimal_places = row.indicator.decimal_places
        row.comment = row.comment or ""
        if (
            row.standard_value_min is not None
            and row.standard_value_max is not None
            and row.standard_value_min > row.standard_value_max
        ):
            errors[index] = {"standardValueMax": ["standardValueMax must not be less than standardValueMin."]}
            continue
        rows.append(row)
    if errors:
        raise _row_errors("technicalRequirements", errors, len(items))
    TechnicalRequirement.objects.filter(calculation=calculation).delete()
    TechnicalRequirement.objects.bulk_create(rows)


def _apply(
    *,
    calculation: Calculation,
    header: dict[str, Any],
    components: list[dict] | None,
    requirements: list[dict] | None,
    rebuild: bool = False,
) -> None:
    changed = _resolve_header(calculation=calculation, changes=header)
    calculation.save()
    if changed or rebuild:
        _rebuild_requirements(calculation)
    if components is not None:
        _replace_components(calculation, components)
    if requirements is not None:
        _replace_requirements(calculation, requirements)
    calculation_recalculate(calculation=calculation)


def _new_calculation(*, author, comment: str, create_date: datetime | None, guid: uuid.UUID | None) -> Calculation:
    created = create_date or timezone.now()
    year = timezone.localtime(created).year
    seq = number_allocate(year=year)
    return Calculation(
        guid=guid or uuid.uuid4(),
        year=year,
        seq=seq,
        number=number_format(year=year, seq=seq),
        author=author,
        create_date=created,
        comment=comment,
    )


@transaction.atomic
def calculation_create(
    *,
    author,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
    create_date: datetime | None = None,
    guid: uuid.UUID | None = None,
) -> Calculation:
    """NEW: a numbered calculation with requirements from its product (if any), forecasts computed."""
    calculation = _new_calculation(author=author, comment=comment or "", create_date=create_date, guid=guid)
    _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)
    return calculation


@transaction.atomic
def calculation_copy(
    *,
    source_guid: uuid.UUID,
    author,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
) -> Calculation:
    """COPY: everything of the source with new ids and number; lab facts cleared, forecasts recomputed."""
    source = Calculation.objects.filter(guid=source_guid).first()
    if source is None:
        raise _invalid("calculationID", f'Unknown calculation "{source_guid}".')
    calculation = _new_calculation(
        author=author, comment=source.comment if comment is None else comment, create_date=None, guid=None
    )
    calculation.product_id = source.product_id
    calculation.specification_id = source.specification_id
    calculation.norm_tech_doc_id = source.norm_tech_doc_id
    calculation.save()
    rows, values = [], []
    for row in CalculationComponent.objects.filter(calculation=source).prefetch_related("indicators"):
        old_values = list(row.indicators.all())
        row.id, row.calculation, row.mass_percent_fact = uuid.uuid4(), calculation, None
        rows.append(row)
        for value in old_values:
            value.id, value.calc_component_id = uuid.uuid4(), row.id
            values.append(value)
    requirement_rows = list(TechnicalRequirement.objects.filter(calculation=source))
    for requirement in requirement_rows:
        requirement.id, requirement.calculation, requirement.fact_value = uuid.uuid4(), calculation, None
    CalculationComponent.objects.bulk_create(rows)
    CalculationComponentIndicator.objects.bulk_create(values)
    TechnicalRequirement.objects.bulk_create(requirement_rows)
    # Fields sent with the copy apply to the copy (calculations.md §4.3.5).
    calculation = Calculation.objects.select_related("product", "specification", "norm_tech_doc").get(pk=calculation.pk)
    _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)
    return calculation


@transaction.atomic
def calculation_update(
    *,
    guid: uuid.UUID,
    user,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
) -> Calculation:
    """EDIT: only what was sent changes; a header change rebuilds the requirements."""
    calculation = (
        Calculation.objects.select_for_update(of=("self",))
        .select_related("product", "specification", "norm_tech_doc")
        .filter(guid=guid)
        .first()
    )
    if calculation is None:
        raise NotFoundError("Calculation not found.", resource_key="guid")
    _check_owner(calculation=calculation, user=user)
    if comment is not None:
        calculation.comment = comment
    _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)
    return calculation


@transaction.atomic
def calculation_comment_update(*, guid: uuid.UUID, user, comment: str) -> Calculation:
    """writeOnlist: change only the comment."""
    calculation = calculation_get(guid=guid)
    _check_owner(calculation=calculation, user=user)
    calculation.comment = comment
    calculation.save(update_fields=["comment", "updated_at"])
    return calculation


@transaction.atomic
def calculation_delete(*, guid: uuid.UUID, user) -> None:
    """Hard delete; the rows go by CASCADE and the number is never handed out again."""
    calculation = calculation_get(guid=guid)
    _check_owner(calculation=calculation, user=user)
    calculation.delete()
