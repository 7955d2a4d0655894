"""The ``components``/``technicalRequirements`` extension: full replacement of a calculation's rows (§4.3.5).

A key that is absent means "keep the stored value" for a known row and "default" for a new one.
Row inputs and errors use model field names; ``FieldErrors`` carries one dict per input row
(``{}`` for a valid one), which the API renames to what the client sent.

The replacement is built in memory from the stored rows the caller read (``selectors.calculation_rows``,
under the calculation's row lock), so that the engine runs on it before anything is written and
the answer is built from it; ``ComponentRows.write`` then stores it with set-based statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from calculations import engine
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
# Input numbers, stored as NUMERIC (``engine.as_stored``).
_NUMBERS = frozenset(
    ("mass_percent", "mass_percent_max", "mass_percent_fact", "value", "standard_value_min", "standard_value_max",
     "fact_value")
)  # fmt: skip
# What a stored component row or indicator value is compared on: a row that did not change is not written.
_ROW_COLUMNS = ("position", "view", "component_id", "component_type_id", *COMPONENT_FIELDS, "mass_percent_forecast")
_ROW_UPDATE = [
    "position",
    "view",
    "component",
    "component_type",
    *COMPONENT_FIELDS,
    "mass_percent_forecast",
]  # same order
_VALUE_COLUMNS = ("indicator_id", "position", "role", "value")
REQUIREMENT_FIELDS = ("standard_value_min", "standard_value_max", "comment", "decimal_places", "fact_value")
MIN_ABOVE_MAX = "Must not be less than standardValueMin."

Problems = dict[str, list]


def _raise_row_errors(field_name: str, problems: list[Problems]) -> None:
    """One dict per input row, ``{}`` for a valid one, when any row is invalid."""
    if any(problems):
        raise FieldErrors({field_name: problems}, message="Invalid rows.")


def _fetch(model, ids, *, select=(), also=None):
    """The rows of ``model`` with these primary keys (and ``also``), one query; none asked: no query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    queryset = model.objects.filter(Q(pk__in=ids) | also if also is not None else Q(pk__in=ids))
    if select:
        queryset = queryset.select_related(*select)
    return {obj.pk: obj for obj in queryset}


def _stored(name: str, value):
    """An input value as it will be stored (``engine.as_stored`` for numbers): the answer is built from it."""
    return engine.as_stored(value) if name in _NUMBERS else value


def _columns(obj, names: Sequence[str]) -> tuple:
    return tuple(getattr(obj, name) for name in names)


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
    """The stored rows and the catalog rows the input names: at most three queries, whatever the size.

    A component some stored row already names is known without a query (it is read with the row).
    """

    existing: dict[uuid.UUID, CalculationComponent]
    components: dict[uuid.UUID, Component]
    types: dict[uuid.UUID, ComponentType]
    indicators: dict[uuid.UUID, Indicator]
    claimed: set[uuid.UUID] = field(default_factory=set)

    @classmethod
    def load(cls, stored: list[CalculationComponent], items: list[dict]) -> _RowLookups:
        known = {c.component_id: c.component for c in stored if c.component_id is not None}
        wanted = {i.get("component") for i in items} - known.keys()
        value_indicators = (v.get("indicator") for i in items for v in i.get("indicators") or [])
        return cls(
            existing={c.id: c for c in stored},
            components={**known, **_fetch(Component, wanted, select=["component_type"])},
            types=_fetch(ComponentType, (i.get("component_type") for i in items)),
            # PEN25 and SP come along: a PEN_INDEX forecast needs them (services.forecast).
            indicators=_fetch(Indicator, value_indicators, also=Q(code__in=[engine.PEN25_CODE, engine.SP_CODE])),
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
    row.component = None
    if type_guid in lookups.types:
        row.component_type = lookups.types[type_guid]  # else the row's own, read with it
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
            setattr(row, name, _stored(name, item[name]) if item[name] is not None or name != "comment" else "")
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


def _given_values(resolved: list[_ResolvedRow], existing: dict) -> tuple[list, list]:
    """``(new, kept)`` indicator rows of the rows sent with their values; known ids keep identity."""
    given = [r for r in resolved if r.values is not None]
    stored = {v.id: v for r in given if r.row.id in existing for v in existing[r.row.id].indicators.all()}
    new, kept = [], []
    for entry in given:
        for position, value in enumerate(entry.values):
            target = stored.pop(value.get("id"), None)
            if target is not None and target.calc_component_id == entry.row.id:
                kept.append(target)
            else:
                target = CalculationComponentIndicator(
                    id=uuid.uuid4(), calc_component_id=entry.row.id, role=ValueRole.MANDATORY, value=None
                )
                new.append(target)
            target.indicator_id, target.position = value["indicator"], position
            if "role" in value:
                target.role = value["role"]
            if "value" in value:
                target.value = _stored("value", value["value"])
    return new, kept


def _prefilled_values(rows: list[CalculationComponent]) -> list[CalculationComponentIndicator]:
    """The catalog's typical values of each row's component, in indicator order."""
    typical = ComponentIndicatorValue.objects.filter(component_id__in={r.component_id for r in rows})
    by_component: dict[uuid.UUID, list[ComponentIndicatorValue]] = {}
    for value in typical.select_related("indicator").order_by("indicator__ordinal", "indicator__name"):
        by_component.setdefault(value.component_id, []).append(value)
    return [
        CalculationComponentIndicator(
            id=uuid.uuid4(),
            calc_component_id=row.id,
            indicator_id=value.indicator_id,
            role=value.role,
            value=value.value,
            position=position,
        )  # fmt: skip
        for row in rows
        for position, value in enumerate(by_component.get(row.component_id, []))
    ]


def _detail_order(value: CalculationComponentIndicator) -> tuple:
    return value.position, value.indicator_id


@dataclass
class ComponentRows:
    """A calculation's component rows as a write leaves them, and what storing them takes.

    ``rows`` are in position order and ``values`` holds each row's indicator values; the rest
    says what differs from the stored rows the rows were built from (``before``).
    """

    rows: list[CalculationComponent]
    values: dict[uuid.UUID, list[CalculationComponentIndicator]]
    before: dict[uuid.UUID, tuple] = field(default_factory=dict)  # stored columns of each stored row
    dropped: list[uuid.UUID] = field(default_factory=list)  # stored rows the replacement leaves out
    new_values: list[CalculationComponentIndicator] = field(default_factory=list)
    kept_values: list[tuple[CalculationComponentIndicator, tuple]] = field(default_factory=list)
    replaced_stored: list[uuid.UUID] = field(default_factory=list)  # stored rows whose values are replaced
    doomed: bool = False  # some of their stored values are not kept
    indicators: dict[uuid.UUID, Indicator] = field(default_factory=dict)  # the catalog rows read for the input

    @classmethod
    def stored(cls, stored: list[CalculationComponent]) -> ComponentRows:
        """The stored rows unchanged (only their forecasts may change)."""
        return cls(
            rows=stored,
            values={c.id: list(c.indicators.all()) for c in stored},
            before={c.id: _columns(c, _ROW_COLUMNS) for c in stored},
        )

    def with_values(self) -> list[tuple[CalculationComponent, list[CalculationComponentIndicator]]]:
        """Each row with its values in the detail's order (position, then indicator)."""
        return [(row, sorted(self.values[row.id], key=_detail_order)) for row in self.rows]

    def _changed_rows(self) -> tuple[list[CalculationComponent], list[str]]:
        """The stored rows that differ from what was read, and the columns that differ among them."""
        changed, fields = [], set()
        for row in self.rows:
            if row.id in self.before:
                now = _columns(row, _ROW_COLUMNS)
                differ = {f for f, old, new in zip(_ROW_UPDATE, self.before[row.id], now, strict=True) if old != new}
                if differ:
                    changed.append(row)
                    fields |= differ
        return changed, [f for f in _ROW_UPDATE if f in fields]

    def write(self) -> None:
        """Store the rows: deletes, changed rows, new rows, then the values (constant queries)."""
        if self.dropped:
            CalculationComponent.objects.filter(id__in=self.dropped).delete()
        changed, fields = self._changed_rows()
        if changed:  # only the columns that differ: bulk_update costs a CASE per column over every row
            CalculationComponent.objects.bulk_update(changed, fields)
        CalculationComponent.objects.bulk_create([r for r in self.rows if r.id not in self.before])
        # A kept value that changed is written again with its id (DELETE + INSERT): nothing refers to
        # value rows, and Django's bulk_update (one CASE per column over every row) took ~0.3 s for 300.
        changed = [v for v, before in self.kept_values if _columns(v, _VALUE_COLUMNS) != before]
        if self.doomed or changed:
            unchanged = [v.id for v, before in self.kept_values if _columns(v, _VALUE_COLUMNS) == before]
            stale = CalculationComponentIndicator.objects.filter(calc_component_id__in=self.replaced_stored)
            stale.exclude(id__in=unchanged).delete()
        CalculationComponentIndicator.objects.bulk_create(self.new_values + changed)


def _replaced_values(resolved: list[_ResolvedRow], lookups: _RowLookups, rows: ComponentRows) -> None:
    """Each row's values: given, from the catalog, or the stored ones; and what replacing them takes."""
    existing = lookups.existing
    before = {v.id: _columns(v, _VALUE_COLUMNS) for c in existing.values() for v in c.indicators.all()}
    new, kept = _given_values(resolved, existing)
    new += _prefilled_values([r.row for r in resolved if r.prefill])
    replaced = {r.row.id for r in resolved if r.prefill or r.values is not None}
    rows.values = {r.row.id: [] for r in resolved}
    for r in resolved:
        if r.row.id in existing and r.row.id not in replaced:
            rows.values[r.row.id] = list(existing[r.row.id].indicators.all())
    for value in new + kept:
        rows.values[value.calc_component_id].append(value)
    kept_ids = {v.id for v in kept}
    rows.new_values, rows.kept_values = new, [(v, before[v.id]) for v in kept]
    rows.replaced_stored = [i for i in replaced if i in existing]
    rows.doomed = any(v.id not in kept_ids for i in rows.replaced_stored for v in existing[i].indicators.all())


def components_replaced(
    calculation: Calculation, items: list[dict], stored: list[CalculationComponent]
) -> ComponentRows:
    """Full replacement of the component rows ``stored`` holds; known ids keep their identity.

    Validates everything (``FieldErrors`` with one dict per row) before anything is written.
    """
    lookups = _RowLookups.load(stored, items)
    before = {c.id: _columns(c, _ROW_COLUMNS) for c in stored}
    resolved = [_resolve_row(calculation, index, item, lookups) for index, item in enumerate(items)]
    _raise_row_errors("components", [r.problems for r in resolved])
    rows = ComponentRows(rows=[r.row for r in resolved], values={}, indicators=lookups.indicators)
    rows.before = {i: columns for i, columns in before.items() if i in lookups.claimed}
    rows.dropped = [i for i in lookups.existing if i not in lookups.claimed]
    _replaced_values(resolved, lookups, rows)
    return rows


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
            value = _stored(name, item[name])
        elif old is not None:
            value = getattr(old, name)
        else:
            value = None
        setattr(row, name, value)
    if row.decimal_places is None:
        row.decimal_places = indicator.decimal_places
    row.comment = row.comment or ""
    return row


def requirements_replaced(
    calculation: Calculation, items: list[dict], current: list[TechnicalRequirement]
) -> list[TechnicalRequirement]:
    """Full replacement of the requirement rows ``current`` holds; known ids keep identity and unsent fields.

    Validates everything before anything is written; ``requirements_store`` writes the rows.
    """
    existing = {r.id: r for r in current}
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
    return rows


def requirements_store(
    calculation: Calculation,
    rows: list[TechnicalRequirement],
    *,
    replaced: bool,
    is_new: bool,
    changed: list[TechnicalRequirement],
) -> None:
    """Store the requirement rows: ``replaced`` ones instead of the stored ones, else the ``changed`` forecasts."""
    if not replaced:
        if changed:
            TechnicalRequirement.objects.bulk_update(changed, ["forecast_value"])
        return
    if not is_new:  # a calculation made in this transaction has no stored rows yet
        TechnicalRequirement.objects.filter(calculation=calculation).delete()
    TechnicalRequirement.objects.bulk_create(rows)
