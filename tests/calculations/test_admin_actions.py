"""Recalculation after a mixing rule changes: the admin action and ``recalculate_formula``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from calculations.models import Calculation, Indicator, TechnicalRequirement
from calculations.reference import S
from calculations.services.calculations import calculation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def blend(catalog, demo_user):
    """E1 with SP: LINEAR gives 47.3; MAX would give 48.5."""
    return calculation_create(
        author=demo_user,
        components=[{"component": S(7), "mass_percent": Decimal(60)}, {"component": S(8), "mass_percent": Decimal(40)}],
        requirements=[{"indicator": S(24)}],
    )


def _sp(calculation) -> Decimal:
    return TechnicalRequirement.objects.get(calculation=calculation, indicator_id=S(24)).forecast_value


def test_admin_action_recalculates(blend, client, admin_user):
    assert _sp(blend) == Decimal("47.3")
    Indicator.objects.filter(pk=S(24)).update(mixing_rule="MAX")
    assert _sp(blend) == Decimal("47.3")  # stored forecasts do not change by themselves
    client.force_login(admin_user)
    response = client.post(
        "/admin/calculations/calculation/", {"action": "recalculate", "_selected_action": [str(blend.pk)]}, follow=True
    )
    assert response.status_code == 200
    assert "Recalculated 1 calculation(s)." in response.content.decode()
    assert _sp(blend) == Decimal("48.5")


def test_recalculate_command(blend, capsys):
    Indicator.objects.filter(pk=S(24)).update(mixing_rule="MIN")
    call_command("recalculate_formula", "--guid", str(blend.pk))
    assert capsys.readouterr().out.strip() == "recalculated 1"
    assert _sp(blend) == Decimal("45.5")
    call_command("recalculate_formula")
    assert Calculation.objects.count() == 1
