"""Runs the engine over a stored calculation and writes the forecasts back (calculations.md §5.1)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from calculations import engine
from calculations.models import (
    Calculation,
    CalculationComponent,
    ComponentView,
    Indicator,
    TechnicalRequirement,
)


def _is_calculated(row: CalculationComponent) -> bool:
    if row.view == ComponentView.COMPONENT and row.component is not None:
        return row.component.is_calculated
    return row.component_type.is_calculated


@transaction.atomic
def calculation_recalculate(*, calculation: Calculation) -> None:
    """Recompute the composition and every requirement's forecast; store the changed ones (6 queries)."""
    components = list(
        CalculationComponent.objects.filter(calculation=calculation)
        .select_related("component", "component_type")
        .prefetch_related("indicators")
        .order_by("position")
    )
    requirements = list(TechnicalRequirement.objects.filter(calculation=calculation).order_by("position"))
    wanted = {r.indicator_id for r in requirements}
    indicators = {
        i.pk: engine.IndicatorInfo(rule=i.mixing_rule, kind=i.kind, code=i.code)
        for i in Indicator.objects.filter(Q(pk__in=wanted) | Q(code__in=[engine.PEN25_CODE, engine.SP_CODE]))
    }
    rows = [
        engine.ComponentRow(
            comparison=c.comparison,
            mass_percent=c.mass_percent,
            mass_percent_max=c.mass_percent_max,
            is_calculated=_is_calculated(c),
            values={v.indicator_id: engine.IndicatorValue(v.role, v.value) for v in c.indicators.all()},
        )
        for c in components
    ]
    result = engine.compute(rows, [(r.indicator_id, r.decimal_places) for r in requirements], indicators)
    changed_components = []
    for component, x in zip(components, result.composition, strict=True):
        stored = engine.store_percent(x)
        if component.mass_percent_forecast != stored:
            component.mass_percent_forecast = stored
            changed_components.append(component)
    changed_requirements = []
    for requirement, forecast in zip(requirements, result.forecasts, strict=True):
        if requirement.forecast_value != forecast:
            requirement.forecast_value = forecast
            changed_requirements.append(requirement)
    if changed_components:
        CalculationComponent.objects.bulk_update(changed_components, ["mass_percent_forecast"])
    if changed_requirements:
        TechnicalRequirement.objects.bulk_update(changed_requirements, ["forecast_value"])
