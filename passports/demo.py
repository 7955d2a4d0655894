"""The passports app's part of ``seed_demo``: a believable Feecc data set, built through services.

Idempotent: every object has a fixed key and is only created when missing, so a second
run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from passports import services
from passports.models import Employee, ProductionSchema, ProductionStage, Protocol, Unit, UnitStatus
from passports.permissions import GROUPS

#: The demo user holds every Feecc rule; the viewer none (``accounts.demo.demo_seeders``).
DEMO_GROUPS = GROUPS
DEMO_NAMESPACE = uuid.UUID("8f3c1e52-6f1d-4d0e-9a7b-3c2f1e0d9a11")
SCHEMAS = [
    # schema_id, unit_name, schema_type, parent
    ("demo_robot", "Feecc Demo Robot", "Robots", None),
    ("demo_board", "Robot Control Board", "Boards", "demo_robot"),
    ("demo_sensor", "Light Sensor", "Sensors", "demo_robot"),
    ("demo_rig", "Test Rig", "Testing", None),
]
STAGES = ["Assembly", "Soldering", "Quality check"]
EMPLOYEES = [
    ("0008368511", "Ivan Petrov", "Assembler"),
    ("0008368512", "Anna Smirnova", "QC engineer"),
    ("0008368513", "Oleg Ivanov", "Technician"),
]
ROWS = [
    {"name": "Supply voltage", "value": "12 V", "deviation": "±0.5 V", "test1": None, "test2": None, "checked": False},
    {"name": "Current draw", "value": "1.2 A", "deviation": "±0.1 A", "test1": None, "test2": None, "checked": False},
    {
        "name": "Visual inspection",
        "value": "no defects",
        "deviation": None,
        "test1": None,
        "test2": None,
        "checked": False,
    },
]


def ean13(n: int) -> str:
    body = f"{n:012d}"
    checksum = sum(int(c) for c in body[::2]) + 3 * sum(int(c) for c in body[1::2])
    return body + str((10 - checksum % 10) % 10)


def _schemas() -> None:
    for schema_id, unit_name, schema_type, parent in SCHEMAS:
        if not ProductionSchema.objects.filter(schema_id=schema_id).exists():
            stages = [
                {"name": name, "stage_id": f"{schema_id}_{i}", "duration_seconds": 600} for i, name in enumerate(STAGES)
            ]
            services.schema_create(
                data={
                    "schema_id": schema_id,
                    "unit_name": unit_name,
                    "schema_type": schema_type,
                    "parent_schema_id": parent,
                    "production_stages": stages,
                }
            )


def _employees() -> list[Employee]:
    for card, name, position in EMPLOYEES:
        if not Employee.objects.filter(rfid_card_id=card).exists():
            services.employee_create(rfid_card_id=card, name=name, position=position)
    return list(Employee.objects.filter(rfid_card_id__in=[card for card, _, _ in EMPLOYEES]).order_by("rfid_card_id"))


def _unit(n: int, schema_id: str, status: str, created: dt.datetime, employees: list[Employee], done: int) -> Unit:
    internal_id = ean13(460700000000 + n)
    existing = Unit.objects.filter(internal_id=internal_id).first()
    if existing is not None:
        return existing
    unit = services.unit_create(
        data={
            "schema_id": schema_id,
            "internal_id": internal_id,
            "uuid": uuid.uuid5(DEMO_NAMESPACE, internal_id).hex,
            "creation_time": created,
            "status": status,
            "is_in_db": True,
            "passport_short_url": f"https://url.today/demo{n}",
        }
    )
    for number, name in enumerate(STAGES):
        start = created + dt.timedelta(minutes=20 * number)
        completed = number < done
        services.stage_create(
            data={
                "parent_unit_uuid": unit.uuid,
                "id": uuid.uuid5(DEMO_NAMESPACE, f"{internal_id}-{number}").hex,
                "name": name,
                "employee_name": employees[number % len(employees)].passport_code if completed else None,
                "session_start_time": start if completed else None,
                "session_end_time": start + dt.timedelta(minutes=15) if completed else None,
                "ended_prematurely": False,
                "video_hashes": [f"QmDemoVideo{n}x{number}"] if completed else [],
                "additional_info": {"station": f"WS-{number + 1}"},
                "is_in_db": True,
                "creation_time": start,
                "schema_stage_id": f"{schema_id}_{number}",
                "completed": completed,
                "number": number,
            }
        )
    return unit


def _protocol_body(unit: Unit) -> dict:
    return {
        "protocol_name": "Acceptance test",
        "protocol_schema_id": f"{unit.schema_id}_acceptance",
        "associated_with_schema_id": unit.schema_id,
        "default_serial_number": "FD-0000",
        "rows": ROWS,
    }


@transaction.atomic
def seed(*, actors) -> str:
    """Schemas (with a parent), units in every status with biographies, employees, templates,
    protocols in each stage including pending ones; ``demo`` is linked to an employee."""
    _schemas()
    employees = _employees()
    services.employee_link_set(user=actors.demo, employee=employees[1])
    for schema_id, *_ in SCHEMAS[:3]:
        services.protocol_template_ensure(
            schema_id=schema_id,
            protocol_name="Acceptance test",
            protocol_schema_id=f"{schema_id}_acceptance",
            default_serial_number="FD-0000",
            rows=ROWS,
        )
    services.protocol_template_ensure(
        schema_id="demo_robot",
        protocol_name="Extended robot test",
        protocol_schema_id="demo_robot_extended",
        default_serial_number="FD-R-0000",
        rows=ROWS[:2],
    )
    now = timezone.now().replace(microsecond=0)
    schema_cycle = ["demo_board", "demo_sensor", "demo_robot"]
    # (status, completed stages, protocol stage) for 24 units over the last 12 days
    plan = [
        (UnitStatus.PRODUCTION, 1, None),
        (UnitStatus.BUILT, 3, None),
        (UnitStatus.BUILT, 3, "first"),
        (UnitStatus.BUILT, 3, "second"),
        (UnitStatus.REVISION, 3, None),
        (UnitStatus.FINALIZED, 3, "approved"),
        (UnitStatus.APPROVED, 3, None),
        (UnitStatus.BUILT, 3, "first-old"),
    ] * 3
    for n, (status, done, protocol_stage) in enumerate(plan):
        created = now - dt.timedelta(days=12) + dt.timedelta(hours=12 * n)
        target = UnitStatus.BUILT if status == UnitStatus.REVISION else status
        unit = _unit(n, schema_cycle[n % 3], target, created, employees, done)
        if status == UnitStatus.REVISION and unit.status == UnitStatus.BUILT:
            last = ProductionStage.objects.filter(parent_unit=unit, number=len(STAGES) - 1).first()
            services.unit_send_for_revision(internal_id=unit.internal_id, stage_ids=[last.stage_id])
        if protocol_stage and not Protocol.objects.filter(associated_unit_id=unit.internal_id).exists():
            backdate = created if protocol_stage == "first-old" else None
            services.protocol_save(internal_id=unit.internal_id, data=_protocol_body(unit), created_at=backdate)
            if protocol_stage in ("second", "approved"):
                services.protocol_save(internal_id=unit.internal_id, data=_protocol_body(unit))
            if protocol_stage == "approved":
                unit.refresh_from_db()
                services.protocol_approve(internal_id=unit.internal_id)
    return (
        f"{ProductionSchema.objects.count()} schemas, {Unit.objects.count()} units, "
        f"{Employee.objects.count()} employees, {Protocol.objects.count()} protocols"
    )
