"""Every worked example of calculations.md §10 through POST /formula/calculations/write."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculations.models import CalculationComponent, TechnicalRequirement
from calculations.reference import S, X
from tests.calculations.helpers import CODE, comp, forecasts, reqs, shares, values_of

pytestmark = pytest.mark.django_db

BND70, BND100, BND50, OIL, SBS, CONC, ADDITIVE = S(7), S(8), X(113), S(9), X(114), X(115), S(11)
E1_CODES = ("PEN25", "PEN0", "SP", "FRAASS", "DSP", "FLASH", "PI")


def test_e1_through_the_bnd_template(catalog, write):
    code, body = write(
        {"productID": str(S(39)), "specificationID": str(X(705)), "normTechDocID": str(X(802)),
         "components": [comp(BND70, 60), comp(BND100, 40)]}
    )  # fmt: skip
    assert code == 200
    assert shares(body) == ["60", "40"]
    assert forecasts(body) == {
        "PEN": None, "PEN25": 97.0, "PEN0": 30.0, "SP": 47.3, "DUCT": None, "DUCT25": None, "DUCT0": None,
        "FRAASS": -21.0, "DSP": 5.2, "PI": -0.18,
    }  # fmt: skip
    # PEN0 is not in the template: the PEN group brings its forgotten child in (§4.3.5 rule 5).
    # Stored exactly as emitted.
    stored = {
        r.indicator_id: r.forecast_value for r in TechnicalRequirement.objects.filter(calculation_id=body["guid"])
    }
    assert stored[S(22)] == Decimal("97") and stored[X(405)] == Decimal("-0.18")
    assert sorted(CalculationComponent.objects.values_list("mass_percent_forecast", flat=True)) == [40, 60]


def test_e1_all_indicators(catalog, write):
    _, body = write({"components": [comp(BND70, 60), comp(BND100, 40)], "technicalRequirements": reqs(*E1_CODES)})
    assert forecasts(body) == {
        "PEN25": 97.0, "PEN0": 30.0, "SP": 47.3, "FRAASS": -21.0, "DSP": 5.2, "FLASH": 255.0, "PI": -0.18
    }  # fmt: skip


def test_e2_pg_template(catalog, write):
    _, body = write(
        {"productID": str(S(37)), "specificationID": str(S(40)), "normTechDocID": str(S(48)),
         "components": [comp(BND50, 30), comp(BND70)]}
    )  # fmt: skip
    assert shares(body) == ["30", "70"]
    assert forecasts(body) == {"THIGH": 64.3, "TLOW": -23.2, "VISC135": 0.464, "FLASH": 262.0, "MASSLOSS": 0.16}


def test_e3_pmb_template(catalog, write):
    _, body = write(
        {"productID": str(S(38)), "specificationID": str(X(701)), "normTechDocID": str(X(801)),
         "components": [comp(BND70, 60), comp(CONC, 40)], "comment": "E3"}
    )  # fmt: skip
    assert shares(body) == ["60", "40"]
    assert forecasts(body) == {
        "PEN": None, "PEN25": 80.0, "PEN0": 30.0, "SP": 64.3, "DUCT": None, "DUCT25": None, "DUCT0": None,
        "FRAASS": -23.0, "ELAST": None, "ELAST25": None, "ELAST0": None, "DSP": 3.8, "FLASH": 250.0, "SBS": 3.6,
    }  # fmt: skip
    _, with_pi = write({"guid": body["guid"], "technicalRequirements": reqs("PI")})
    assert forecasts(with_pi) == {"PI": 3.18}


def test_e4_classic_pmb(catalog, write):
    _, body = write(
        {"productID": str(S(38)), "specificationID": str(X(702)), "normTechDocID": str(X(801)),
         "components": [comp(BND70, 90), comp(OIL), comp(SBS, 3.5), comp(ADDITIVE, 0.5)]}
    )  # fmt: skip
    assert shares(body) == ["90", "6", "3.5", "0.5"]
    f = forecasts(body)
    assert (f["SBS"], f["PEN25"], f["SP"], f["FLASH"], f["FRAASS"]) == (3.5, 85.0, 48.5, 225.0, -20.0)
    _, with_pi = write({"guid": body["guid"], "technicalRequirements": reqs("PI")})
    assert forecasts(with_pi) == {"PI": -0.23}


def test_e7_infeasible(catalog, write):
    _, body = write({"components": [comp(BND70, 70), comp(BND100, 40)], "technicalRequirements": reqs("SP", "SBS")})
    assert (shares(body), forecasts(body)) == (["70", "40"], {"SP": 47.4, "SBS": 0.0})


def test_e8_strict_bounds(catalog, write):
    _, body = write(
        {"components": [comp(BND70, 60, "GREATER"), comp(BND100, 40, "LESS")], "technicalRequirements": reqs("SP")}
    )
    assert (shares(body), forecasts(body)) == (["60.01", "39.99"], {"SP": 47.3})
    _, body = write({"guid": body["guid"], "components": [comp(BND70, 50, "GREATER"), comp(BND100, 40, "LESS")]})
    assert shares(body) == ["60.01", "39.99"]


def test_e9_missing_mandatory_value(catalog, write):
    broken = values_of(BND100, SP=(None, "MANDATORY"))
    _, body = write({"components": [comp(BND70, 60), comp(BND100, 40, indicators=broken)], "technicalRequirements": reqs("SP", "FRAASS")})  # fmt: skip
    assert forecasts(body) == {"SP": None, "FRAASS": -21.0}


def test_e10_reference_row_ignored(catalog, write):
    ref = values_of(BND100, SP=("45.5", "REFERENCE"))
    _, body = write({"components": [comp(BND70, 60), comp(BND100, 40, indicators=ref)], "technicalRequirements": reqs("SP")})  # fmt: skip
    assert forecasts(body) == {"SP": 48.5}


def test_e11_log_with_zero(catalog, write):
    zero = values_of(BND100, PEN25=("0", "MANDATORY"))
    _, body = write({"components": [comp(BND70, 60), comp(BND100, 40, indicators=zero)], "technicalRequirements": reqs("PEN25", "PI")})  # fmt: skip
    assert forecasts(body) == {"PEN25": None, "PI": None}


def test_e12_two_balance_rows(catalog, write):
    _, body = write({"components": [comp(BND70, 80), comp(BND100), comp(BND50)]})
    assert shares(body) == ["80", "10", "10"]


def test_e14_over_100_with_a_balance_row(catalog, write):
    _, body = write(
        {"components": [comp(BND70, 60), comp(BND100, 50), comp(BND50)], "technicalRequirements": reqs("SP")}
    )
    assert (shares(body), forecasts(body)) == (["60", "50", "0"], {"SP": 47.1})


def test_r1_rounding_with_a_type_row(catalog, write):
    manual = [
        {"indicatorID": CODE["SP"], "type": "MANDATORY", "value": 46.0},
        {"indicatorID": CODE["FRAASS"], "type": "MANDATORY", "value": -21},
    ]
    code, body = write(
        {"components": [comp(BND70, 50), {"componentTypeID": str(S(4)), "massPercent": "50", "indicators": manual}],
         "technicalRequirements": [{"indicatorID": CODE["SP"], "standardValueMin": 47, "comment": "КиШ"},
                                   {"indicatorID": CODE["FRAASS"], "decimalPlaces": 0, "factValue": -22}]}
    )  # fmt: skip
    assert code == 200
    type_row = body["components"][1]
    assert type_row == {
        "id": type_row["id"],
        "componentID": "",
        "componentTypeID": str(S(4)),
        "view": "TYPE",
        "type": "EQUAL",
        "massPercent": 50.0,
        "massPercentMax": None,
        "massPercentForecast": "50",
        "massPercentFact": None,
        "comment": "",
        "indicators": [
            {"id": type_row["indicators"][0]["id"], "indicatorID": CODE["SP"], "type": "MANDATORY", "value": 46.0},
            {"id": type_row["indicators"][1]["id"], "indicatorID": CODE["FRAASS"], "type": "MANDATORY", "value": -21.0},
        ],
    }
    sp, fraass = body["technicalRequirements"]
    assert sp == {
        "id": sp["id"], "indicatorID": CODE["SP"], "standardValueMin": 47.0, "standardValueMax": None,
        "comment": "КиШ", "decimalPlaces": 1, "forecastValue": 47.3, "factValue": None, "parentIndicator": "",
        "parentIndicatorID": "", "group": False, "type": "SIMPLE",
    }  # fmt: skip
    assert (fraass["forecastValue"], fraass["factValue"], fraass["decimalPlaces"]) == (-21.0, -22.0, 0)
