"""The bulk upsert's shortcuts give what the general code gives.

``validation.clean_items`` accepts plain passing strings inline and must clean every item as
``clean_item`` does; the names probe, the shop-names lock and the upserts send their arrays as literals
the services write themselves (``None`` as ``NULL``, dates and decimals as text), so texts with quotes, backslashes, braces or commas must arrive intact.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from common.exceptions import ItemErrors
from terminals import validation
from terminals.models import Terminal
from terminals.services import NAME_TAKEN, _array_literal, _text_array, terminals_upsert

pytestmark = pytest.mark.django_db

AWKWARD_VALUES = [
    "t1",
    " t1 ",
    "\u00a0t1\u2003",
    "x" * 50,
    "x" * 51,
    " " + "x" * 50 + " ",
    "",
    "   ",
    "a/b",
    "a\x00b",
    "Kassa/1",
    "ключ",
    7,
    1.5,
    True,
    None,
    ["t1"],
    {"id": 1},
]


class Text(str):
    """A ``str`` subclass: not a plain ``str``, so it takes the general path."""


def awkward_items() -> list:
    items: list = [None, "t1", 5, ["t1"], {}, {"terminal_id": "t1"}, Text("x")]
    for value in AWKWARD_VALUES:
        for field in ("terminal_id", "shop_id", "name"):
            items.append({"terminal_id": "t1", "shop_id": "s1", "name": "Kassa 1", field: value})
    items.append({"terminal_id": Text(" t1 "), "shop_id": "s1", "name": "Kassa 1"})
    items.append({"terminal_id": "t1", "shop_id": "s1", "name": "Kassa 1", "extra": object()})
    return items


@pytest.mark.parametrize("fields", [validation.TERMINAL_FIELDS, validation.SHOP_FIELDS])
def test_clean_items_cleans_each_item_as_clean_item(fields):
    items = awkward_items()
    assert validation.clean_items(items, fields) == [validation.clean_item(item, fields) for item in items]


@pytest.mark.parametrize("fields", [validation.TERMINAL_FIELDS, validation.SHOP_FIELDS])
def test_a_chunk_with_one_awkward_item_is_cleaned_as_clean_item_cleans_each(fields):
    """``clean_plain_items`` checks a chunk column by column: one item it must not accept among
    plain ones sends the whole chunk item by item, with the same answers."""
    plain = [{"terminal_id": f" t{n} ", "shop_id": "s1", "name": f"Kassa {n}"} for n in range(3)]
    for awkward in awkward_items():
        items = [*plain, awkward]
        assert validation.clean_items(items, fields) == [validation.clean_item(item, fields) for item in items]
    assert validation.clean_items(plain, fields) == [validation.clean_item(item, fields) for item in plain]
    assert validation.clean_items([], fields) == []


def test_clean_plain_items_answers_only_for_chunks_every_item_of_which_passes_as_a_plain_str():
    fields = validation.TERMINAL_FIELDS
    plain = [{"terminal_id": f" t{n} ", "shop_id": "s1", "name": f"Kassa {n}", "extra": 1} for n in range(3)]
    assert validation.clean_plain_items(plain, fields) == [
        {"terminal_id": f"t{n}", "shop_id": "s1", "name": f"Kassa {n}"} for n in range(3)
    ]
    assert validation.clean_plain_items(plain, validation.SHOP_FIELDS) is None  # not all Text rules
    for awkward in awkward_items():
        cleaned, errors = validation.clean_item(awkward, fields)
        answer = validation.clean_plain_items([*plain, awkward], fields)
        if answer is not None:  # accepted: exactly clean_item's values, and clean_item found no error
            assert errors == {} and answer[-1] == cleaned and type(awkward) is dict


NAMES = ['a"b', "a\\b", "\\", '"', "{x,y}", "NULL", "a, b", " inner  spaces ", "ключ «1»", "'quoted'"]


def test_text_array_literal_round_trips_through_postgres():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [_text_array(NAMES)])
        assert cursor.fetchone()[0] == NAMES
        cursor.execute("SELECT %s::text[]", [_text_array([])])
        assert cursor.fetchone()[0] == []


def test_column_array_literals_round_trip_through_postgres():
    columns = [
        ("text", [*NAMES, None, ""]),
        ("text", NAMES),
        ("date", [datetime.date(2024, 2, 29), None, datetime.date(1, 1, 1)]),
        ("numeric", [Decimal("0E-8"), Decimal("-179.12345678"), None, Decimal("1E+2"), Decimal("90.00000000")]),
        ("bigint", [1, 2**62, None]),
        ("text", [None]),
        ("text", []),
    ]
    with connection.cursor() as cursor:
        for kind, values in columns:
            cursor.execute(f"SELECT %s::{kind}[]", [_array_literal(values)])
            assert cursor.fetchone()[0] == values, kind


def test_awkward_names_are_stored_and_found_taken(shops, company):
    items = [{"terminal_id": f"t{n}", "shop_id": "1", "name": name} for n, name in enumerate(NAMES)]
    assert terminals_upsert(company=company, items=items).inserted == len(NAMES)
    stored = dict(Terminal.objects.filter(company=company).values_list("terminal_id", "name"))
    assert [stored[f"t{n}"] for n in range(len(NAMES))] == [name.strip() for name in NAMES]
    # another terminal claiming each stored name is refused, item by item
    claims = [{"terminal_id": f"new{n}", "shop_id": "1", "name": name} for n, name in enumerate(NAMES)]
    with pytest.raises(ItemErrors) as refused:
        terminals_upsert(company=company, items=claims)
    assert refused.value.items == [{"non_field_errors": [NAME_TAKEN]}] * len(NAMES)


def test_a_name_held_by_a_terminal_only_an_invalid_item_rewrites_is_taken(terminals, company):
    # The probe covers every item with a valid shop_id and name; only valid items free names.
    items = [
        {"terminal_id": "9-9", "shop_id": "1", "name": "Kassa 1"},  # held by 1-1
        {"terminal_id": "1-1", "shop_id": "99", "name": "Renamed"},  # would free it, but is invalid
        {"terminal_id": "1-2", "shop_id": "1", "name": "Kassa 9"},  # frees "Kassa 2"
        {"terminal_id": "9-8", "shop_id": "1", "name": "Kassa 2"},
    ]
    with pytest.raises(ItemErrors) as refused:
        terminals_upsert(company=company, items=items)
    assert refused.value.items == [
        {"non_field_errors": [NAME_TAKEN]},
        {"shop_id": ["Shop with id=99 does not exist"]},
        {},
        {},
    ]
