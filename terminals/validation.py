"""The input rules of a Terminal/Shop item, and their checks: plain functions, no ORM.

A bulk chunk has 2000 items; running a DRF serializer per item would cost more than the
database upsert itself, so the checks are written out here with DRF 2's messages
(``This field is required.`` also for a blank value, terminals.md Decision 2).

This module is the one source of the rules: ``terminals.serializers`` (schema, OPTIONS,
forms) derives its lengths, bounds and patterns from the constants below, and
``tests/terminals/test_input_rules_agree.py`` checks both over a table of values.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

#: The key of errors about a whole item rather than one field (DRF's).
NON_FIELD = "non_field_errors"
REQUIRED = "This field is required."
NOT_A_STRING = "Not a valid string."
NULL_CHARACTER = "Null characters are not allowed."
NO_SLASH = "Must not contain a slash."
NOT_A_NUMBER = "A valid number is required."
BAD_DATE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."

IDENTIFIER_MAX_LENGTH = 50
NAME_MAX_LENGTH = 100
CODE_MAX_LENGTH = 50
ADDRESS_MAX_LENGTH = 10_000
LATITUDE_LIMIT = 90
LONGITUDE_LIMIT = 180
#: What no stored text may hold: PostgreSQL text cannot hold NUL.
NOT_STORABLE = "\x00"
#: What an identifier may not hold besides: it is a URL path segment (``/terminals/<id>/``),
#: and a slash would make its object unreachable.
NOT_IN_IDENTIFIER = "/"

_MISSING = object()
_COORDINATE_STEP = Decimal("0.00000001")
_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FieldError(Exception):
    def __init__(self, message: str):
        self.message = message


def not_a_dict(value) -> dict[str, list[str]]:
    return {NON_FIELD: [f"Invalid data. Expected a dictionary, but got {type(value).__name__}."]}


def _text(value, *, max_length: int, required: bool, identifier: bool = False) -> str | None:
    if value is None or value is _MISSING:
        if required:
            raise FieldError(REQUIRED)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise FieldError(NOT_A_STRING)
    text = str(value).strip()
    if not text:
        if required:
            raise FieldError(REQUIRED)
        return None
    if len(text) > max_length:
        raise FieldError(f"Ensure this field has no more than {max_length} characters.")
    if not storable(text):
        raise FieldError(NULL_CHARACTER)
    if identifier and any(char in text for char in NOT_IN_IDENTIFIER):
        raise FieldError(NO_SLASH)
    return text


def storable(text: str) -> bool:
    """Whether PostgreSQL can hold ``text``: a lookup of one it cannot matches nothing (and must
    not reach the driver)."""
    return not any(char in text for char in NOT_STORABLE)


def identifier(value, *, required: bool = True) -> str | None:
    return _text(value, max_length=IDENTIFIER_MAX_LENGTH, required=required, identifier=True)


def name(value) -> str:
    return _text(value, max_length=NAME_MAX_LENGTH, required=True)


def optional_code(value) -> str | None:
    return _text(value, max_length=CODE_MAX_LENGTH, required=False)


def address(value) -> str:
    return _text(value, max_length=ADDRESS_MAX_LENGTH, required=False) or ""


def open_date(value) -> datetime.date | None:
    if value is None or value is _MISSING:
        return None
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise FieldError(BAD_DATE)
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(BAD_DATE) from None


def coordinate(value, *, limit: int) -> Decimal | None:
    """A number or a plain decimal string (``"49.421272"``), within ±limit, rounded to the 8
    decimal places stored."""
    if value is None or value is _MISSING:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise FieldError(NOT_A_NUMBER)
    if isinstance(value, str) and not _PLAIN_DECIMAL.match(value):
        raise FieldError(NOT_A_NUMBER)
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(NOT_A_NUMBER)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise FieldError(NOT_A_NUMBER) from None
    if not number.is_finite():
        raise FieldError(NOT_A_NUMBER)
    if number > limit:
        raise FieldError(f"Ensure this value is less than or equal to {limit}.")
    if number < -limit:
        raise FieldError(f"Ensure this value is greater than or equal to {-limit}.")
    return number.quantize(_COORDINATE_STEP, rounding=ROUND_HALF_EVEN)


TERMINAL_FIELDS = {
    "terminal_id": identifier,
    "shop_id": identifier,
    "name": name,
}

SHOP_FIELDS = {
    "shop_id": identifier,
    "name": name,
    "address": address,
    "open_date": open_date,
    "longitude": lambda v: coordinate(v, limit=LONGITUDE_LIMIT),
    "latitude": lambda v: coordinate(v, limit=LATITUDE_LIMIT),
    "group_id": optional_code,
    "format_id": optional_code,
}


def clean_item(item, fields: dict, *, partial: bool = False) -> tuple[dict, dict[str, list[str]]]:
    """``(cleaned values, errors)`` for one input object; unknown keys are ignored.

    With ``partial`` (PATCH) only the keys present are checked and returned.
    """
    if not isinstance(item, dict):
        return {}, not_a_dict(item)
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for field, check in fields.items():
        value = item.get(field, _MISSING)
        if partial and value is _MISSING:
            continue
        try:
            cleaned[field] = check(value)
        except FieldError as error:
            errors[field] = [error.message]
    return cleaned, errors
