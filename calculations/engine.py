"""The forecast engine (calculations.md §5): pure functions on ``Decimal``, no ORM.

A calculation is a list of component rows (a comparison rule and mass percentages, plus
the indicator values copied into the row) and a list of requirement rows. The engine

1. balances the composition (``balance``): each row's rule becomes bounds, and the gap to
   100 % goes first to "balance" rows (no percentage), then to rows with slack;
2. forecasts each indicator with the indicator's mixing rule over the rows that take part
   (``forecast_indicator``);
3. rounds the forecasts HALF_UP to each requirement row's decimal places (``compute``).

Results never depend on the order of the rows: every sum runs over rows sorted by value.
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
EPSILON = Decimal("0.01")  # strict bounds shift by one unit of the 2-decimal display
STORE_QUANTUM = Decimal("0.0001")  # massPercentForecast is stored with 4 decimals
# Stored forecasts are NUMERIC(18, 6): a forecast that would not fit is reported as unknown.
FORECAST_LIMIT = Decimal(10) ** 12
PRECISION = 28

EQUAL = "EQUAL"
RANGE = "RANGE"
GREATER = "GREATER"
GREATER_OR_EQUAL = "GREATER_OR_EQUAL"
LESS = "LESS"
LESS_OR_EQUAL = "LESS_OR_EQUAL"
COMPARISONS = (EQUAL, RANGE, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL)

MANDATORY = "MANDATORY"
REFERENCE = "REFERENCE"

LINEAR = "LINEAR"
LOG = "LOG"
MASS_BALANCE = "MASS_BALANCE"
MIN = "MIN"
MAX = "MAX"
NONE = "NONE"
PEN_INDEX = "PEN_INDEX"
MIXING_RULES = (LINEAR, LOG, MASS_BALANCE, MIN, MAX, NONE, PEN_INDEX)

GROUP = "GROUP"
PEN25_CODE = "PEN25"
SP_CODE = "SP"


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator row of a component row: its role and (maybe unknown) value."""

    role: str = MANDATORY
    value: Decimal | None = None


@dataclass(frozen=True)
class ComponentRow:
    """One component row of a calculation as the engine sees it."""

    comparison: str = EQUAL
    mass_percent: Decimal | None = None
    mass_percent_max: Decimal | None = None
    is_calculated: bool = True
    values: Mapping[Hashable, IndicatorValue] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorInfo:
    """What the engine needs to know about an indicator."""

    rule: str = LINEAR
    kind: str = "SIMPLE"
    code: str | None = None


@dataclass(frozen=True)
class Result:
    """The engine's answer: composition (raw and as emitted) and rounded forecasts by requirement."""

    composition: list[Decimal]
    forecasts: list[Decimal | None]


def _context() -> decimal.Context:
    return decimal.Context(prec=PRECISION, rounding=ROUND_HALF_UP)


def bounds(row: ComponentRow) -> tuple[Decimal, Decimal, Decimal]:
    """``(lo, hi, start)`` of a row (§5.2), clamped into 0…100."""
    p, q = row.mass_percent, row.mass_percent_max
    if p is None:
        return ZERO, HUNDRED, ZERO
    comparison = row.comparison
    if comparison == RANGE:
        q = p if q is None else q
        lo, hi, start = p, q, (p + q) / 2
    elif comparison == GREATER_OR_EQUAL:
        lo, hi, start = p, HUNDRED, p
    elif comparison == GREATER:
        lo, hi, start = p + EPSILON, HUNDRED, p + EPSILON
    elif comparison == LESS_OR_EQUAL:
        lo, hi, start = ZERO, p, p
    elif comparison == LESS:
        lo, hi, start = ZERO, p - EPSILON, p - EPSILON
    else:
        lo = hi = start = p

    def clamp(value: Decimal) -> Decimal:
        return min(max(value, ZERO), HUNDRED)

    lo, hi = clamp(lo), clamp(hi)
    hi = max(hi, lo)
    return lo, hi, min(max(start, lo), hi)


def balance(rows: Sequence[ComponentRow]) -> list[Decimal]:
    """The balanced composition x (unrounded): rows within their bounds, summing to 100 when feasible."""
    with decimal.localcontext(_context()):
        spans = [bounds(row) for row in rows]
        x = [start for _, _, start in spans]
        gap = HUNDRED - sum(x, ZERO)
        balance_rows = [i for i, row in enumerate(rows) if row.mass_percent is None]
        if gap > 0 and balance_rows:
            share = gap / len(balance_rows)
            for i in balance_rows:
                x[i] += share
            gap = ZERO
        if gap != 0:
            if gap > 0:
                slack = [hi - xi for (_, hi, _), xi in zip(spans, x, strict=True)]
            else:
                slack = [xi - lo for (lo, _, _), xi in zip(spans, x, strict=True)]
            total = sum(slack, ZERO)
            if total > 0:
                fraction = min(abs(gap) / total, Decimal(1))
                sign = 1 if gap > 0 else -1
                x = [xi + sign * s * fraction for xi, s in zip(x, slack, strict=True)]
        # A share never exceeds its slack, but rounding at 28 digits could step over a bound.
        return [min(max(xi, lo), hi) for xi, (lo, hi, _) in zip(x, spans, strict=True)]


def format_percent(value: Decimal | None) -> str:
    """``massPercentForecast`` on the wire: 2 decimals HALF_UP, no trailing zeros ("90", "25.26")."""
    if value is None:
        return ""
    text = f"{value.quantize(EPSILON, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def as_stored(value: Decimal | None) -> Decimal | None:
    """The number as PostgreSQL's NUMERIC keeps it: it has no negative zero (``-0.00`` is ``0.00``)."""
    if value is not None and value.is_zero():
        return value.copy_abs()
    return value


def store_percent(value: Decimal) -> Decimal:
    """The stored ``mass_percent_forecast`` (4 decimals)."""
    return value.quantize(STORE_QUANTUM, rounding=ROUND_HALF_UP)


def _participants(rows: Sequence[ComponentRow], x: Sequence[Decimal], key: Hashable):
    """``[(x_i, v_i)]`` of the rows taking part in ``key``, or ``None`` when a participant's value is unknown."""
    out = []
    for row, xi in zip(rows, x, strict=True):
        entry = row.values.get(key)
        if not row.is_calculated or xi <= 0 or entry is None or entry.role != MANDATORY:
            continue
        if entry.value is None:
            return None
        out.append((xi, entry.value))
    # A fixed summation order makes the result independent of the order of the rows.
    return sorted(out)


def forecast_indicator(rule: str, rows: Sequence[ComponentRow], x: Sequence[Decimal], key: Hashable) -> Decimal | None:
    """The raw forecast of one indicator under one mixing rule (§5.3–5.4); PEN_INDEX is in ``compute``."""
    if rule in (NONE, PEN_INDEX):
        return None
    with decimal.localcontext(_context()):
        parts = _participants(rows, x, key)
        if not parts:
            return None
        mass = sum((xi for xi, _ in parts), ZERO)
        if rule == LINEAR:
            return sum((xi * vi for xi, vi in parts), ZERO) / mass
        if rule == LOG:
            if any(vi <= 0 for _, vi in parts):
                return None
            return (sum((xi * vi.ln() for xi, vi in parts), ZERO) / mass).exp()
        if rule == MASS_BALANCE:
            everything = sum(sorted(x), ZERO)
            return sum((xi * vi for xi, vi in parts), ZERO) / everything
        if rule == MIN:
            return min(vi for _, vi in parts)
        if rule == MAX:
            return max(vi for _, vi in parts)
    raise ValueError(f"unknown mixing rule {rule!r}")


def penetration_index(pen25: Decimal | None, softening_point: Decimal | None) -> Decimal | None:
    """PI = (20 − 500A)/(1 + 50A), A = (lg 800 − lg P)/(T − 25); null when undefined."""
    if pen25 is None or softening_point is None or pen25 <= 0 or softening_point == 25:
        return None
    with decimal.localcontext(_context()):
        a = (Decimal(800).log10() - pen25.log10()) / (softening_point - 25)
        denominator = 1 + 50 * a
        if denominator == 0:
            return None
        return (20 - 500 * a) / denominator


def round_half_up(value: Decimal | None, places: int) -> Decimal | None:
    """Round to ``places`` decimals, halves away from zero (−20.5 → −21)."""
    if value is None:
        return None
    if abs(value) >= FORECAST_LIMIT:
        return None
    with decimal.localcontext(_context()):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def raw_forecasts(
    rows: Sequence[ComponentRow],
    x: Sequence[Decimal],
    keys: Sequence[Hashable],
    indicators: Mapping[Hashable, IndicatorInfo],
) -> dict[Hashable, Decimal | None]:
    """Unrounded forecasts of ``keys``; PEN_INDEX uses the raw forecasts of the PEN25 and SP indicators."""
    out: dict[Hashable, Decimal | None] = {}
    by_code = {info.code: k for k, info in indicators.items() if info.code}

    def raw(key: Hashable) -> Decimal | None:
        if key in out:
            return out[key]
        info = indicators.get(key, IndicatorInfo())
        if info.kind == GROUP:
            value = None
        elif info.rule == PEN_INDEX:
            pen_key, sp_key = by_code.get(PEN25_CODE), by_code.get(SP_CODE)
            pen = raw(pen_key) if pen_key is not None and pen_key != key else None
            sp = raw(sp_key) if sp_key is not None and sp_key != key else None
            value = penetration_index(pen, sp)
        else:
            value = forecast_indicator(info.rule, rows, x, key)
        out[key] = value
        return value

    for key in keys:
        raw(key)
    return out


def compute(
    rows: Sequence[ComponentRow],
    requirements: Sequence[tuple[Hashable, int]],
    indicators: Mapping[Hashable, IndicatorInfo],
) -> Result:
    """Run the whole engine: composition, then each requirement ``(indicator key, decimal places)``."""
    x = balance(rows)
    raw = raw_forecasts(rows, x, [key for key, _ in requirements], indicators)
    forecasts = [round_half_up(raw[key], places) for key, places in requirements]
    return Result(composition=x, forecasts=forecasts)
