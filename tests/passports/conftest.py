"""Feecc fixtures: a small catalogue of schemas (one with a parent) and helpers."""

from __future__ import annotations

import pytest

from tests.passports.factories import SchemaFactory


@pytest.fixture
def schemas(db):
    parent = SchemaFactory(schema_id="composite", unit_name="Composite Robot", schema_type="Robots")
    board = SchemaFactory(schema_id="board", unit_name="Control Board", schema_type="Boards", parent_schema=parent)
    sensor = SchemaFactory(schema_id="sensor", unit_name="Light Sensor", schema_type="Sensors")
    testing = SchemaFactory(schema_id="testing", unit_name="Test Rig", schema_type="Testing")
    return {"composite": parent, "board": board, "sensor": sensor, "testing": testing}


def passport_body(unit, **overrides) -> dict:
    """The list/detail representation of ``unit`` (computed keys from its schema)."""
    schema = unit.schema
    created = unit.creation_time.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Moscow")).isoformat()
    body = {
        "schema_id": unit.schema_id,
        "uuid": unit.uuid,
        "internal_id": unit.internal_id,
        "passport_short_url": unit.passport_short_url,
        "passport_ipfs_cid": unit.passport_ipfs_cid,
        "is_in_db": unit.is_in_db,
        "featured_in_int_id": unit.featured_in_int_id,
        "biography": None,
        "components_internal_ids": unit.components_internal_ids,
        "model": schema.unit_name or unit.model,
        "creation_time": created,
        "date": created,
        "type": schema.schema_type,
        "parential_unit": schema.parent_schema.unit_name if schema.parent_schema else None,
        "serial_number": unit.serial_number,
        "status": unit.status,
        "txn_hash": unit.txn_hash,
    }
    body.update(overrides)
    return body
