"""Passport writes and the unit transitions: serial, revision, revision cancel (passports.md §4.2–4.4)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.exceptions import ApplicationError, ConflictError, FieldErrors, NotAllowedError, NotFoundError
from passports.localtime import to_local
from passports.models import (
    TRANSITION_FIELDS,
    TRANSITION_ONLY,
    Employee,
    ProductionStage,
    Unit,
    UnitStatus,
)
from passports.permissions import APPROVE
from passports.selectors import employee_of_user
from passports.services._common import locked_unit

# --- passports ------------------------------------------------------------------------------


SERIAL_NEEDS_APPROVE = "insufficient permissions for current user: serial_number needs the approve rule"


def _check_serial_rule(*, actor, unit: Unit | None, data: dict[str, Any]) -> None:
    """A serial number is a QC act on every path (``/serial``, create, PATCH): it needs ``approve``."""
    if actor is None or "serial_number" not in data or actor.has_perm(APPROVE):
        return
    value = data["serial_number"]
    unchanged = value in (None, "") if unit is None else value == unit.serial_number
    if not unchanged:
        raise NotAllowedError(SERIAL_NEEDS_APPROVE)


@transaction.atomic
def unit_create(*, data: dict[str, Any], actor=None) -> Unit:
    """Create a unit; a taken ``internal_id`` or ``uuid`` is a 409. ``actor``: the API caller
    (the demo seed passes none), who needs ``approve`` to give the unit a serial number."""
    _check_serial_rule(actor=actor, unit=None, data=data)
    for key in ("internal_id", "uuid"):
        if key in data and Unit.objects.filter(**{key: data[key]}).exists():
            raise ConflictError(f"Unit with {key} {data[key]} already exists")
    try:
        with transaction.atomic():
            return Unit.objects.create(**data)
    except IntegrityError as exc:
        raise ConflictError("Unit already exists") from exc


@transaction.atomic
def unit_update(*, internal_id: str, data: dict[str, Any], actor) -> Unit:
    """Partial update of the editable passport fields. The transition fields may be sent back
    unchanged (clients echo the whole passport) but never changed here, where no transition's
    rules run: a 422 names them; a changed serial number needs ``approve``."""
    unit = locked_unit(internal_id)
    _check_serial_rule(actor=actor, unit=unit, data=data)
    changed = [name for name in TRANSITION_FIELDS if name in data and data[name] != getattr(unit, name)]
    if changed:
        raise FieldErrors({name: [TRANSITION_ONLY] for name in changed})
    for key, value in data.items():
        if key not in TRANSITION_FIELDS:
            setattr(unit, key, value)
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, internal_id: str) -> None:
    """Delete a unit with its stages and protocol."""
    locked_unit(internal_id).delete()


@transaction.atomic
def unit_set_serial(*, internal_id: str, serial_number: str) -> Unit:
    """Set the serial number only; the status is untouched (passports.md §4.2)."""
    unit = locked_unit(internal_id)
    if unit.serial_number != serial_number:
        unit.serial_number = serial_number
        unit.save(update_fields=["serial_number"])
    return unit


@transaction.atomic
def unit_send_for_revision(*, internal_id: str, stage_ids: list[str]) -> list[ProductionStage]:
    """Validate everything, then append empty copies of the stages and set ``revision`` (§4.3)."""
    unit = locked_unit(internal_id)
    prefix = "Can't send unit for revision."
    if unit.status != UnitStatus.BUILT:
        raise ConflictError(f"{prefix} Current status {unit.status}")
    stages = {stage.stage_id: stage for stage in ProductionStage.objects.filter(stage_id__in=stage_ids)}
    for stage_id in stage_ids:
        stage = stages.get(stage_id)
        if stage is None:
            raise NotFoundError(f"{prefix} Stage with id {stage_id} not found")
        if stage.parent_unit_id != unit.uuid:
            raise ApplicationError(f"{prefix} Stage {stage_id} not associated with passport {internal_id}")
    count = unit.stages.count()
    now = timezone.now()
    copies = [
        ProductionStage(
            parent_unit_id=unit.uuid,
            name=stages[stage_id].name,
            schema_stage_id=stages[stage_id].schema_stage_id,
            creation_time=now,
            ended_prematurely=False,
            is_in_db=True,
            completed=False,
            session_start_time=None,
            session_end_time=None,
            employee_name=None,
            video_hashes=[],
            additional_info={"reworked": True},
            number=count + offset,
        )
        for offset, stage_id in enumerate(stage_ids)
    ]
    created = ProductionStage.objects.bulk_create(copies)
    unit.status = UnitStatus.REVISION
    unit.save(update_fields=["status"])
    return created


def _employee_dict(employee: Employee | None) -> dict | str:
    if employee is None:
        return "Unknown"
    return {
        "rfid_card_id": employee.rfid_card_id,
        "name": employee.name,
        "position": employee.position,
        "passport_code": employee.passport_code,
    }


@transaction.atomic
def unit_cancel_revision(*, internal_id: str, stage_id: str, user) -> ProductionStage:
    """Mark an incomplete stage of the unit cancelled; back to ``built`` when none is left (§4.4)."""
    unit = locked_unit(internal_id)
    stage = ProductionStage.objects.select_for_update().filter(stage_id=stage_id, parent_unit_id=unit.uuid).first()
    if stage is None:
        raise NotFoundError(f"Stage {stage_id} not found")
    if stage.completed:
        raise ConflictError("Can't cancel revision")
    stage.additional_info = {
        **(stage.additional_info or {}),
        "canceled": True,
        "canceled_date": to_local(timezone.now()).isoformat(),
        "canceled_by": _employee_dict(employee_of_user(user)),
    }
    stage.save(update_fields=["additional_info"])
    # In Python: a JSON key test in SQL treats a missing "canceled" key as NULL, not false.
    remaining = any(not (other.additional_info or {}).get("canceled") for other in unit.stages.exclude(completed=True))
    if unit.status == UnitStatus.REVISION and not remaining:
        unit.status = UnitStatus.BUILT
        unit.save(update_fields=["status"])
    return stage
