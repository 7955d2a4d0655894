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


class Text:
    """A text rule: a string, or a number taken as its text; stripped; at most ``max_length``
    characters, storable; an ``identifier`` also without ``NOT_IN_IDENTIFIER``. Blank or null is
    "no value": an error if ``required``, else ``blank``.

    Calling it checks one value. ``forbidden`` and ``max_length`` also let a bulk check accept
    the common case, a ``str`` that passes as it is, inline (``clean_items``).
    """

    __slots__ = ("max_length", "required", "identifier", "blank", "forbidden")

    def __init__(self, *, max_length: int, required: bool, identifier: bool = False, blank: str | None = None):
        self.max_length = max_length
        self.required = required
        self.identifier = identifier
        self.blank = blank
        #: The characters the value may not hold (a test only: ``__call__`` says which rule failed).
        self.forbidden = NOT_STORABLE + (NOT_IN_IDENTIFIER if identifier else "")

    def __call__(self, value) -> str | None:
        if value is None or value is _MISSING:
            return self._absent()
        if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
            raise FieldError(NOT_A_STRING)
        text = str(value).strip()
        if not text:
            return self._absent()
        if len(text) > self.max_length:
            raise FieldError(f"Ensure this field has no more than {self.max_length} characters.")
        if not storable(text):
            raise FieldError(NULL_CHARACTER)
        if self.identifier and any(char in text for char in NOT_IN_IDENTIFIER):
            raise FieldError(NO_SLASH)
        return text

    def _absent(self) -> str | None:
        if self.required:
            raise FieldError(REQUIRED)
        return self.blank


def storable(text: str) -> bool:
    """Whether PostgreSQL can hold ``text``: a lookup of one it cannot matches nothing (and must
    not reach the driver)."""
    return not any(char in text for char in NOT_STORABLE)


identifier = Text(max_length=IDENTIFIER_MAX_LENGTH, required=True, identifier=True)
name = Text(max_length=NAME_MAX_LENGTH, required=True)
optional_code = Text(max_length=CODE_MAX_LENGTH, required=False)
address = Text(max_length=ADDRESS_MAX_LENGTH, required=False, blank="")


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


def clean_plain_items(items: list, fields: dict) -> list[dict] | None:
    """The cleaned items when every item is a ``dict`` and every field a ``Text`` rule met by a
    plain ``str`` (stripped, not blank, within ``max_length``, none of ``forbidden``): then
    ``clean_item`` of each gives these values and no error. ``None`` when any item or field is
    not so (``clean_items`` then says which).

    The checks run column by column with the interpreter's own loops (``map``, ``min``,
    ``max``, ``in`` over the joined column): a 2000-item chunk in a fraction of the item by
    item time.
    """
    if not all(isinstance(rule, Text) for rule in fields.values()):
        return None
    if not all(type(item) is dict for item in items):
        return None
    columns = []
    for field, rule in fields.items():
        values = [item.get(field) for item in items]
        if not all(type(value) is str for value in values):
            return None
        texts = list(map(str.strip, values))
        lengths = list(map(len, texts))
        if texts and (min(lengths) == 0 or max(lengths) > rule.max_length):
            return None
        joined = "".join(texts)
        if any(char in joined for char in rule.forbidden):
            return None
        columns.append(texts)
    names = tuple(fields)
    return (
        [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if columns else [{} for _ in items]
    )


def clean_items(items: list, fields: dict) -> list[tuple[dict, dict[str, list[str]]]]:
    """``clean_item`` of each item, in order, with the same results.

    A bulk chunk has 2000 items: a chunk of plain items is cleaned column by column
    (``clean_plain_items``); otherwise an item whose every field is a ``Text`` rule met by a
    plain ``str`` is accepted inline and any other item goes through ``clean_item``.
    """
    plain = clean_plain_items(items, fields)
    if plain is not None:
        return [(cleaned, {}) for cleaned in plain]
    rules = [(field, rule.max_length, rule.forbidden) for field, rule in fields.items() if isinstance(rule, Text)]
    if len(rules) != len(fields):
        return [clean_item(item, fields) for item in items]
    checked = []
    for item in items:
        cleaned = {}
        if type(item) is dict:
            for field, max_length, forbidden in rules:
                value = item.get(field)
                if type(value) is not str:
                    break
                text = value.strip()
                if not 0 < len(text) <= max_length:
                    break
                for char in forbidden:
                    if char in text:
                        break
                else:
                    cleaned[field] = text
                    continue
                break
            else:
                checked.append((cleaned, {}))
                continue
        checked.append(clean_item(item, fields))
    return checked
