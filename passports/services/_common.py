"""Helpers shared by the services."""

from __future__ import annotations

from passports.models import Unit
from passports.selectors import passport_not_found


def locked_unit(internal_id: str) -> Unit:
    """The unit, row-locked for a state change; the passport not-found error when missing."""
    unit = Unit.objects.select_for_update().filter(internal_id=internal_id).first()
    if unit is None:
        raise passport_not_found()
    return unit
