"""Bad input on every API (issue 8, item 4): never a 500, never HTML, never a partial write.

Table-driven from each app's authorization rows (``tests/<app>/authz.py``): every write
endpoint and every read endpoint the demo user may call, with the objects its ``setup``
creates. Each row is one test; inside it every mutation of that row — malformed JSON, other
content types, JSON of the wrong type, and for every body field, query parameter and path
placeholder huge integers, invalid UUIDs, unicode, control characters and very long strings —
runs in its own savepoint (rolled back), so one setup serves them all and the suite stays fast.

Each answer must be a 4xx in that API's own error shape, or a clean 2xx where the input is
legitimately fine (a unicode name); after any 4xx, no table of the project changed its row count.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django.apps import apps
from django.db import connection, transaction

from tests.authz import Row

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "routes", "passports", "calculations", "terminals", "auth")

# --- the bad values ---------------------------------------------------------------------------

LONG = "x" * 100_000
VALUES: dict[str, Any] = {
    "int63": 2**63,
    "neg_int63": -(2**63) - 1,
    "int100": 10**100,
    "float_huge": 1e308,
    "nan_text": "NaN",
    "nul": "a\x00b",
    "escape_ls": "\x1b[31mred\u2028line",
    "unicode": "😀 שלום مرحبا e\u0301\u200f",
    "bad_uuid": "not-a-uuid-0000",
    "long": LONG,
    "list": ["x"],
    "object": {"x": 1},
    "null": None,
    "bool": True,
}
# Values that fit in a query string or a path segment.
TEXT_VALUES: dict[str, str] = {
    "int63": str(2**63),
    "int100": str(10**100),
    "neg": "-" + "9" * 30,
    "nul": "a\x00b",
    "escape_ls": "\x1b[31m\u2028",
    "unicode": "😀שלום e\u0301",
    "bad_uuid": "not-a-uuid-0000",
    "long": "y" * 3000,
}


@dataclass(frozen=True)
class Request:
    """One bad request: what is sent and which statuses are acceptable (``None`` = 2xx or 4xx)."""

    name: str
    method: str
    path: str
    content: Any = None
    content_type: str | None = None  # ``None``: ``content`` is a Python object sent as JSON
    expected: frozenset[int] | None = None


FOUR_XX = frozenset(range(400, 500))


def _encode(content, content_type):
    if content_type is None:
        return json.dumps(content), "application/json"
    return content, content_type


def body_requests(method: str, path: str, data: Any, form: bool, *, nan_is_null: bool = False) -> list[Request]:
    """Whole-body mutations: broken or foreign encodings and JSON of the wrong type.

    ``nan_is_null``: the API reads ``NaN``/``Infinity`` as null (Datawiz only, issue 13), so the
    ``nan`` body is an object of unknown keys there, answered like ``empty_object``.
    """
    plain = json.dumps(data) if not form else urlencode(data or {})
    strict = FOUR_XX if data is not None else None  # a view that reads no body may ignore it
    out = [
        Request("malformed_json", method, path, '{"a": [1, 2', "application/json", strict),
        Request("truncated_utf8", method, path, b'{"a": "\xff\xfe"}', "application/json", strict),
        # ``json`` raises RecursionError past ~1000 levels: was a 500 (common/parsers.py).
        Request("deep_nesting", method, path, "[" * 5000 + "]" * 5000, "application/json", strict),
        Request("nan", method, path, '{"a": NaN, "b": 1e999999}', "application/json", None if nan_is_null else strict),
        Request("utf16_charset", method, path, b'{"a": "b"}', "application/json; charset=utf-16"),
        Request("unknown_charset", method, path, b'{"a": "\xe9"}', "application/json; charset=nope"),
        Request("no_content_type", method, path, b"{}", ""),
        Request("xml", method, path, '<?xml version="1.0"?><a><b>1</b></a>', "application/xml", strict),
        Request("text_plain", method, path, plain, "text/plain", None if form else strict),
        Request(
            "form",
            method,
            path,
            urlencode(data) if isinstance(data, dict) else "a=1",
            "application/x-www-form-urlencoded",
        ),
        Request(
            "multipart",
            method,
            path,
            '--BoUnDaRy\r\nContent-Disposition: form-data; name="a"\r\n\r\n\x00\u2028\r\n--BoUnDaRy--\r\n',
            "multipart/form-data; boundary=BoUnDaRy",
        ),
        Request("broken_multipart", method, path, "--nope\r\n\r\n", "multipart/form-data; boundary=BoUnDaRy"),
        Request("null_body", method, path, None),
        Request("string_body", method, path, "just a string"),
        Request("string_body_controls", method, path, "\x00\x1b\u2028" * 10),
        Request("string_body_unicode", method, path, "😀 שלום e\u0301" * 3),
        Request("string_body_long", method, path, LONG),
        Request("number_body", method, path, 10**100),
        Request("empty_object", method, path, {}),
        Request("empty_list", method, path, []),
    ]
    # A list where an object is expected, and an object where a list is.
    out.append(Request("wrapped_in_list", method, path, [data]) if not isinstance(data, list) else None)
    out.append(Request("wrapped_in_object", method, path, {"items": data}))
    return [r for r in out if r is not None]


def field_requests(method: str, path: str, data: Any, form: bool) -> list[Request]:
    """Every top-level field (or list item) of a valid body replaced by each bad value."""
    out = []
    if isinstance(data, list) and data and isinstance(data[0], dict):
        # A bulk body: every field of its first item.
        for key in data[0]:
            for name, value in VALUES.items():
                out.append(Request(f"[0].{key}={name}", method, path, [{**data[0], key: value}, *data[1:]]))
        return out
    if isinstance(data, dict):
        slots = list(data)
    elif isinstance(data, list):
        slots = list(range(len(data)))
    else:
        return out
    for slot in slots:
        for name, value in VALUES.items():
            if form and not isinstance(value, (str, int, bool)):
                continue
            bad = dict(data) if isinstance(data, dict) else list(data)
            bad[slot] = value
            if isinstance(data, list) and isinstance(data[slot], dict):
                continue
            if form:
                content = urlencode({k: ("true" if v is True else v) for k, v in bad.items()})
                out.append(Request(f"{slot}={name}", method, path, content, "application/x-www-form-urlencoded"))
            else:
                out.append(Request(f"{slot}={name}", method, path, bad))
        # Nested lists (one level): their first item (a scalar, or each field of an object).
        nested = data[slot] if isinstance(data, dict) else None
        if isinstance(nested, list) and nested and not isinstance(nested[0], (dict, list)) and not form:
            for name in ("int63", "int100", "nul", "unicode", "bad_uuid", "object", "null"):
                out.append(Request(f"{slot}[0]={name}", method, path, {**data, slot: [VALUES[name], *nested[1:]]}))
        if isinstance(nested, list) and nested and isinstance(nested[0], dict) and not form:
            for key in nested[0]:
                for name in ("int63", "int100", "nul", "unicode", "long", "bad_uuid", "object", "null"):
                    item = {**nested[0], key: VALUES[name]}
                    out.append(Request(f"{slot}[0].{key}={name}", method, path, {**data, slot: [item]}))
    return out


def query_requests(method: str, path: str, data: Any, fmt: str | None) -> list[Request]:
    """Every query parameter replaced by each bad text value."""
    base, _, query = path.partition("?")
    params = parse_qsl(query, keep_blank_values=True)
    out = []
    for index, (key, _value) in enumerate(params):
        for name, value in TEXT_VALUES.items():
            bad = list(params)
            bad[index] = (key, value)
            out.append(Request(f"?{key}={name}", method, f"{base}?{urlencode(bad)}", _body(data), _fmt(fmt)))
    return out


def _fmt(fmt):
    return None if fmt == "json" else "form"


NO_BODY = object()


def path_requests(row: Row, values: dict, data: Any) -> list[Request]:
    """Every ``{placeholder}`` of the path replaced by each bad text value (percent-encoded)."""
    out = []
    for placeholder in re.findall(r"{(\w+)}", row.path):
        for name, value in TEXT_VALUES.items():
            filled = row.path.format(**{**values, placeholder: quote(value, safe="")})
            out.append(Request(f"{{{placeholder}}}={name}", row.method, filled, _body(data), _fmt(row.format)))
    return out


# --- the checks -------------------------------------------------------------------------------


def _table_counts() -> tuple[int, ...]:
    """One query: the row count of every table of the project's apps."""
    tables = [m._meta.db_table for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]
    tables += [
        f._meta.db_table if hasattr(f, "_meta") else None
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS
        for f in [x.remote_field.through for x in m._meta.local_many_to_many]
    ]
    sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in sorted({t for t in tables if t}))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _body(data):
    return NO_BODY if data is None else data


def _send(client, request: Request):
    method = getattr(client, request.method.lower())
    if request.content is NO_BODY:
        return method(request.path)
    if request.content_type == "form":  # the row's own (form) encoding
        return method(request.path, request.content)
    content, content_type = _encode(request.content, request.content_type)
    return client.generic(request.method, request.path, content, content_type=content_type)


def run_rows(client, requests: list[Request], check_body: Callable[[str, int, Any], str | None]) -> list[str]:
    """Send each request in a rolled-back savepoint; return what went wrong."""
    problems = []
    for request in requests:
        with transaction.atomic():
            before = _table_counts()
            try:
                response = _send(client, request)
            except Exception as exc:  # an exception escaping the view is the bug
                problems.append(f"{request.name}: raised {exc.__class__.__name__}: {exc}"[:300])
                transaction.set_rollback(True)
                continue
            status = response.status_code
            problem = _check(request, response, check_body)
            if problem is None and 400 <= status < 500 and _table_counts() != before:
                problem = "a 4xx answer wrote rows"
            if problem:
                problems.append(f"{request.name}: {status} {problem} {response.content[:200]!r}")
            transaction.set_rollback(True)
    return problems


def _check(request: Request, response, check_body) -> str | None:
    status = response.status_code
    content_type = response.get("Content-Type", "")
    if status >= 500:
        return "server error"
    if "html" in content_type or b"<html" in response.content[:500].lower():
        return "HTML answer"
    expected = request.expected if request.expected is not None else FOUR_XX | frozenset(range(200, 300))
    if status not in expected:
        return f"unexpected status (wanted {sorted(expected)[:3]}…)"
    if 200 <= status < 300:
        if response.content and content_type.startswith("application/json"):
            json.loads(response.content)
        return None
    if not content_type.startswith("application/json"):
        return f"error answered as {content_type!r}"
    return check_body(request.path, status, json.loads(response.content))


# --- the body shapes of each API (common/api_styles/*.py, docs/api-styles.md) -------------------


def vrt_shape(path, status, body) -> str | None:
    if status == 404 and set(body) == {"resource_key", "detail"}:
        return None if set(body["detail"]) == {"tracedata"} else "General404 without tracedata"
    keys = {"tracedata", "message", "schema_errors"} if status == 400 else {"tracedata", "message"}
    if set(body) != keys:
        return f"not a VRt General{status}: keys {sorted(body)}"
    if not body["message"] or set(body["tracedata"]) < {"process_code", "request_code", "operation", "service"}:
        return "VRt error without a message or a full tracedata"
    return None


def routes_shape(path, status, body) -> str | None:
    if set(body) != {"message", "extra"} or not isinstance(body["extra"], dict) or not body["message"]:
        return "not {message, extra}"
    return None


def feecc_shape(path, status, body) -> str | None:
    if not isinstance(body, dict) or "detail" not in body:
        return "no detail"
    detail = body["detail"]
    if status == 422 and isinstance(detail, list):
        if not detail or not all(set(item) == {"loc", "msg", "type"} for item in detail):
            return "422 detail items are not {loc, msg, type}"
        return None
    return None if isinstance(detail, str) and detail else "detail is not a message"


def _field_errors(body) -> bool:
    """DRF's field-error dict: every value a list of messages, or (nested) dicts/lists of them."""
    if isinstance(body, dict):
        return bool(body) and all(_field_errors(v) or isinstance(v, str) for v in body.values())
    if isinstance(body, list):
        return all(isinstance(v, str) or _field_errors(v) or v == {} for v in body)
    return False


def formula_shape(path, status, body) -> str | None:
    if isinstance(body, dict) and set(body) == {"detail"}:
        return None if isinstance(body["detail"], str) and body["detail"] else "empty detail"
    return None if isinstance(body, dict) and _field_errors(body) else "neither {detail} nor field errors"


def datawiz_shape(path, status, body) -> str | None:
    if path.startswith("/api/o/token/") and status == 400:
        return None if "error" in body and set(body) <= {"error", "error_description"} else "not RFC 6749"
    if isinstance(body, dict) and set(body) == {"detail"}:
        return None if isinstance(body["detail"], str) and body["detail"] else "empty detail"
    if isinstance(body, list):
        return None if body and all(isinstance(item, dict) for item in body) else "bulk errors not per item"
    return None if _field_errors(body) else "neither {detail} nor field errors"


# --- the tables -------------------------------------------------------------------------------

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
DEMO_OK = {"anonymous": 401, "demo": 200, "viewer": 200, "admin": 200, "other": 200}


def _extra(method: str, path: str, data=None, fmt: str | None = "json") -> Row:
    return Row(method, path, DEMO_OK, data=data, format=fmt)


# Fuller bodies and query strings than the authz rows carry: every integer, UUID and nested
# field of the main write and list operations gets the bad values too.
EXTRA_ROWS: dict[str, list[Row]] = {
    "accounts": [
        _extra("POST", "/account/token/generation", {"username": "demo", "password": "x" * 12, "ttl_seconds": 3600}),
        _extra(
            "PUT",
            "/account/info",
            {
                "specification": "Spec",
                "email": "demo@example.com",
                "phone": "+71234567890",
                "attributes": [{"key": "k", "value": "v"}],
            },
        ),
        _extra(
            "GET",
            "/account/audit?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z&offset=0&limit=10"
            "&operation=run&service=ROUTING&process_type=PLAN&status=FAILED&sort_field=time&sort_direction=DESC",
        ),
        _extra("GET", "/account/data/{demo_process}?data_flow_stage=RAW&data_flow_type=INPUT"),
        _extra("GET", "/account/statistics?from=2026-11-01&to=2026-11-30&service=&process_type="),
    ],
    "routes": [
        _extra("GET", "/routes/units/?limit=10&offset=0"),
        _extra("GET", "/routes/telegram-chats/?limit=10&offset=0"),
        _extra("GET", "/routes/report-types/?limit=10&offset=0"),
        _extra("GET", "/routes/roles/users/{chat_id}/units/?limit=10&offset=0&region_id=1"),
        _extra("GET", "/routes/users/{chat_id}/units/?region_id=1"),
        _extra(
            "DELETE",
            "/routes/report-routes/?chat_id={chat_id}&report_type_id={type_id}&unit_ids={unit_id}"
            "&unit_ids={unit_id}&user_chat_id={chat_id}",
        ),
    ],
    "passports": [
        _extra("GET", "/api/v1/passports/?page=1&items=5&name=x&date=2023-07-20&types=Boards&status=built"),
        _extra("GET", "/api/v1/employees?page=1&items=5"),
        _extra("POST", "/token?keep_session=true", {"username": "demo", "password": "x" * 12}, None),
        _extra(
            "POST",
            "/api/v1/passports",
            {
                "schema_id": "board",
                "internal_id": "777",
                "uuid": "u-777",
                "components_internal_ids": ["4600000000008"],
                "creation_time": "2023-07-20T10:00:00Z",
                "serial_number": "S-7",
                "model": "M",
            },
        ),
        _extra(
            "POST",
            "/api/v1/schemas",
            {
                "schema_id": "new-schema",
                "unit_name": "New",
                "schema_type": "Boards",
                "production_stages": [{"name": "s", "stage_id": "st-1", "duration_seconds": 60}],
                "required_components_schema_ids": ["board"],
            },
        ),
        _extra("PATCH", "/api/v1/stages/{stage}", {"completed": True, "number": 3, "employee_name": "N"}),
    ],
    "calculations": [
        _extra(
            "POST",
            "/formula/calculations/list",
            {
                "search": "x",
                "productIDs": ["00000000-0000-0000-0000-000000000001"],
                "create_date_start": "2025-01-01",
                "currentQuantity": 1,
                "defaultQuantity": 20,
            },
        ),
        _extra(
            "POST",
            "/formula/calculations/write",
            lambda v: {
                "status": "NEW",
                "productID": v["product"],
                "comment": "c",
                "components": [{"componentID": v["component"], "type": "EQUAL", "massPercent": 60}],
                "technicalRequirements": [{"indicatorID": v["indicator"], "decimalPlaces": 2, "factValue": 1.5}],
            },
        ),
    ],
    "terminals": [
        _extra("GET", "/api/v1/terminals/?page=1&page_size=10&search=x&shop_id=1&ordering=name"),
        _extra("GET", "/api/v1/shops/?page=1&page_size=10&search=x&ordering=-name"),
        _extra(
            "POST", "/api/o/token/", {"grant_type": "refresh_token", "refresh_token": "a.b.c", "client_id": "c"}, None
        ),
        _extra(
            "POST",
            "/api/v1/shops/",
            {
                "shop_id": "8",
                "name": "Shop 8",
                "address": "Street 1",
                "open_date": "2020-01-01",
                "longitude": "30.5",
                "latitude": 50.45,
                "format_id": "f",
                "group_id": "g",
            },
        ),
        _extra(
            "POST",
            "/api/v1/terminals/",
            [{"terminal_id": "9-1", "shop_id": "2", "name": "N"}, {"terminal_id": "9-2", "shop_id": "1", "name": "M"}],
        ),
    ],
}


def _extra_values(app: str) -> dict:
    """Placeholder values the extra rows need beyond the authz setup's."""
    if app != "calculations":
        return {}
    from calculations.reference import S
    from calculations.services.catalogs import formula_catalogs_ensure
    from tests.calculations.helpers import CODE

    formula_catalogs_ensure()
    return {"product": str(S(39)), "component": str(S(7)), "indicator": next(iter(CODE.values()))}


def _rows(app: str) -> list:
    module = importlib.import_module(f"tests.{app}.authz")
    rows = []
    for row in module.ROWS:
        if row.method in ("HEAD", "OPTIONS") or not 200 <= row.expected["demo"] < 300:
            continue
        if row.method == "GET" and "?" not in row.path and "{" not in row.path:
            continue  # a read without parameters takes no input
        rows.append(pytest.param(row, id=row.id))
    rows += [pytest.param(row, id=f"{row.id} (full)") for row in EXTRA_ROWS.get(app, [])]
    return rows


def requests_for(row: Row, values: dict, *, nan_is_null: bool = False) -> list[Request]:
    path = row.path.format(**values)
    data = row.data(values) if callable(row.data) else row.data
    form = row.format is None and data is not None
    out = []
    if row.method in WRITES:
        out += body_requests(row.method, path, data, form, nan_is_null=nan_is_null)
        out += field_requests(row.method, path, data, form)
    out += query_requests(row.method, path, data, row.format)
    out += path_requests(row, values, data)
    return out


@pytest.fixture
def bad_input(request, settings):
    """Run every bad request of a row as the demo user; fail listing every problem."""
    settings.ROUTES_TRUSTED_NETWORKS = []

    def run(app: str, row: Row, check_body) -> None:
        module = importlib.import_module(f"tests.{app}.authz")
        users = {
            "anonymous": None,
            "demo": request.getfixturevalue("demo_user"),
            "viewer": request.getfixturevalue("viewer_user"),
            "admin": request.getfixturevalue("admin_user"),
            "other": request.getfixturevalue("other_user"),
        }
        values = {**module.setup(users), **_extra_values(app)}
        client = request.getfixturevalue("demo_client")
        requests = requests_for(row, values, nan_is_null=app == "terminals")
        assert requests, row.id
        problems = run_rows(client, requests, check_body)
        assert not problems, f"{row.id}: {len(problems)} of {len(requests)} failed:\n" + "\n".join(problems)

    return run


@pytest.mark.parametrize("row", _rows("accounts"))
def test_vrt_account_bad_input(bad_input, row):
    bad_input("accounts", row, vrt_shape)


@pytest.mark.parametrize("row", _rows("routes"))
def test_unit_routes_bad_input(bad_input, row):
    bad_input("routes", row, routes_shape)


@pytest.mark.parametrize("row", _rows("passports"))
def test_feecc_bad_input(bad_input, row):
    bad_input("passports", row, feecc_shape)


@pytest.mark.parametrize("row", _rows("calculations"))
def test_formula_bad_input(bad_input, row):
    bad_input("calculations", row, formula_shape)


@pytest.mark.parametrize("row", _rows("terminals"))
def test_datawiz_bad_input(bad_input, row):
    bad_input("terminals", row, datawiz_shape)


# --- bad credentials in the Authorization header ----------------------------------------------

READS = {
    "/account/info": vrt_shape,
    "/routes/units/": routes_shape,
    "/api/v1/passports/": feecc_shape,
    "/formula/catalogs/users/current": formula_shape,
    "/api/v1/terminals/": datawiz_shape,
}
AUTHORIZATIONS = [
    "Bearer",
    "Bearer ",
    "Bearer a\x00b",
    "Bearer \x1b[31m\u2028",
    "Bearer 😀.שלום.e\u0301",
    "Bearer " + "a" * 20_000,
    "Bearer a.b.c",
    "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoxfQ.",
    "Bearer x y z",
    'Bearer ""',
    "Token abc",
    "Basic !!!not-base64",
    "Basic " + "ZGVtbzp3cm9uZy1wYXNzd29yZA==",
]


@pytest.mark.parametrize("path", sorted(READS))
def test_a_bad_authorization_header_is_a_401_in_the_api_style(api_client, demo_user, path, settings):
    settings.ROUTES_TRUSTED_NETWORKS = []
    problems = []
    for header in AUTHORIZATIONS:
        # As a WSGI server hands it over: the raw bytes (UTF-8 here) decoded as latin-1.
        response = api_client.get(path, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
        problem = _check(Request(repr(header)[:40], "GET", path, expected=frozenset({401})), response, READS[path])
        if problem:
            problems.append(f"{header[:40]!r}: {response.status_code} {problem} {response.content[:200]!r}")
    assert not problems, "\n".join(problems)
