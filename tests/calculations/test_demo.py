"""init_formula_catalogs and the demo seed: idempotent, real numbers and forecasts (§9)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from rest_framework.renderers import JSONRenderer

from accounts.demo import demo_actors_ensure
from accounts.models import User
from calculations import demo
from calculations.models import Calculation, CalculationNumberCounter, Component, Indicator, RequirementTemplateRow
from calculations.reference import S, X
from calculations.selectors import calculation_detail
from calculations.serializers import calculation_detail_data
from tests.calculations.helpers import forecasts, shares

pytestmark = pytest.mark.django_db


def test_init_formula_catalogs_is_idempotent():
    call_command("init_formula_catalogs")
    counts = (Component.objects.count(), Indicator.objects.count(), RequirementTemplateRow.objects.count())
    call_command("init_formula_catalogs")
    assert (Component.objects.count(), Indicator.objects.count(), RequirementTemplateRow.objects.count()) == counts
    assert counts == (9, 20, 80)
    assert list(Indicator.objects.get(guid=S(22)).product_types.order_by("name").values_list("name", flat=True)) == [
        "БНД",
        "ПБВ",
    ]


def test_demo_seed_builds_believable_forecasts_and_is_idempotent():
    actors = demo_actors_ensure(password="demo-password-2026")
    demo.seed(actors=actors)
    demo.seed(actors=actors)
    assert Calculation.objects.count() == 4
    assert CalculationNumberCounter.objects.get(year=2025).last_value == 4
    ivanov = User.objects.get(guid=S(1))
    assert (ivanov.company, ivanov.full_name, ivanov.has_usable_password()) == (
        actors.company,
        "Иван Иванович Иванов",
        False,
    )
    assert ivanov.has_perm("calculations.change_calculation")
    assert User.objects.get(guid=S(2)).groups.get().name == "Наблюдатель"

    def detail(guid):
        # Through the JSON renderer, as the API emits it (Decimals become numbers).
        return json.loads(JSONRenderer().render(calculation_detail_data(calculation_detail(guid=guid))))

    e2 = detail(S(100))
    assert (e2["number"], e2["create_date"], shares(e2)) == ("2025-0001", "2025-07-14T14:05:16Z", ["30", "70"])
    assert forecasts(e2) == {"THIGH": 64.3, "TLOW": -23.2, "VISC135": 0.464, "FLASH": 262, "MASSLOSS": 0.16}
    e3 = forecasts(detail(S(101)))
    assert (e3["PEN25"], e3["PEN0"], e3["SP"], e3["SBS"], e3["ELAST25"]) == (80, 30, 64.3, 3.6, None)
    e4 = detail(X(1101))
    assert shares(e4) == ["90", "6", "3.5", "0.5"]
    assert (forecasts(e4)["FLASH"], forecasts(e4)["SBS"]) == (225, 3.5)
    e1 = forecasts(detail(X(1102)))
    assert (e1["PEN25"], e1["SP"], e1["PI"]) == (97, 47.3, -0.18)
