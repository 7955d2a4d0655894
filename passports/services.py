"""Writes of the Feecc API: each service owns its transaction and raises ``common.exceptions``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.module_loading import import_string

from common.exceptions import ApplicationError, ConflictError, NotFoundError
from passports.models import (
    Employee,
    EmployeeLink,
    ProductionSchema,
    ProductionStage,
    Protocol,
    ProtocolStatus,
    ProtocolTemplate,
    Unit,
    UnitStatus,
)
from passports.selectors import (
    employee_not_found,
    employee_of_user,
    passport_not_found,
    schema_not_found,
    stage_not_found,
    user_not_found,
)

FEECC_RULE_GROUPS = {"write": "feecc_write", "approve": "feecc_approve"}


def _locked_unit(internal_id: str) -> Unit:
    unit = Unit.objects.select_for_update().filter(internal_id=internal_id).first()
    if unit is None:
        raise passport_not_found()
    return unit


# --- passports ------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, data: dict[str, Any]) -> Unit:
    """Create a unit; a taken ``internal_id`` or ``uuid`` is a 409."""
    for key in ("internal_id", "uuid"):
        if key in data and Unit.objects.filter(**{key: data[key]}).exists():
            raise ConflictError(f"Unit with {key} {data[key]} already exists")
    try:
        with transaction.atomic():
            return Unit.objects.create(**data)
    except IntegrityError as exc:
        raise ConflictError("Unit already exists") from exc


@transaction.atomic
def unit_update(*, internal_id: str, data: dict[str, Any]) -> Unit:
    """Partial update of the editable passport fields (status goes through the transitions)."""
    unit = _locked_unit(internal_id)
    for key, value in data.items():
        setattr(unit, key, value)
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, internal_id: str) -> None:
    """Delete a unit with its stages and protocol."""
    _locked_unit(internal_id).delete()


@transaction.atomic
def unit_set_serial(*, internal_id: str, serial_number: str) -> Unit:
    """Set the serial number only; the status is untouched (passports.md §4.2)."""
    unit = _locked_unit(internal_id)
    if unit.serial_number != serial_number:
        unit.serial_number = serial_number
        unit.save(update_fields=["serial_number"])
    return unit


@transaction.atomic
def unit_send_for_revision(*, internal_id: str, stage_ids: list[str]) -> list[ProductionStage]:
    """Validate everything, then append empty copies of the stages and set ``revision`` (§4.3)."""
    unit = _locked_unit(internal_id)
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
    unit = _locked_unit(internal_id)
    stage = ProductionStage.objects.select_for_update().filter(stage_id=stage_id, parent_unit_id=unit.uuid).first()
    if stage is None:
        raise NotFoundError(f"Stage {stage_id} not found")
    if stage.completed:
        raise ConflictError("Can't cancel revision")
    stage.additional_info = {
        **(stage.additional_info or {}),
        "canceled": True,
        "canceled_date": timezone.localtime().isoformat(),
        "canceled_by": _employee_dict(employee_of_user(user)),
    }
    stage.save(update_fields=["additional_info"])
    # In Python: a JSON key test in SQL treats a missing "canceled" key as NULL, not false.
    remaining = any(not (other.additional_info or {}).get("canceled") for other in unit.stages.exclude(completed=True))
    if unit.status == UnitStatus.REVISION and not remaining:
        unit.status = UnitStatus.BUILT
        unit.save(update_fields=["status"])
    return stage


# --- protocols ------------------------------------------------------------------------------


@transaction.atomic
def protocol_save(*, internal_id: str, data: dict[str, Any], created_at=None) -> Protocol:
    """Create the unit's protocol (first stage) or replace its rows (→ second stage) (§4.5).

    ``created_at`` backdates a new protocol (demo data); the API never passes it.
    """
    unit = _locked_unit(internal_id)
    protocol = Protocol.objects.select_for_update().filter(associated_unit_id=unit.internal_id).first()
    if protocol is None:
        extra = {"creation_time": created_at} if created_at else {}
        return Protocol.objects.create(
            associated_unit_id=unit.internal_id, status=ProtocolStatus.FIRST, **data, **extra
        )
    if protocol.status == ProtocolStatus.THIRD:
        raise ConflictError("Protocol was already finalized. Can't update immutable protocol.")
    protocol.rows = data["rows"]
    protocol.status = ProtocolStatus.SECOND
    protocol.save(update_fields=["rows", "status"])
    return protocol


def _protocol_of(unit: Unit) -> Protocol:
    protocol = Protocol.objects.select_for_update().filter(associated_unit_id=unit.internal_id).first()
    if protocol is None:
        raise NotFoundError(f"Protocol for unit {unit.internal_id} not found")
    return protocol


@transaction.atomic
def protocol_approve(*, internal_id: str) -> Protocol:
    """Approve the protocol and finalize the unit together; idempotent once approved.

    A publisher (``FEECC_PROTOCOL_PUBLISHER``, a dotted path to ``callable(protocol)``; off
    by default) runs inside the transaction: if it fails, nothing is approved.
    """
    unit = _locked_unit(internal_id)
    protocol = _protocol_of(unit)
    if protocol.status == ProtocolStatus.THIRD and unit.status == UnitStatus.FINALIZED:
        return protocol
    protocol.status = ProtocolStatus.THIRD
    protocol.save(update_fields=["status"])
    unit.status = UnitStatus.FINALIZED
    unit.save(update_fields=["status"])
    publisher = getattr(settings, "FEECC_PROTOCOL_PUBLISHER", None)
    if publisher:
        try:
            import_string(publisher)(protocol)
        except Exception as exc:
            raise ApplicationError("Can't publish the protocol", status=502) from exc
    return protocol


@transaction.atomic
def protocol_delete(*, internal_id: str) -> None:
    """Delete the unit's protocol; a ``finalized`` unit goes back to ``built``."""
    unit = _locked_unit(internal_id)
    protocol = _protocol_of(unit)
    if unit.status == UnitStatus.FINALIZED:
        unit.status = UnitStatus.BUILT
        unit.save(update_fields=["status"])
    protocol.delete()


@transaction.atomic
def protocol_template_ensure(*, schema_id: str, protocol_name: str, **fields) -> ProtocolTemplate:
    """Create or update the schema's template of that name (templates have no endpoint)."""
    template, _ = ProtocolTemplate.objects.update_or_create(
        associated_with_schema_id=schema_id, protocol_name=protocol_name, defaults=fields
    )
    return template


@transaction.atomic
def employee_link_set(*, user, employee: Employee | None) -> None:
    """Set (or clear) the Feecc ``associated_employee`` of ``user``."""
    if employee is None:
        EmployeeLink.objects.filter(user=user).delete()
    else:
        EmployeeLink.objects.update_or_create(user=user, defaults={"employee": employee})


# --- employees ------------------------------------------------------------------------------


@transaction.atomic
def employee_create(*, rfid_card_id: str, name: str, position: str) -> Employee:
    if Employee.objects.filter(rfid_card_id=rfid_card_id).exists():
        raise ConflictError(f"Employee with card id {rfid_card_id} already exists")
    return Employee.objects.create(rfid_card_id=rfid_card_id, name=name, position=position)


@transaction.atomic
def employee_update(*, rfid_card_id: str, data: dict[str, Any]) -> Employee:
    """Partial update; ``passport_code`` is recomputed from the result."""
    employee = Employee.objects.select_for_update().filter(rfid_card_id=rfid_card_id).first()
    if employee is None:
        raise employee_not_found(rfid_card_id)
    new_card = data.get("rfid_card_id", rfid_card_id)
    if new_card != rfid_card_id and Employee.objects.filter(rfid_card_id=new_card).exists():
        raise ConflictError(f"Employee with card id {new_card} already exists")
    for key, value in data.items():
        setattr(employee, key, value)
    employee.save()
    return employee


@transaction.atomic
def employee_delete(*, rfid_card_id: str) -> None:
    deleted, _ = Employee.objects.filter(rfid_card_id=rfid_card_id).delete()
    if not deleted:
        raise employee_not_found(rfid_card_id)


# --- schemas --------------------------------------------------------------------------------


@transaction.atomic
def schema_create(*, data: dict[str, Any]) -> ProductionSchema:
    schema_id = data.get("schema_id")
    if schema_id and ProductionSchema.objects.filter(schema_id=schema_id).exists():
        raise ConflictError(f"Schema with id {schema_id} already exists")
    if schema_id and data.get("parent_schema_id") == schema_id:
        raise ApplicationError("A schema can't be its own parent")
    return ProductionSchema.objects.create(**data)


@transaction.atomic
def schema_update(*, schema_id: str, data: dict[str, Any]) -> ProductionSchema:
    schema = ProductionSchema.objects.select_for_update().filter(schema_id=schema_id).first()
    if schema is None:
        raise schema_not_found(schema_id)
    for key, value in data.items():
        setattr(schema, key, value)
    schema.save()
    return schema


@transaction.atomic
def schema_delete(*, schema_id: str) -> None:
    schema = ProductionSchema.objects.filter(schema_id=schema_id).first()
    if schema is None:
        raise schema_not_found(schema_id)
    try:
        with transaction.atomic():
            schema.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(f"Schema {schema_id} is used by units and can't be deleted") from exc


# --- stages ---------------------------------------------------------------------------------


@transaction.atomic
def stage_create(*, data: dict[str, Any]) -> ProductionStage:
    data = dict(data)
    data["parent_unit_id"] = data.pop("parent_unit_uuid")
    if "id" in data:
        data["stage_id"] = data.pop("id")
        if ProductionStage.objects.filter(stage_id=data["stage_id"]).exists():
            raise ConflictError(f"Stage with id {data['stage_id']} already exists")
    if data.get("video_hashes") is None:
        data["video_hashes"] = []
    return ProductionStage.objects.create(**data)


@transaction.atomic
def stage_update(*, stage_id: str, data: dict[str, Any]) -> ProductionStage:
    stage = ProductionStage.objects.select_for_update().filter(stage_id=stage_id).first()
    if stage is None:
        raise stage_not_found()
    for key, value in data.items():
        setattr(stage, key, value)
    stage.save()
    return stage


@transaction.atomic
def stage_delete(*, stage_id: str) -> None:
    deleted, _ = ProductionStage.objects.filter(stage_id=stage_id).delete()
    if not deleted:
        raise stage_not_found()


# --- Feecc users (the shared identity, fenced: passports.md Decision 5) ----------------------


def _fenced_user(*, actor, username: str):
    """A non-staff, non-superuser user of the actor's company, locked; else the 404 body."""
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(username=username, company_id=actor.company_id, is_staff=False, is_superuser=False)
        .first()
    )
    if user is None:
        raise user_not_found()
    return user


def _apply_rules_and_employee(user, data: dict[str, Any]) -> None:
    if "rule_set" in data:
        rules = set(data["rule_set"])
        for rule, group_name in FEECC_RULE_GROUPS.items():
            group = Group.objects.get(name=group_name)
            if rule in rules:
                user.groups.add(group)
            else:
                user.groups.remove(group)
    if "associated_employee" in data:
        card = data["associated_employee"]
        employee_link_set(user=user, employee=None if card is None else Employee.objects.get(rfid_card_id=card))


@transaction.atomic
def feecc_user_create(*, actor, data: dict[str, Any]):
    """A new user of the actor's company with VRt role ``USER`` and the given Feecc rules."""
    from accounts.models import UserRole

    user_model = get_user_model()
    if user_model.objects.filter(username=data["username"]).exists():
        raise ConflictError(f"User {data['username']} already exists")
    user = user_model(username=data["username"], company_id=actor.company_id, roles=[UserRole.USER])
    user.set_password(data["password"])
    user.save()
    _apply_rules_and_employee(user, data)
    return user


@transaction.atomic
def feecc_user_update(*, actor, username: str, data: dict[str, Any]):
    user = _fenced_user(actor=actor, username=username)
    new_name = data.get("username", username)
    if new_name != username and get_user_model().objects.filter(username=new_name).exists():
        raise ConflictError(f"User {new_name} already exists")
    user.username = new_name
    if "password" in data:
        user.set_password(data["password"])
    user.save()
    _apply_rules_and_employee(user, data)
    return user


@transaction.atomic
def feecc_user_delete(*, actor, username: str) -> None:
    user = _fenced_user(actor=actor, username=username)
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(f"User {username} owns data of other apps and can't be deleted") from exc
