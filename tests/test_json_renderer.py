"""The project's JSON renderer writes the bytes DRF's ``JSONRenderer`` writes, for every value.

Clients of the original APIs compare bodies byte for byte; the renderer (``common.renderers``)
only changes who writes them. (a) awkward values rendered by both renderers; (b) every GET
operation of the schema requested over the demo data, its body compared with DRF's rendering of
the same ``response.data``.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import decimal
import enum
import io
import ipaddress
import uuid
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.test import APIClient
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from common import renderers
from common.auth import issue_access_token
from common.renderers import JSONRenderer


class Color(enum.Enum):
    RED = 1


class Kind(enum.StrEnum):
    A = "a"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int


class Score(float):
    pass


class Name(str):
    pass


def _reordered() -> collections.OrderedDict:
    value = collections.OrderedDict(a=1, b=2.5, c=3)
    value.move_to_end("a")  # the OrderedDict's order is no longer its storage's
    return value


UTC = dt.UTC
VALUES = {
    "empty dict": {},
    "empty list": [],
    "nested empties": {"a": [], "b": {}, "c": [[], {}]},
    "plain": {"id": 1, "name": "x", "ok": True, "no": False, "none": None},
    "unicode": "Москва №1 — ☃ 😀 é",
    "controls": '\x00\x01\x08\t\n\x0b\x0c\r\x1a\x1f\x7f "quoted" back\\slash /slash',
    "line separators": "a\u2028b\u2029c",
    "html": "</script><!-- & ' >",
    "big ints": [2**63 - 1, -(2**63), 2**64 - 1],
    "beyond 64 bits": [2**64, -(2**63) - 1, 10**30],
    "floats": [0.0, -0.0, 1.0, 0.1, 1.5, 1e16, 1e-05, 2.5e-07, 123456789.125, 1e22, 5e-324, 1.7976931348623157e308],
    "float keys' neighbours": {"v": 1e16, "w": [1e-5, {"x": 0.00001}]},
    "float subclass": Score(1e-05),
    "nan": float("nan"),
    "infinity": [float("inf")],
    "decimals": [decimal.Decimal("1.10"), decimal.Decimal("1E+16"), decimal.Decimal("0.00001"), decimal.Decimal(0)],
    "decimal nan": decimal.Decimal("NaN"),
    "datetimes": [
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        dt.datetime(2024, 7, 2, 3, 4, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow")),
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        dt.datetime(1800, 1, 2, 3, 4, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow")),  # +02:30:17
        dt.datetime(999, 1, 2, 3, 4, 5, 100),
    ],
    "dates and times": [dt.date(2024, 2, 29), dt.date(5, 1, 1), dt.time(1, 2, 3), dt.time(0, 0, 0, 400)],
    "aware time": dt.time(1, 2, tzinfo=UTC),
    "timedeltas": [dt.timedelta(days=1, seconds=1.5), dt.timedelta(0), dt.timedelta(microseconds=-1)],
    "uuids": [uuid.UUID(int=0), uuid.UUID("6f1f1f5e-3c55-4c55-9a57-2a0c4f1d2b7e")],
    "bytes": b"caf\xc3\xa9",
    "bad bytes": b"\xff",
    "lazy string": gettext_lazy("This field is required."),
    "ip addresses": [
        ipaddress.ip_address("10.0.0.1"),
        ipaddress.ip_network("::/64"),
        ipaddress.ip_interface("1.2.3.4/8"),
    ],
    "generator": (n * 1.5 for n in range(3)),
    "tuple": (1, "a", (2.5,)),
    "set": {3},
    "enum": Color.RED,
    "str enum": [Kind.A],
    "int enum": {"level": Level.HIGH},
    "dataclass": Point(1),
    "str subclass": Name("n"),
    "non-str keys": {1: "a", 2.5: "b", False: "c", None: "d"},
    "object key": {uuid.UUID(int=1): 1},
    "ordered dict": collections.OrderedDict([("b", 1), ("a", 2)]),
    "reordered ordered dict": _reordered(),
    "serializer data": ReturnDict(
        {"a": 1.5, "b": ReturnList([{"c": dt.date(2024, 1, 1)}], serializer=None)}, serializer=None
    ),
    "surrogate": "\ud800",
    "none": None,
}


def _nested(depth: int, leaf) -> list:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


VALUES["deep"] = _nested(50, 1.5)
VALUES["deeper than orjson's limit"] = _nested(300, 1)
_circular: list = []
_circular.append(_circular)
VALUES["circular"] = _circular


def _render(renderer, value, media_type="application/json"):
    """The bytes, or the type and message of the error the renderer raises."""
    try:
        return renderer.render(value, media_type, {})
    except Exception as exc:
        return type(exc), str(exc)


def _fresh(name):
    if name == "generator":  # read once: each renderer gets its own
        return (n * 1.5 for n in range(3))
    return VALUES[name]


@pytest.mark.parametrize("media_type", ["application/json", "application/json; indent=2", "application/json; indent=0"])
@pytest.mark.parametrize("name", list(VALUES))
def test_value_renders_as_drf_renders_it(name, media_type):
    ours = _render(JSONRenderer(), _fresh(name), media_type)
    assert ours == _render(DRFJSONRenderer(), _fresh(name), media_type)


def test_renderer_is_every_api_default():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_RENDERER_CLASSES[0] is JSONRenderer
    assert issubclass(JSONRenderer, DRFJSONRenderer)  # renderer checks (DRF, drf-spectacular) still see JSON


def test_floats_are_written_in_json_spelling_not_orjson_spelling():
    assert (
        JSONRenderer().render({"a": 1e-05, "b": 1e16, "c": decimal.Decimal("2.50")}) == b'{"a":1e-05,"b":1e+16,"c":2.5}'
    )


def test_nan_is_refused_as_drf_refuses_it():
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        JSONRenderer().render({"a": [float("nan")]})


def test_a_plain_list_renders_as_drf_renders_a_list():
    rows = renderers.PlainList(
        [{"date": "2025-01-01", "services": [{"service": "Москва", "n": 2**40, "ok": True, "none": None}]}, [1, "a"]]
    )
    body = {"username": "u", "dates": rows}
    assert JSONRenderer().render(body) == DRFJSONRenderer().render(body)


@pytest.mark.parametrize(
    "leaf", [1e-05, 2.5, decimal.Decimal("1.5"), Kind.A, Level.HIGH, Name("x"), (1, 2), collections.OrderedDict(a=1)]
)
def test_a_plain_list_holding_another_leaf_is_refused_under_the_tests(leaf, settings):
    assert settings.JSON_VERIFY_PLAIN_LISTS  # config.settings.test
    with pytest.raises(TypeError, match="a PlainList holds"):
        JSONRenderer().render({"rows": renderers.PlainList([{"a": 1, "b": [leaf]}])})


# Path parameters of the schema's GET operations, from the demo data (seed_demo).
def _keys() -> dict[str, str]:
    import calculations.models as c
    import passports.models as p
    import routes.models as r
    import terminals.models as t
    from accounts.models import Process

    process = Process.objects.filter(user__username="demo").order_by("created_at").first()
    return {
        "process_code": process.process_code,
        "filename": "missing.txt",
        "rfid_card_id": p.Employee.objects.order_by("id").first().rfid_card_id,
        "internal_id": p.Protocol.objects.order_by("id").first().associated_unit_id,
        "schema_id": p.ProductionSchema.objects.order_by("id").first().schema_id,
        "stage_id": p.ProductionStage.objects.order_by("id").first().stage_id,
        "username": "demo",
        "shop_id": t.Shop.objects.order_by("id").first().shop_id,
        "terminal_id": t.Terminal.objects.order_by("id").first().terminal_id,
        "report_type_name": "STATISTICS",
        "chat_id": "100000001",
        "unit_name": r.Pizzeria.objects.order_by("id").first().name,
        "guid": str(c.Calculation.objects.order_by("pk").first().guid),
        "report_type_id": str(r.ReportType.objects.get(name="STATISTICS").id),
        "unit_id": str(r.Pizzeria.objects.order_by("id").first().id),
        "year_ago": (dt.date.today() - dt.timedelta(days=365)).isoformat(),
    }


# Query strings some operations need to answer their data (and not a 400).
QUERIES = {
    "/account/audit": "from=2000-01-01T00:00:00&limit=100",
    "/account/statistics": "from={year_ago}",
    "/routes/report-routes/units/": "report_type_id={report_type_id}&chat_id={chat_id}",
    "/routes/report-routes/telegram-chats/": "report_type_id={report_type_id}&unit_id={unit_id}",
    "/formula/calculations/write": "guid={guid}",
}


def _get_paths() -> list[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(path for path, operations in schema["paths"].items() if "get" in operations)


@pytest.fixture
def demo(db, settings):
    settings.ROUTES_TRUSTED_NETWORKS = []
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.models import User

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(User.objects.get(username='demo'))}")
    return client


def _same_bytes_as_drf(response) -> bool:
    """Assert the body is DRF's bytes; True when orjson wrote it (not the fallback)."""
    assert isinstance(response.accepted_renderer, JSONRenderer), response.accepted_renderer
    expected = DRFJSONRenderer().render(response.data, response.accepted_media_type, {})
    assert response.content == expected, response.wsgi_request.get_full_path()
    try:
        renderers._fix(response.data)
    except renderers._Slow:
        return False
    return "indent" not in response.accepted_media_type


@pytest.mark.django_db
def test_every_get_endpoint_body_is_drf_bytes(demo):
    keys = _keys()
    answered = collections.Counter()
    for template in _get_paths():
        path = template.format(**keys)
        query = QUERIES.get(template, "").format(**keys)
        for accept in ("application/json", "application/json; indent=2"):
            response = demo.get(f"{path}?{query}" if query else path, HTTP_ACCEPT=accept)
            if response.get("Content-Type", "").startswith("application/json") and hasattr(response, "data"):
                fast = _same_bytes_as_drf(response)
                answered[response.status_code, "orjson" if fast else "json"] += 1
    # Most operations answer a 200 with demo data written by orjson: the comparison is not vacuous.
    assert answered[200, "orjson"] >= 50, answered


@pytest.mark.django_db
def test_read_lists_sent_as_post_are_drf_bytes(demo):
    response = demo.post("/formula/calculations/list", {"currentQuantity": 1, "defaultQuantity": 100}, format="json")
    assert response.status_code == 200 and response.data["calculations"]
    assert _same_bytes_as_drf(response)
