"""Runs the engine over a calculation's rows and sets their forecasts (calculations.md §5.1)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction

from calculations import engine
from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    ComponentView,
    Indicator,
    TechnicalRequirement,
)
from calculations.selectors import calculation_rows

ComponentWithValues = tuple[CalculationComponent, Sequence[CalculationComponentIndicator]]
_PEN_INDEX_CODES = (engine.PEN25_CODE, engine.SP_CODE)


def _is_calculated(row: CalculationComponent) -> bool:
    if row.view == ComponentView.COMPONENT and row.component is not None:
        return row.component.is_calculated
    return row.component_type.is_calculated


def _indicator_infos(
    requirements: Sequence[TechnicalRequirement], known: Iterable[Indicator]
) -> dict[uuid.UUID, engine.IndicatorInfo]:
    """The engine's view of the requirement indicators, plus PEN25 and SP when a PEN_INDEX needs them.

    Indicators already read (``known``) are used first; a query only for a code still missing.
    """
    indicators = {r.indicator_id: r.indicator for r in requirements}
    if any(i.mixing_rule == engine.PEN_INDEX for i in indicators.values()):
        by_code = {i.code: i for i in [*known, *indicators.values()] if i.code in _PEN_INDEX_CODES}
        missing = [code for code in _PEN_INDEX_CODES if code not in by_code]
        if missing:
            by_code.update({i.code: i for i in Indicator.objects.filter(code__in=missing)})
        indicators.update({i.pk: i for i in by_code.values()})
    return {pk: engine.IndicatorInfo(rule=i.mixing_rule, kind=i.kind, code=i.code) for pk, i in indicators.items()}


def forecasts_apply(
    components: Sequence[ComponentWithValues],
    requirements: Sequence[TechnicalRequirement],
    known: Mapping[uuid.UUID, Indicator] | None = None,
) -> tuple[list[CalculationComponent], list[TechnicalRequirement]]:
    """Compute the composition and every requirement's forecast from the rows as they will be stored.

    Sets ``mass_percent_forecast`` and ``forecast_value`` on the rows and returns the rows whose
    stored forecast changes; reads nothing but a missing PEN25/SP indicator (``_indicator_infos``).
    """
    infos = _indicator_infos(requirements, (known or {}).values())
    rows = [
        engine.ComponentRow(
            comparison=row.comparison,
            mass_percent=row.mass_percent,
            mass_percent_max=row.mass_percent_max,
            is_calculated=_is_calculated(row),
            values={v.indicator_id: engine.IndicatorValue(v.role, v.value) for v in values},
        )
        for row, values in components
    ]
    result = engine.compute(rows, [(r.indicator_id, r.decimal_places) for r in requirements], infos)
    changed_components = []
    for (component, _), x in zip(components, result.composition, strict=True):
        stored = engine.as_stored(engine.store_percent(x))
        if component.mass_percent_forecast != stored:
            component.mass_percent_forecast = stored
            changed_components.append(component)
    changed_requirements = []
    for requirement, forecast in zip(requirements, result.forecasts, strict=True):
        forecast = engine.as_stored(forecast)
        if requirement.forecast_value != forecast:
            requirement.forecast_value = forecast
            changed_requirements.append(requirement)
    return changed_components, changed_requirements


@transaction.atomic
def calculation_recalculate(*, calculation: Calculation) -> None:
    """Recompute the stored rows' forecasts and store the changed ones (the admin, ``recalculate_formula``)."""
    components, requirements = calculation_rows(calculation)
    changed_components, changed_requirements = forecasts_apply(
        [(c, c.indicators.all()) for c in components], requirements
    )
    if changed_components:
        CalculationComponent.objects.bulk_update(changed_components, ["mass_percent_forecast"])
    if changed_requirements:
        TechnicalRequirement.objects.bulk_update(changed_requirements, ["forecast_value"])
