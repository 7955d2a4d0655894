"""Payload builders for the calculations tests (reference catalog of §9)."""

from __future__ import annotations

from calculations import reference as ref
from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    CalculationNumberCounter,
    TechnicalRequirement,
)

CODE = {row[11]: str(row[1]) for row in ref.INDICATORS}
CODE_OF = {guid: code for code, guid in CODE.items()}


def values_of(component, **overrides) -> list[dict]:
    """The catalog values of a component as a row's ``indicators``; ``CODE=(value, role)`` overrides."""
    rows = dict(ref.COMPONENT_VALUES[component])
    rows.update(overrides)
    return [{"indicatorID": CODE[code], "type": role, "value": value} for code, (value, role) in rows.items()]


def comp(component, percent=None, comparison="EQUAL", maximum=None, indicators=None) -> dict:
    row = {"componentID": str(component), "type": comparison, "massPercent": percent}
    if maximum is not None:
        row["massPercentMax"] = maximum
    if indicators is not None:
        row["indicators"] = indicators
    return row


def reqs(*codes) -> list[dict]:
    return [{"indicatorID": CODE[code]} for code in codes]


def forecasts(body) -> dict:
    return {CODE_OF[r["indicatorID"]]: r["forecastValue"] for r in body["technicalRequirements"]}


def shares(body) -> list[str]:
    return [c["massPercentForecast"] for c in body["components"]]


def snapshot() -> tuple:
    """Row counts of every calculation table and the counters: proves "nothing written"."""
    return (
        Calculation.objects.count(),
        CalculationComponent.objects.count(),
        CalculationComponentIndicator.objects.count(),
        TechnicalRequirement.objects.count(),
        tuple(CalculationNumberCounter.objects.values_list("year", "last_value")),
    )
