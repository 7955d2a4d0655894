"""The Feecc API's rows of the authorization matrix (tests/test_authz_matrix.py).

Reads need a token; writes ``feecc_write``; QC actions ``feecc_approve``; users API writes
``feecc_manage_users`` (issue 11). Passports data is
one organisation's, so ``other`` acts like ``demo`` — except on ``/api/v1/users``, which is
fenced per company (Decision 5): there ``other`` gets 404 for ``demo_company``'s users.
"""

from __future__ import annotations

from passports.models import ProtocolStatus, UnitStatus
from tests.authz import Row
from tests.factories import TEST_PASSWORD, UserFactory
from tests.passports.factories import (
    EmployeeFactory,
    ProtocolFactory,
    SchemaFactory,
    StageFactory,
    TemplateFactory,
    UnitFactory,
)

# ``writer`` (tests/authz.py EXTRA_ACTORS) holds the write rule only: issue 11 refuses it the QC
# actions (``APPROVE``, serial numbers included) and the users API (``MANAGE``).
READ = {"anonymous": 401, "demo": 200, "viewer": 200, "admin": 200, "other": 200, "writer": 200}
WRITE = {"anonymous": 401, "demo": 200, "viewer": 403, "admin": 200, "other": 200, "writer": 200}
APPROVE = {**WRITE, "writer": 403}
FENCED_READ = {"anonymous": 401, "demo": 200, "viewer": 200, "admin": 200, "other": 404, "writer": 200}
MANAGE = {"anonymous": 401, "demo": 200, "viewer": 403, "admin": 200, "other": 200, "writer": 403}
FENCED_MANAGE = {"anonymous": 401, "demo": 200, "viewer": 403, "admin": 200, "other": 404, "writer": 403}
OPEN = {"anonymous": 200, "demo": 200, "viewer": 200, "admin": 200, "other": 200, "writer": 200}

SAMPLE_VALUES = {
    "unit": "4600000000008",
    "built": "4600000000015",
    "revision_unit": "4600000000022",
    "reworked_stage": "a" * 32,
    "stage": "b" * 32,
    "rfid": "0008368511",
    "schema": "board",
    "free_schema": "spare",
    "username": "feecc_target",
}


def setup(users) -> dict:
    schema = SchemaFactory(schema_id="board", unit_name="Control Board", schema_type="Boards")
    SchemaFactory(schema_id="spare", unit_name="Spare", schema_type="Other")
    TemplateFactory(associated_with_schema=schema)
    unit = UnitFactory(schema=schema, internal_id="4600000000008", status=UnitStatus.FINALIZED)
    ProtocolFactory(associated_unit=unit, status=ProtocolStatus.SECOND)
    built = UnitFactory(schema=schema, internal_id="4600000000015", status=UnitStatus.BUILT)
    stage = StageFactory(parent_unit=built, stage_id="b" * 32)
    revision_unit = UnitFactory(schema=schema, internal_id="4600000000022", status=UnitStatus.REVISION)
    StageFactory(parent_unit=revision_unit, number=0)
    StageFactory(parent_unit=revision_unit, stage_id="a" * 32, number=1, completed=False)
    employee = EmployeeFactory(rfid_card_id="0008368511")
    UserFactory(username="feecc_target", company=users["demo"].company)
    return {
        "unit": unit.internal_id,
        "built": built.internal_id,
        "built_uuid": built.uuid,
        "revision_unit": revision_unit.internal_id,
        "reworked_stage": "a" * 32,
        "stage": stage.stage_id,
        "rfid": employee.rfid_card_id,
        "passport_code": employee.passport_code,
        "schema": "board",
        "free_schema": "spare",
        "username": "feecc_target",
    }


PROTOCOL = {
    "protocol_name": "Acceptance",
    "protocol_schema_id": "p1",
    "associated_with_schema_id": "board",
    "rows": [{"name": "Voltage", "value": "12 V"}],
}

ROWS = [
    Row("POST", "/token", OPEN, data={"username": "demo", "password": TEST_PASSWORD}),
    Row("GET", "/api/v1/status", OPEN),
    # passports
    Row("GET", "/api/v1/passports/?status=&sort_by_date=asc", READ),
    Row("POST", "/api/v1/passports", WRITE, data={"schema_id": "board", "internal_id": "123456"}),
    Row("GET", "/api/v1/passports/types", READ),
    Row("GET", "/api/v1/passports/{unit}", READ),
    Row("PATCH", "/api/v1/passports/{unit}/", WRITE, data={"featured_in_int_id": None, "model": "M-2"}),
    Row("PATCH", "/api/v1/passports/{unit}", APPROVE, data={"serial_number": "S-1"}),
    Row("DELETE", "/api/v1/passports/{unit}", WRITE),
    Row("POST", "/api/v1/passports/{built}/serial?serial_number=SN-1", APPROVE),
    Row("POST", "/api/v1/passports/{built}/revision", APPROVE, data=lambda v: [v["stage"]]),
    Row("POST", "/api/v1/passports/{revision_unit}/revision/cancel?stage_id={reworked_stage}", APPROVE),
    # QC protocols
    Row("GET", "/api/v1/tcd/protocols/?page=1&items=11", READ),
    Row("GET", "/api/v1/tcd/protocols/types", READ),
    Row("GET", "/api/v1/tcd/protocols/pending", READ),
    Row("GET", "/api/v1/tcd/protocols/{unit}", READ),
    Row("POST", "/api/v1/tcd/protocols/{built}", APPROVE, data=PROTOCOL),
    Row("DELETE", "/api/v1/tcd/protocols/{unit}", APPROVE),
    Row("POST", "/api/v1/tcd/protocols/{unit}/approve", APPROVE),
    # employees
    Row("GET", "/api/v1/employees", READ),
    Row("POST", "/api/v1/employees/", WRITE, data={"rfid_card_id": "42", "name": "N", "position": "P"}),
    Row("POST", "/api/v1/employees/decode", READ, data=lambda v: {"encoded_name": v["passport_code"]}),
    Row("GET", "/api/v1/employees/{rfid}", READ),
    Row("PATCH", "/api/v1/employees/{rfid}", WRITE, data={"position": "Lead"}),
    Row("DELETE", "/api/v1/employees/{rfid}", WRITE),
    # schemas, stages
    Row("GET", "/api/v1/schemas", READ),
    Row("POST", "/api/v1/schemas", WRITE, data={"unit_name": "New", "schema_type": "Boards"}),
    Row("GET", "/api/v1/schemas/{schema}", READ),
    Row("PATCH", "/api/v1/schemas/{schema}", WRITE, data={"unit_name": "Renamed"}),
    Row("DELETE", "/api/v1/schemas/{free_schema}", WRITE),
    Row("GET", "/api/v1/stages?decode_employees=true", READ),
    Row(
        "POST",
        "/api/v1/stages/",
        WRITE,
        data=lambda v: {
            "name": "Extra",
            "parent_unit_uuid": v["built_uuid"],
            "ended_prematurely": False,
            "creation_time": "2023-07-20T10:00:00Z",
        },
    ),
    Row("GET", "/api/v1/stages/{stage}", READ),
    Row("PATCH", "/api/v1/stages/{stage}", WRITE, data={"completed": False}),
    Row("DELETE", "/api/v1/stages/{stage}", WRITE),
    # users (fenced per company; writes need feecc_manage_users, issue 11)
    Row("POST", "/api/v1/users", MANAGE, data={"username": "new_feecc", "password": "long-enough-pass-1"}),
    Row("GET", "/api/v1/users/me", READ),
    Row("GET", "/api/v1/users/{username}", FENCED_READ),
    Row("PATCH", "/api/v1/users/{username}", FENCED_MANAGE, data={"rule_set": ["read", "write"]}),
    Row("DELETE", "/api/v1/users/{username}", FENCED_MANAGE),
]
