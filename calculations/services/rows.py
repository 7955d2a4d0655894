"""The ``components``/``technicalRequirements`` extension: full replacement of a calculation's rows (§4.3.5).

A key that is absent means "keep the stored value" for a known row and "default" for a new one.
Row inputs and errors use model field names; ``FieldErrors`` carries one dict per input row
(``{}`` for a valid one), which the API renames to what the client sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    Comparison,
    Component,
    ComponentIndicatorValue,
    ComponentType,
    ComponentView,
    Indicator,
    TechnicalRequirement,
    ValueRole,
)
from common.exceptions import FieldErrors

COMPONENT_FIELDS = ("comparison", "mass_percent", "mass_percent_max", "mass_percent_fact", "comment")
REQUIREMENT_FIELDS = ("standard_value_min", "standard_value_max", "comment", "decimal_places", "fact_value")
MIN_ABOVE_MAX = "Must not be less than standardValueMin."

Problems = dict[str, list]


def _raise_row_errors(field_name: str, problems: list[Problems]) -> None:
    """One dict per input row, ``{}`` for a valid one, when any row is invalid."""
    if any(problems):
        raise FieldErrors({field_name: problems}, message="Invalid rows.")


def _fetch(model, ids, **related):
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    queryset = model.objects.filter(pk__in=ids)
    if related.get("select"):
        queryset = queryset.select_related(*related["select"])
    return {obj.pk: obj for obj in queryset}


def _mass_problems(row: CalculationComponent) -> Problems:
    """The comparison rules a row can never satisfy (calculations.md §4.3.5); a sum ≠ 100 is fine."""
    p, q = row.mass_percent, row.mass_percent_max
    if row.comparison == Comparison.RANGE:
        if p is None:
            return {"mass_percent": ["A RANGE row needs massPercent."]}
        if q is None:
            return {"mass_percent_max": ["A RANGE row needs massPercentMax."]}
        if q < p:
            return {"mass_percent_max": ["massPercentMax must not be less than massPercent."]}
    if row.comparison == Comparison.GREATER and p is not None and p >= 100:
        return {"mass_percent": ["GREATER than 100 % can never be met."]}
    if row.comparison == Comparison.LESS and p is not None and p <= 0:
        return {"mass_percent": ["LESS than 0 % can never be met."]}
    return {}


# ---- component rows -----------------------------------------------------------------------------


@dataclass
class _RowLookups:
    """The stored rows and the catalog rows the input names: four queries, whatever the size."""

    existing: dict[uuid.UUID, CalculationComponent]
    components: dict[uuid.UUID, Component]
    types: dict[uuid.UUID, ComponentType]
    indicators: dict[uuid.UUID, Indicator]
    claimed: set[uuid.UUID] = field(default_factory=set)

    @classmethod
    def load(cls, calculation: Calculation, items: list[dict]) -> _RowLookups:
        stored = (
            CalculationComponent.objects.filter(calculation=calculation)
            .select_related("component__component_type")
            .prefetch_related("indicators")
        )
        return cls(
            existing={c.id: c for c in stored},
            components=_fetch(Component, (i.get("component") for i in items), select=["component_type"]),
            types=_fetch(ComponentType, (i.get("component_type") for i in items)),
            indicators=_fetch(Indicator, (v.get("indicator") for i in items for v in i.get("indicators") or [])),
        )


@dataclass
class _ResolvedRow:
    row: CalculationComponent
    problems: Problems
    values: list[dict] | None = None  # indicator values given with the row
    prefill: bool = False  # take the indicator values from the component's catalog entry


def _claim_row(calculation: Calculation, item: dict, lookups: _RowLookups) -> tuple[CalculationComponent, bool]:
    """The stored row the item names, or a new one; an id sent twice keeps its identity once."""
    row = lookups.existing.get(item.get("id")) if item.get("id") not in lookups.claimed else None
    if row is None:
        return CalculationComponent(id=uuid.uuid4(), calculation=calculation), True
    lookups.claimed.add(row.id)
    return row, False


def _apply_kind(row: CalculationComponent, item: dict, is_new: bool, lookups: _RowLookups) -> Problems:
    """The row's view and its component or component type, with the rules between them."""
    component_guid = item.get("component", None if is_new else row.component_id)
    view = item.get("view")
    if view is None:
        keeps_kind = not is_new and "component" not in item and "component_type" not in item
        view = row.view if keeps_kind else (ComponentView.COMPONENT if component_guid else ComponentView.TYPE)
    row.view = view
    if view == ComponentView.COMPONENT:
        component = lookups.components.get(component_guid) if component_guid else None
        if component is None and not is_new and component_guid == row.component_id:
            component = row.component
        if component_guid is None:
            return {"component": ["A COMPONENT row needs componentID."]}
        if component is None:
            return {"component": [f'Unknown component "{component_guid}".']}
        row.component, row.component_type = component, component.component_type
        return {}
    type_guid = item.get("component_type", row.component_type_id if not is_new else None)
    if item.get("component"):
        return {"component": ["A TYPE row must not name a component."]}
    if type_guid is None:
        return {"component_type": ["A TYPE row needs componentTypeID."]}
    if type_guid not in lookups.types and (is_new or type_guid != row.component_type_id):
        return {"component_type": [f'Unknown component type "{type_guid}".']}
    row.component, row.component_type_id = None, type_guid
    return {}


def _value_problems(values: list[dict], indicators: dict[uuid.UUID, Indicator]) -> Problems:
    """Unknown or repeated indicators among a row's values, one dict per value."""
    seen: set[uuid.UUID] = set()
    problems: list[Problems] = [{} for _ in values]
    for index, value in enumerate(values):
        guid = value.get("indicator")
        if guid not in indicators:
            problems[index] = {"indicator": [f'Unknown indicator "{guid}".']}
        elif guid in seen:
            problems[index] = {"indicator": ["This indicator is already in the row."]}
        seen.add(guid)
    return {"indicators": problems} if any(problems) else {}


def _apply_fields(row: CalculationComponent, item: dict, is_new: bool) -> None:
    """Sent fields change, unsent ones keep the stored value (a new row: the model default)."""
    for name in COMPONENT_FIELDS:
        if name in item:
            setattr(row, name, item[name] if item[name] is not None or name != "comment" else "")
        elif is_new:
            setattr(row, name, CalculationComponent._meta.get_field(name).get_default())


def _resolve_row(calculation: Calculation, index: int, item: dict, lookups: _RowLookups) -> _ResolvedRow:
    row, is_new = _claim_row(calculation, item, lookups)
    previous_component = row.component_id
    problems = _apply_kind(row, item, is_new, lookups)
    problems.update(_value_problems(item.get("indicators") or [], lookups.indicators))
    row.position = index
    _apply_fields(row, item, is_new)
    problems.update(_mass_problems(row))
    if item.get("indicators") is not None:
        return _ResolvedRow(row, problems, values=item["indicators"])
    refill = row.view == ComponentView.COMPONENT and (is_new or previous_component != row.component_id)
    return _ResolvedRow(row, problems, prefill=refill)


def _write_rows(calculation: Calculation, rows: list[CalculationComponent], existing: dict) -> None:
    keep = [r for r in rows if r.id in existing]
    CalculationComponent.objects.filter(calculation=calculation).exclude(id__in=[r.id for r in keep]).delete()
    if keep:
        fields = ["position", "view", "component", "component_type", *COMPONENT_FIELDS]
        CalculationComponent.objects.bulk_update(keep, fields)
    CalculationComponent.objects.bulk_create([r for r in rows if r.id not in existing])


def _given_values(resolved: list[_ResolvedRow], existing: dict) -> tuple[list, list]:
    """``(new, updated)`` indicator rows of the rows sent with their values; known ids keep identity."""
    given = [r for r in resolved if r.values is not None]
    kept = {v.id: v for r in given if r.row.id in existing for v in existing[r.row.id].indicators.all()}
    new, updated = [], []
    for entry in given:
        for position, value in enumerate(entry.values):
            stored = kept.pop(value.get("id"), None)
            if stored is not None and stored.calc_component_id == entry.row.id:
                target = stored
                updated.append(target)
            else:
                target = CalculationComponentIndicator(
                    id=uuid.uuid4(), calc_component_id=entry.row.id, role=ValueRole.MANDATORY
                )
                new.append(target)
            target.indicator_id, target.position = value["indicator"], position
            if "role" in value:
                target.role = value["role"]
            if "value" in value or stored is None:
                target.value = value.get("value")
    return new, updated


def _prefilled_values(rows: list[CalculationComponent]) -> list[CalculationComponentIndicator]:
    """The catalog's typical values of each row's component, in indicator order."""
    typical = ComponentIndicatorValue.objects.filter(component_id__in={r.component_id for r in rows})
    by_component: dict[uuid.UUID, list[ComponentIndicatorValue]] = {}
    for value in typical.select_related("indicator").order_by("indicator__ordinal", "indicator__name"):
        by_component.setdefault(value.component_id, []).append(value)
    return [
        CalculationComponentIndicator(
            calc_component_id=row.id,
            indicator_id=value.indicator_id,
            role=value.role,
            value=value.value,
            position=position,
        )  # fmt: skip
        for row in rows
        for position, value in enumerate(by_component.get(row.component_id, []))
    ]


def _write_values(resolved: list[_ResolvedRow], existing: dict) -> None:
    """Replace the indicator rows of the rows whose values were given or come from the catalog."""
    prefill = [r.row for r in resolved if r.prefill]
    new, updated = _given_values(resolved, existing)
    new += _prefilled_values(prefill)
    replaced = [r.id for r in prefill] + [r.row.id for r in resolved if r.values is not None]
    if replaced:
        CalculationComponentIndicator.objects.filter(calc_component_id__in=replaced).exclude(
            id__in=[v.id for v in updated]
        ).delete()
    if updated:
        CalculationComponentIndicator.objects.bulk_update(updated, ["indicator", "position", "role", "value"])
    CalculationComponentIndicator.objects.bulk_create(new)


def components_replace(calculation: Calculation, items: list[dict]) -> None:
    """Full replacement of the component rows; known ids keep their identity (constant queries)."""
    lookups = _RowLookups.load(calculation, items)
    resolved = [_resolve_row(calculation, index, item, lookups) for index, item in enumerate(items)]
    _raise_row_errors("components", [r.problems for r in resolved])
    _write_rows(calculation, [r.row for r in resolved], lookups.existing)
    _write_values(resolved, lookups.existing)


# ---- requirement rows ---------------------------------------------------------------------------


def standard_values_problems(low, high) -> Problems:
    """min ≤ max of a requirement's standard values, checked on the merged (sent or stored) values."""
    if low is not None and high is not None and low > high:
        return {"standard_value_max": [MIN_ABOVE_MAX]}
    return {}


def _requirement_row(calculation, index, item, indicator, old) -> TechnicalRequirement:
    row = TechnicalRequirement(
        id=old.id if old else uuid.uuid4(), calculation=calculation, indicator=indicator, position=index
    )
    for name in REQUIREMENT_FIELDS:
        if name in item:
            value = item[name]
        elif old is not None:
            value = getattr(old, name)
        else:
            value = None
        setattr(row, name, value)
    if row.decimal_places is None:
        row.decimal_places = indicator.decimal_places
    row.comment = row.comment or ""
    return row


def requirements_replace(calculation: Calculation, items: list[dict]) -> None:
    """Full replacement of the requirement rows; known ids keep identity and unsent fields."""
    existing = {r.id: r for r in TechnicalRequirement.objects.filter(calculation=calculation)}
    indicators = _fetch(Indicator, (i.get("indicator") for i in items))
    problems: list[Problems] = [{} for _ in items]
    seen: set[uuid.UUID] = set()
    rows = []
    for index, item in enumerate(items):
        guid = item.get("indicator")
        if guid not in indicators:
            problems[index] = {"indicator": [f'Unknown indicator "{guid}".']}
            continue
        if guid in seen:
            problems[index] = {"indicator": ["This indicator is already in the list."]}
            continue
        seen.add(guid)
        row = _requirement_row(calculation, index, item, indicators[guid], existing.pop(item.get("id"), None))
        problems[index] = standard_values_problems(row.standard_value_min, row.standard_value_max)
        rows.append(row)
    _raise_row_errors("technical_requirements", problems)
    TechnicalRequirement.objects.filter(calculation=calculation).delete()
    TechnicalRequirement.objects.bulk_create(rows)
