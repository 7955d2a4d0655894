"""The input rules live in ``terminals.validation``; the schema's copy (serializers) must agree.

Each value is checked by the run-time rule and by the field's documented JSON schema: both
accept it or both refuse it.
"""

from __future__ import annotations

import jsonschema
import pytest
from drf_spectacular.drainage import get_override

from terminals import validation
from terminals.serializers import ShopSerializer, TerminalSerializer

RULES = {**validation.TERMINAL_FIELDS, **validation.SHOP_FIELDS}
SERIALIZED = {**TerminalSerializer().fields, **ShopSerializer().fields}

OK, REFUSED = True, False
TABLE = [
    ("terminal_id", "1-1", OK),
    ("terminal_id", " 1-1 ", OK),
    ("terminal_id", 11, OK),
    ("terminal_id", 1.5, OK),
    ("terminal_id", "x" * 50, OK),
    ("terminal_id", "x" * 51, REFUSED),
    ("terminal_id", "", REFUSED),
    ("terminal_id", "   ", REFUSED),
    ("terminal_id", None, REFUSED),
    ("terminal_id", "a/b", REFUSED),
    ("terminal_id", "a\x00b", REFUSED),
    ("terminal_id", True, REFUSED),
    ("terminal_id", ["1"], REFUSED),
    ("shop_id", "33", OK),
    ("shop_id", "3/3", REFUSED),
    ("name", "Kassa 1", OK),
    ("name", "Kassa/1", OK),
    ("name", "x" * 100, OK),
    ("name", "x" * 101, REFUSED),
    ("name", "", REFUSED),
    ("name", "a\x00", REFUSED),
    ("name", None, REFUSED),
    ("group_id", "15", OK),
    ("group_id", "", OK),
    ("group_id", None, OK),
    ("group_id", 15, OK),
    ("group_id", "x" * 50, OK),
    ("group_id", "x" * 51, REFUSED),
    ("group_id", "1\x005", REFUSED),
    ("format_id", "5/7", OK),
    ("address", "ул. Спартака, д. 88", OK),
    ("address", "", OK),
    ("address", None, OK),
    ("address", "x" * 10_000, OK),
    ("address", "x" * 10_001, REFUSED),
    ("address", "a\x00", REFUSED),
    ("latitude", "49.42127200", OK),
    ("latitude", 49.421272, OK),
    ("latitude", "90", OK),
    ("latitude", "-90.000", OK),
    ("latitude", 90, OK),
    ("latitude", -90, OK),
    ("latitude", "0", OK),
    ("latitude", None, OK),
    ("latitude", "90.00000001", REFUSED),
    ("latitude", 90.5, REFUSED),
    ("latitude", "-91", REFUSED),
    ("latitude", "1e1", REFUSED),
    ("latitude", " 5", REFUSED),
    ("latitude", "", REFUSED),
    ("latitude", True, REFUSED),
    ("longitude", "180", OK),
    ("longitude", "-179.99999999", OK),
    ("longitude", 180, OK),
    ("longitude", "27.004452", OK),
    ("longitude", "99.5", OK),
    ("longitude", "180.5", REFUSED),
    ("longitude", -181, REFUSED),
    ("longitude", "1,5", REFUSED),
]


def accepted_at_run_time(field: str, value) -> bool:
    try:
        RULES[field](value)
    except validation.FieldError:
        return False
    return True


def documented_schema(field: str) -> dict:
    """The field's OpenAPI 3.0 schema as JSON Schema (``nullable`` becomes a null branch)."""
    schema = dict(get_override(type(SERIALIZED[field]), "field"))
    if schema.pop("nullable", False):
        return {"anyOf": [{"type": "null"}, schema]}
    return schema


def accepted_by_schema(field: str, value) -> bool:
    return jsonschema.Draft7Validator(documented_schema(field)).is_valid(value)


@pytest.mark.parametrize(("field", "value", "ok"), TABLE)
def test_run_time_rule_and_schema_agree_on_the_value(field, value, ok):
    assert (accepted_at_run_time(field, value), accepted_by_schema(field, value)) == (ok, ok)


def test_every_checked_field_is_in_the_table():
    assert {field for field, _, _ in TABLE} == set(RULES) - {"open_date"}


def test_options_lengths_are_the_run_time_limits():
    assert (SERIALIZED["terminal_id"].max_length, SERIALIZED["name"].max_length, SERIALIZED["group_id"].max_length) == (
        validation.IDENTIFIER_MAX_LENGTH,
        validation.NAME_MAX_LENGTH,
        validation.CODE_MAX_LENGTH,
    )
