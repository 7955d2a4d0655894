"""factory_boy factories for the Feecc models."""

from __future__ import annotations

import datetime as dt

import factory

from passports.models import (
    Employee,
    ProductionSchema,
    ProductionStage,
    Protocol,
    ProtocolTemplate,
    Unit,
    UnitStatus,
)

ROWS = [
    {"name": "Voltage", "value": "12 V", "deviation": "0.5", "test1": None, "test2": None, "checked": False},
    {"name": "Weight", "value": "1 kg", "deviation": None, "test1": None, "test2": None, "checked": False},
]


def ean13(n: int) -> str:
    """A valid EAN-13 built from ``n`` (check digit appended)."""
    body = f"{n:012d}"
    checksum = sum(int(c) for c in body[::2]) + 3 * sum(int(c) for c in body[1::2])
    return body + str((10 - checksum % 10) % 10)


class SchemaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionSchema
        django_get_or_create = ("schema_id",)

    schema_id = factory.Sequence(lambda n: f"schema_{n}")
    unit_name = factory.Sequence(lambda n: f"Gadget {n}")
    schema_type = "Boards"
    production_stages = factory.LazyFunction(lambda: [{"name": "Assembly", "stage_id": "st1"}])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    schema = factory.SubFactory(SchemaFactory)
    uuid = factory.Sequence(lambda n: f"{n:032x}")
    internal_id = factory.Sequence(lambda n: ean13(100000 + n))
    status = UnitStatus.BUILT
    creation_time = factory.Sequence(lambda n: dt.datetime(2023, 7, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=n))


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionStage

    parent_unit = factory.SubFactory(UnitFactory)
    stage_id = factory.Sequence(lambda n: f"stage{n:027d}")
    name = factory.Sequence(lambda n: f"Stage {n}")
    employee_name = None
    session_start_time = dt.datetime(2023, 7, 20, 7, 0, tzinfo=dt.UTC)
    session_end_time = dt.datetime(2023, 7, 20, 8, 30, tzinfo=dt.UTC)
    ended_prematurely = False
    video_hashes = factory.LazyFunction(lambda: ["QmVideo"])
    additional_info = factory.LazyFunction(dict)
    is_in_db = True
    creation_time = dt.datetime(2023, 7, 20, 7, 0, tzinfo=dt.UTC)
    schema_stage_id = "st1"
    completed = True
    number = 0


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    rfid_card_id = factory.Sequence(lambda n: f"100{n:07d}")
    name = factory.Sequence(lambda n: f"Employee {n}")
    position = "Engineer"


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolTemplate

    protocol_name = factory.Sequence(lambda n: f"Protocol {n}")
    protocol_schema_id = factory.Sequence(lambda n: f"proto_{n}")
    associated_with_schema = factory.SubFactory(SchemaFactory)
    default_serial_number = "SN-0000"
    rows = factory.LazyFunction(lambda: [dict(row) for row in ROWS])


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Protocol

    associated_unit = factory.SubFactory(UnitFactory)
    protocol_id = factory.Sequence(lambda n: f"{n:032x}")
    protocol_name = "Acceptance"
    protocol_schema_id = "proto_a"
    associated_with_schema_id = factory.LazyAttribute(lambda o: o.associated_unit.schema_id)
    default_serial_number = "SN-0000"
    rows = factory.LazyFunction(lambda: [dict(row) for row in ROWS])
    creation_time = dt.datetime(2023, 7, 21, 12, 0, tzinfo=dt.UTC)
