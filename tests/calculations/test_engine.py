"""The engine alone (no database): every worked example of calculations.md §10 and its invariants."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculations import engine
from calculations.engine import ComponentRow, IndicatorInfo, IndicatorValue

INDICATORS = {
    "PEN": IndicatorInfo(rule="NONE", kind="GROUP", code="PEN"),
    "PEN25": IndicatorInfo(rule="LOG", kind="CHILD", code="PEN25"),
    "PEN0": IndicatorInfo(rule="LOG", kind="CHILD", code="PEN0"),
    "SP": IndicatorInfo(rule="LINEAR", code="SP"),
    "DUCT25": IndicatorInfo(rule="NONE", kind="CHILD", code="DUCT25"),
    "FRAASS": IndicatorInfo(rule="LINEAR", code="FRAASS"),
    "ELAST25": IndicatorInfo(rule="NONE", kind="CHILD", code="ELAST25"),
    "ELAST0": IndicatorInfo(rule="NONE", kind="CHILD", code="ELAST0"),
    "DSP": IndicatorInfo(rule="LINEAR", code="DSP"),
    "FLASH": IndicatorInfo(rule="MIN", code="FLASH"),
    "PI": IndicatorInfo(rule="PEN_INDEX", code="PI"),
    "SBS": IndicatorInfo(rule="MASS_BALANCE", code="SBS"),
    "THIGH": IndicatorInfo(rule="LINEAR", code="THIGH"),
    "TLOW": IndicatorInfo(rule="LINEAR", code="TLOW"),
    "VISC135": IndicatorInfo(rule="LOG", code="VISC135"),
    "MASSLOSS": IndicatorInfo(rule="LINEAR", code="MASSLOSS"),
}
DP = {"PEN": 0, "PEN25": 0, "PEN0": 0, "SP": 1, "FRAASS": 0, "ELAST25": 0, "ELAST0": 0, "DSP": 1, "FLASH": 0}
DP |= {"PI": 2, "SBS": 2, "THIGH": 1, "TLOW": 1, "VISC135": 3, "MASSLOSS": 2, "DUCT25": 0}

M, R = "MANDATORY", "REFERENCE"


def values(**kw):
    return {code: IndicatorValue(role, None if value is None else D(str(value))) for code, (value, role) in kw.items()}


BND70 = values(
    PEN25=(85, M), PEN0=(27, M), SP=(48.5, M), DUCT25=(85, R), FRAASS=(-20, M), DSP=(5.0, M), FLASH=(262, M),
    SBS=(0, M), VISC135=(0.41, M), THIGH=(63.1, M), TLOW=(-24.6, M), MASSLOSS=(0.18, M),
)  # fmt: skip
BND100 = values(
    PEN25=(118, M), PEN0=(34, M), SP=(45.5, M), DUCT25=(95, R), FRAASS=(-22, M), DSP=(5.5, M), FLASH=(255, M),
    SBS=(0, M), VISC135=(0.31, M), THIGH=(59.4, M), TLOW=(-27.9, M), MASSLOSS=(0.25, M),
)  # fmt: skip
BND50 = values(
    PEN25=(62, M), PEN0=(19, M), SP=(51.5, M), DUCT25=(70, R), FRAASS=(-17, M), DSP=(4.5, M), FLASH=(268, M),
    SBS=(0, M), VISC135=(0.62, M), THIGH=(67.2, M), TLOW=(-19.8, M), MASSLOSS=(0.12, M),
)  # fmt: skip
OIL40 = values(FLASH=(225, M), SBS=(0, M))
SBS = values(SBS=(100, M))
CONC = values(
    PEN25=(72, M), PEN0=(36, M), SP=(88.0, M), DUCT25=(60, R), FRAASS=(-28, M), ELAST25=(92, R), DSP=(2.0, M),
    FLASH=(250, M), SBS=(9.0, M), VISC135=(2.90, M), THIGH=(90.5, M), TLOW=(-31.0, M), MASSLOSS=(0.30, M),
)  # fmt: skip
ADDITIVE = values(FLASH=(180, R))


def row(vals, percent=None, comparison="EQUAL", maximum=None, calculated=True):
    return ComponentRow(
        comparison=comparison,
        mass_percent=None if percent is None else D(str(percent)),
        mass_percent_max=None if maximum is None else D(str(maximum)),
        is_calculated=calculated,
        values=vals,
    )


def run(rows, codes):
    result = engine.compute(rows, [(code, DP[code]) for code in codes], INDICATORS)
    shown = [engine.format_percent(x) for x in result.composition]
    return shown, dict(zip(codes, result.forecasts, strict=True))


def test_e1_bnd_blend_forecasts():
    shown, f = run([row(BND70, 60), row(BND100, 40)], ["PEN25", "PEN0", "SP", "FRAASS", "DSP", "FLASH", "PI"])
    assert shown == ["60", "40"]
    assert f == {
        "PEN25": D("97"), "PEN0": D("30"), "SP": D("47.3"), "FRAASS": D("-21"), "DSP": D("5.2"),
        "FLASH": D("255"), "PI": D("-0.18"),
    }  # fmt: skip


def test_e1_raw_values_match_the_notes():
    rows = [row(BND70, 60), row(BND100, 40)]
    x = engine.balance(rows)
    raw = engine.raw_forecasts(rows, x, ["PEN25", "PEN0", "PI"], INDICATORS)
    assert round(raw["PEN25"], 6) == D("96.917936")
    assert round(raw["PEN0"], 6) == D("29.608051")
    assert round(raw["PI"], 6) == D("-0.181156")


def test_e2_pg_with_a_balance_row():
    shown, f = run([row(BND50, 30), row(BND70, None)], ["THIGH", "TLOW", "VISC135", "FLASH", "MASSLOSS"])
    assert shown == ["30", "70"]
    assert f == {
        "THIGH": D("64.3"),
        "TLOW": D("-23.2"),
        "VISC135": D("0.464"),
        "FLASH": D("262"),
        "MASSLOSS": D("0.16"),
    }


def test_e3_pmb_from_concentrate():
    codes = ["PEN", "SBS", "PEN25", "PEN0", "SP", "FRAASS", "DSP", "FLASH", "ELAST25", "ELAST0", "PI"]
    shown, f = run([row(BND70, 60), row(CONC, 40)], codes)
    assert shown == ["60", "40"]
    assert f == {
        "PEN": None, "SBS": D("3.60"), "PEN25": D("80"), "PEN0": D("30"), "SP": D("64.3"), "FRAASS": D("-23"),
        "DSP": D("3.8"), "FLASH": D("250"), "ELAST25": None, "ELAST0": None, "PI": D("3.18"),
    }  # fmt: skip


def test_e4_classic_pmb_with_a_non_calculated_additive():
    rows = [row(BND70, 90), row(OIL40, None), row(SBS, 3.5), row(ADDITIVE, 0.5, calculated=False)]
    shown, f = run(rows, ["SBS", "PEN25", "SP", "FLASH", "FRAASS", "PI"])
    assert shown == ["90", "6", "3.5", "0.5"]
    assert f == {
        "SBS": D("3.50"),
        "PEN25": D("85"),
        "SP": D("48.5"),
        "FLASH": D("225"),
        "FRAASS": D("-20"),
        "PI": D("-0.23"),
    }


def test_e7_infeasible_sum_is_kept_and_weights_renormalise():
    shown, f = run([row(BND70, 70), row(BND100, 40)], ["SP", "SBS"])
    assert shown == ["70", "40"]
    assert f == {"SP": D("47.4"), "SBS": D("0.00")}


def test_e8_strict_bounds():
    shown, f = run([row(BND70, 60, "GREATER"), row(BND100, 40, "LESS")], ["SP"])
    assert shown == ["60.01", "39.99"]
    assert f == {"SP": D("47.3")}
    shown, _ = run([row(BND70, 50, "GREATER"), row(BND100, 40, "LESS")], ["SP"])
    assert shown == ["60.01", "39.99"]
    x = engine.balance([row(BND70, 50, "GREATER"), row(BND100, 40, "LESS")])
    raw = engine.raw_forecasts([row(BND70, 50, "GREATER"), row(BND100, 40, "LESS")], x, ["SP"], INDICATORS)
    assert round(raw["SP"], 4) == D("47.3003")


def test_e9_missing_mandatory_value_makes_the_forecast_unknown():
    broken = dict(BND100) | {"SP": IndicatorValue(M, None)}
    _, f = run([row(BND70, 60), row(broken, 40)], ["SP", "FRAASS"])
    assert f == {"SP": None, "FRAASS": D("-21")}


def test_e10_reference_row_is_ignored():
    ref = dict(BND100) | {"SP": IndicatorValue(R, D("45.5"))}
    _, f = run([row(BND70, 60), row(ref, 40)], ["SP"])
    assert f == {"SP": D("48.5")}


def test_e11_log_with_a_non_positive_value():
    zero = dict(BND100) | {"PEN25": IndicatorValue(M, D(0))}
    _, f = run([row(BND70, 60), row(zero, 40)], ["PEN25", "PI", "SP"])
    assert f == {"PEN25": None, "PI": None, "SP": D("47.3")}


def test_e12_two_balance_rows_share_the_gap():
    shown, _ = run([row(BND70, 80), row(BND100), row(BND50)], ["SP"])
    assert shown == ["80", "10", "10"]


def test_e14_over_100_with_a_balance_row():
    shown, f = run([row(BND70, 60), row(BND100, 50), row(BND50, None)], ["SP"])
    assert shown == ["60", "50", "0"]
    assert f == {"SP": D("47.1")}


def test_r1_rounding_half_up_away_from_zero():
    manual = values(SP=(46.0, M), FRAASS=(-21, M))
    _, f = run([row(BND70, 50), row(manual, 50)], ["SP", "FRAASS"])
    assert f == {"SP": D("47.3"), "FRAASS": D("-21")}


def test_range_starts_in_the_middle_and_takes_the_gap():
    shown, _ = run([row(BND70, 20, "RANGE", 80), row(BND100, 30)], ["SP"])
    assert shown == ["70", "30"]


def test_less_or_equal_gives_up_mass():
    shown, _ = run([row(BND70, 80, "LESS_OR_EQUAL"), row(BND100, 30)], ["SP"])
    assert shown == ["70", "30"]


def test_no_participants_and_no_rows_give_null():
    assert run([], ["SP", "PI"])[1] == {"SP": None, "PI": None}
    assert run([row(ADDITIVE, 100, calculated=False)], ["FLASH"])[1] == {"FLASH": None}


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("90"), "90"), (D("25.255"), "25.26"), (D("3.5000"), "3.5"), (D("100"), "100"), (D("0"), "0"), (None, "")],
)
def test_format_percent(value, text):
    assert engine.format_percent(value) == text


def test_max_rule_and_unknown_rule():
    rows = [row(values(X=(3, M)), 50), row(values(X=(7, M)), 50)]
    assert engine.forecast_indicator("MAX", rows, engine.balance(rows), "X") == D(7)
    with pytest.raises(ValueError):
        engine.forecast_indicator("BOGUS", rows, engine.balance(rows), "X")


def test_penetration_index_undefined_cases():
    assert engine.penetration_index(D(85), D(25)) is None
    assert engine.penetration_index(D(0), D(50)) is None
    assert engine.round_half_up(D(10) ** 13, 2) is None


# ---- properties ---------------------------------------------------------------------------

percent = st.decimals(min_value=0, max_value=100, places=2)
value = st.decimals(min_value=-100, max_value=1000, places=3)


@st.composite
def component_rows(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for _ in range(count):
        comparison = draw(st.sampled_from(engine.COMPARISONS))
        p = draw(st.one_of(st.none(), percent))
        q = None
        if comparison == "RANGE" and p is not None:
            q = draw(st.decimals(min_value=p, max_value=100, places=2))
        if comparison == "GREATER" and p is not None:
            p = min(p, D("99.99"))
        if comparison == "LESS" and p is not None:
            p = max(p, D("0.01"))
        v = draw(value)
        rows.append(row(values(SP=(v, M)), p, comparison, q, calculated=draw(st.booleans())))
    return rows


def feasible(rows):
    spans = [engine.bounds(r) for r in rows]
    return sum(lo for lo, _, _ in spans) <= 100 <= sum(hi for _, hi, _ in spans)


@settings(max_examples=300, deadline=None)
@given(component_rows())
def test_balance_stays_within_bounds_and_reaches_100_when_feasible(rows):
    x = engine.balance(rows)
    for xi, r in zip(x, rows, strict=True):
        lo, hi, _ = engine.bounds(r)
        assert lo <= xi <= hi
    if feasible(rows):
        assert abs(sum(x) - 100) < D("1e-20")


@settings(max_examples=300, deadline=None)
@given(component_rows())
def test_linear_forecast_lies_between_participants(rows):
    x = engine.balance(rows)
    forecast = engine.forecast_indicator("LINEAR", rows, x, "SP")
    taking_part = [r.values["SP"].value for r, xi in zip(rows, x, strict=True) if r.is_calculated and xi > 0]
    if not taking_part:
        assert forecast is None
    else:
        assert min(taking_part) - D("1e-20") <= forecast <= max(taking_part) + D("1e-20")


@settings(max_examples=200, deadline=None)
@given(component_rows(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    codes = [("SP", 3)]
    infos = {"SP": IndicatorInfo(rule="LINEAR")}
    a = engine.compute(rows, codes, infos)
    b = engine.compute(shuffled, codes, infos)
    assert a.forecasts == b.forecasts
    assert sorted(a.composition) == sorted(b.composition)
    for rule in ("LOG", "MASS_BALANCE", "MIN", "MAX"):
        left = engine.forecast_indicator(rule, rows, engine.balance(rows), "SP")
        right = engine.forecast_indicator(rule, shuffled, engine.balance(shuffled), "SP")
        assert left == right
