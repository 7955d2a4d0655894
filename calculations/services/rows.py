"""The ``components``/``technicalRequirements`` extension: full replacement of a calculation's rows (§4.3.5).

A key that is absent means "keep the stored value" for a known row and "default" for a new one;
errors name the wire fields because they are what the client sent.
"""

from __future__ import annotations

import uuid

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    Component,
    ComponentIndicatorValue,
    ComponentType,
    ComponentView,
    Indicator,
    TechnicalRequirement,
)
from common.exceptions import ApplicationError

COMPONENT_FIELDS = ("comparison", "mass_percent", "mass_percent_max", "mass_percent_fact", "comment")
REQUIREMENT_FIELDS = ("standard_value_min", "standard_value_max", "comment", "decimal_places", "fact_value")


def _row_errors(field: str, errors: dict[int, dict[str, list[str]]], size: int) -> ApplicationError:
    """DRF's nested shape for list items: ``{"components": [{}, {"componentID": ["…"]}]}``."""
    return ApplicationError("Invalid rows.", extra={field: [errors.get(i, {}) for i in range(size)]})


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


def components_replace(calculation: Calculation, items: list[dict]) -> None:
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


def requirements_replace(calculation: Calculation, items: list[dict]) -> None:
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
