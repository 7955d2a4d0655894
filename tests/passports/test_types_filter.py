"""Issue 11, item 6: ``GET /api/v1/passports?types=`` parses in linear time.

The old parse stripped each item with ``^[\\s\\[\\]"']+|[\\s\\[\\]"']+$``: inside a long run of
spaces (``+`` in a query string) the second branch is tried at every position and runs to the
end of the run, so the work grew with the square of the run (4,096 characters: ~0.2 s of CPU per
request; 64,000: 25 s). The new parse is ``str.split`` and ``str.strip`` with a character set,
linear by design; these tests pin its results on tricky inputs, and the watchdog turns a
return of the quadratic parse (hours for the input below) into a failure instead of a hang.
"""

from __future__ import annotations

import signal
import sys
from urllib.parse import quote_plus

import pytest

from passports.models import UnitStatus
from passports.serializers.units import TYPES_STRIP_CHARS, parse_types
from tests.passports.factories import UnitFactory

pytestmark = pytest.mark.django_db


class ParseDidNotFinish(Exception):
    pass


def parse_with_watchdog(raw: str) -> list[str]:
    """``parse_types(raw)``; a parse still running after 20 s (a linear one needs milliseconds) fails."""

    def expire(signum, frame):
        raise ParseDidNotFinish(f"parse_types did not finish on {len(raw)} characters: not linear")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    try:
        return parse_types(raw)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_strip_set_is_regex_whitespace_plus_brackets_and_quotes():
    # The same characters the old regex class ``[\s\[\]"']`` stripped, no more, no fewer.
    whitespace = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(TYPES_STRIP_CHARS) == whitespace | set("[]\"'")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Boards", ["Boards"]),
        ("[ \"Boards\" , 'Sensors' ]", ["Boards", "Sensors"]),
        ("\u3000[\xa0Boards\u2028],\t", ["Boards"]),
        ("Light  Sensors", ["Light  Sensors"]),  # inner spaces are part of the type
        ("Bo[ar]ds", ["Bo[ar]ds"]),
        (' , [ ] , "" ,', []),
        ("", []),
    ],
)
def test_parse_results(raw, expected):
    assert parse_types(raw) == expected


def test_long_runs_of_spaces_parse_in_linear_time():
    run = " " * 1_000_000
    raw = f"Boards{run}x,{run}[{run}Sensors{run}]{run},{run}"
    assert parse_with_watchdog(raw) == [f"Boards{run}x", "Sensors"]


def test_a_maximal_query_of_plus_signs_filters_correctly(demo_client, schemas):
    board = UnitFactory(schema=schemas["board"], status=UnitStatus.BUILT)
    UnitFactory(schema=schemas["sensor"], status=UnitStatus.BUILT)
    # "+" is a space in a query string: 4,096 characters, the longest ``types`` accepted.
    query = "+" * 2000 + "Boards" + "+" * 2000 + "," + "+" * 89
    assert len(query) == 4096
    response = demo_client.get(f"/api/v1/passports?types={query}")
    assert response.status_code == 200
    assert [item["internal_id"] for item in response.json()["data"]] == [board.internal_id]
    weird = demo_client.get("/api/v1/passports?types=" + quote_plus("x" + " " * 4000 + "y"))
    assert (weird.status_code, weird.json()["count"]) == (200, 0)
