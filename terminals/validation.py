"""Field checks of one Terminal/Shop input item: plain functions, no ORM.

A bulk chunk has 2000 items; running a DRF serializer per item would cost more than the
database upsert itself, so the checks are written out here with DRF 2's messages
(``This field is required.`` also for a blank value, terminals.md Decision 2).
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
    if "\x00" in text:
        raise FieldError(NULL_CHARACTER)
    # An identifier is a URL path segment (/terminals/<id>/): a slash would make it unreachable.
    if identifier and "/" in text:
        raise FieldError(NO_SLASH)
    return text


def identifier(value, *, required: bool = True) -> str | None:
    return _text(value, max_length=50, required=required, identifier=True)


def name(value) -> str:
    return _text(value, max_length=100, required=True)


def optional_code(value) -> str | None:
    return _text(value, max_length=50, required=False)


def address(value) -> str:
    return _text(value, max_length=10_000, required=False) or ""


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
    "longitude": lambda v: coordinate(v, limit=180),
    "latitude": lambda v: coordinate(v, limit=90),
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
