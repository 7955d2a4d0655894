"""The feecc style on its own: its error table, its paginator and its input policy.

The paginator and the policy are driven through ``APIRequestFactory`` (no view, no URL), so a
regression shows here before it shows in any endpoint's test.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.api_styles.base import QuerySetNotOrdered
from common.api_styles.feecc import STYLE, FeeccPagePagination
from common.exceptions import (
    ConflictError,
    FieldErrors,
    InvalidCredentialsError,
    NotAllowedError,
    NotFoundError,
    RateLimitedError,
    UpstreamError,
)
from common.parsers import JSONParser
from passports.models import Employee
from tests.passports.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def request_for(query: str = "") -> Request:
    request = Request(APIRequestFactory().get(f"/api/v1/employees{query}"))
    request.user = AnonymousUser()
    return request


def answer_of(exc: Exception):
    response = STYLE.exception_handler(exc, {"request": request_for(), "view": None})
    return response.status_code, response.data, response.headers.get("WWW-Authenticate")


def query_error(name: str, msg: str, error_type: str) -> dict:
    return {"detail": [{"loc": ["query", name], "msg": msg, "type": error_type}]}


# --- errors -------------------------------------------------------------------------------

ERRORS = [
    (exceptions.NotAuthenticated(), 401, {"detail": "Not authenticated"}, "Bearer"),
    (exceptions.AuthenticationFailed(), 401, {"detail": "Could not validate credentials"}, "Bearer"),
    (exceptions.PermissionDenied(), 403, {"detail": "insufficient permissions for current user"}, "Bearer"),
    (InvalidCredentialsError(), 401, {"detail": "Incorrect username or password"}, "Bearer"),
    (NotAllowedError("You can't grant the approve rule"), 403, {"detail": "You can't grant the approve rule"}, None),
    (NotFoundError(resource="passport"), 404, {"status_code": 404, "passport": None, "detail": "Not found"}, None),
    (NotFoundError(resource="stage"), 404, {"status_code": 404, "stage": None, "detail": "Not found"}, None),
    (
        NotFoundError("Not found: No schema for unit x", resource="schema"),
        404,
        {"status_code": 404, "prod_schema": None, "detail": "Not found: No schema for unit x"},
        None,
    ),
    (
        NotFoundError(resource="user"),
        404,
        {"status_code": 404, "user": None, "associated_employee": None, "detail": "Not found"},
        None,
    ),
    (
        NotFoundError("Employee with id 7 not found", resource="employee"),
        404,
        {"detail": "Employee with id 7 not found"},
        None,
    ),
    (ConflictError("Unit is not built"), 409, {"detail": "Unit is not built"}, None),
    (UpstreamError("Can't publish the protocol"), 502, {"detail": "Can't publish the protocol"}, None),
    (
        FieldErrors({"status": ["Only a transition changes it."]}),
        422,
        {"detail": [{"loc": ["body", "status"], "msg": "Only a transition changes it.", "type": "value_error"}]},
        None,
    ),
    (
        exceptions.ValidationError({"name": ["This field is required."]}),
        422,
        {"detail": [{"loc": ["body", "name"], "msg": "This field is required.", "type": "value_error"}]},
        None,
    ),
    (
        exceptions.ParseError("JSON parse error - x"),
        422,
        {"detail": [{"loc": ["body"], "msg": "JSON parse error - x", "type": "value_error.jsondecode"}]},
        None,
    ),
    (exceptions.MethodNotAllowed("PUT"), 405, {"detail": "Method Not Allowed"}, None),
    (exceptions.NotFound(), 404, {"detail": "Not Found"}, None),
]


@pytest.mark.parametrize(("exc", "status", "body", "challenge"), ERRORS)
def test_each_error_answers_its_status_body_and_challenge(exc, status, body, challenge):
    assert answer_of(exc) == (status, body, challenge)


def test_a_not_found_body_keeps_the_original_key_order():
    _, body, _ = answer_of(NotFoundError(resource="user"))
    assert list(body) == ["status_code", "user", "associated_employee", "detail"]


def test_a_rate_limited_error_says_when_to_retry():
    response = STYLE.exception_handler(RateLimitedError("Too many attempts.", retry_after=30), {"view": None})
    assert (response.status_code, response.data, response["Retry-After"]) == (
        429,
        {"detail": "Too many attempts."},
        "30",
    )


def test_unknown_urls_and_crashes_answer_starlette_texts():
    request = APIRequestFactory().get("/api/v1/nowhere")
    assert (STYLE.page_not_found(request).status_code, STYLE.page_not_found(request).content) == (
        404,
        b'{"detail": "Not Found"}',
    )
    assert (STYLE.server_error(request).status_code, STYLE.server_error(request).content) == (
        500,
        b'{"detail": "Internal Server Error"}',
    )


# --- the paginator ------------------------------------------------------------------------


@pytest.fixture
def employees():
    return [EmployeeFactory(rfid_card_id=f"card{n:02d}") for n in range(25)]


def page_of(query: str, queryset=None):
    paginator = FeeccPagePagination()
    queryset = Employee.objects.order_by("id") if queryset is None else queryset
    rows = paginator.paginate_queryset(queryset, request_for(query))
    return paginator, [row.rfid_card_id for row in rows]


def cards(start: int, stop: int) -> list[str]:
    return [f"card{n:02d}" for n in range(start, stop)]


PAGES = [
    ("", cards(0, 20)),  # page 1 of 20 by default
    ("?page=2", cards(20, 25)),
    ("?items=5", cards(0, 5)),
    ("?page=3&items=10", cards(20, 25)),
    ("?page=2&items=25", []),  # past the end: empty, the count still says how many match
    ("?page=99", []),
    ("?items=1000", cards(0, 25)),
    ("?page=1&page=2", cards(20, 25)),  # the last of repeated parameters wins
    ("?page=1.0", cards(0, 20)),  # FastAPI's int reads "1.0" too
]


@pytest.mark.parametrize(("query", "expected"), PAGES)
def test_a_page_is_the_slice_of_the_ordered_rows(employees, query, expected):
    paginator, rows = page_of(query)
    assert (rows, paginator.count) == (expected, 25)


BAD_PAGES = [
    ("?page=", query_error("page", "A valid integer is required.", "value_error")),
    ("?items=", query_error("items", "A valid integer is required.", "value_error")),
    ("?page=0", query_error("page", "Ensure this value is greater than or equal to 1.", "value_error.number.not_ge")),
    ("?items=0", query_error("items", "Ensure this value is greater than or equal to 1.", "value_error.number.not_ge")),
    (
        "?items=1001",
        query_error("items", "Ensure this value is less than or equal to 1000.", "value_error.number.not_le"),
    ),
    ("?page=two", query_error("page", "A valid integer is required.", "value_error")),
]


@pytest.mark.parametrize(("query", "body"), BAD_PAGES)
def test_bad_page_parameters_are_422_under_query(employees, query, body):
    with pytest.raises(exceptions.ValidationError) as raised:
        page_of(query)
    assert answer_of(raised.value) == (422, body, None)


def test_an_unordered_queryset_is_refused(employees):
    with pytest.raises(QuerySetNotOrdered):
        page_of("", Employee.objects.all().order_by())


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("?items=1000", 1),  # the page shows the end: its length is the count
        ("?page=2&items=10", 2),  # a full page: the count is asked for
        ("?page=3&items=10", 1),  # the last page, 5 rows
        ("?page=9", 2),  # past the end: the empty page, then the count
    ],
)
def test_a_page_costs_the_page_query_and_a_count_only_when_the_page_cannot_tell(employees, query, count):
    with CaptureQueriesContext(connection) as queries:
        paginator, _ = page_of(query)
    assert (len(queries), paginator.count) == (count, 25)


def test_the_page_answer_is_the_envelope_with_count_and_data(employees):
    paginator, _ = page_of("?items=2")
    response = paginator.get_paginated_response([{"a": 1}])
    assert response.data == {"status_code": 200, "detail": "Success", "count": 25, "data": [{"a": 1}]}


def test_the_paginator_documents_the_parameters_it_reads():
    parameters = FeeccPagePagination().get_schema_operation_parameters()
    assert [(p["name"], p["in"], p["schema"]) for p in parameters] == [
        ("page", "query", {"type": "integer", "minimum": 1}),
        ("items", "query", {"type": "integer", "minimum": 1, "maximum": 1000}),
    ]


# --- the input policy ---------------------------------------------------------------------


class _Query(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)
    count = serializers.IntegerField(required=False)


class _Body(serializers.Serializer):
    name = serializers.CharField()


def test_a_repeated_query_parameter_keeps_its_last_value():
    assert STYLE.parse_query(request_for("?name=a&name=b&count=1&count=2"), _Query) == {"name": "b", "count": 2}


def test_an_empty_query_parameter_is_the_empty_string():
    assert STYLE.parse_query(request_for("?name="), _Query) == {"name": ""}


def test_a_query_error_is_located_under_query():
    with pytest.raises(exceptions.ValidationError) as raised:
        STYLE.parse_query(request_for("?count=x"), _Query)
    assert answer_of(raised.value) == (422, query_error("count", "A valid integer is required.", "value_error"), None)


def test_a_body_error_is_located_under_body():
    request = Request(APIRequestFactory().post("/api/v1/employees", {}, format="json"), parsers=[JSONParser()])
    with pytest.raises(exceptions.ValidationError) as raised:
        STYLE.parse_body(request, _Body)
    body = {"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "value_error.missing"}]}
    assert answer_of(raised.value) == (422, body, None)


@pytest.mark.parametrize("value", ["a\x00b", "\x00"])
def test_a_nul_in_a_path_value_is_422_under_path(value):
    with pytest.raises(exceptions.ValidationError) as raised:
        STYLE.check_path({"internal_id": value, "other": "fine"})
    body = {
        "detail": [{"loc": ["path", "internal_id"], "msg": "Null characters are not allowed.", "type": "value_error"}]
    }
    assert answer_of(raised.value) == (422, body, None)


def test_a_path_without_nul_passes():
    assert STYLE.check_path({"internal_id": "4600000000004"}) is None


def test_a_nul_in_a_path_is_refused_through_http(viewer_client):
    response = viewer_client.get("/api/v1/passports/ab%00c")
    body = {
        "detail": [{"loc": ["path", "internal_id"], "msg": "Null characters are not allowed.", "type": "value_error"}]
    }
    assert (response.status_code, response.json()) == (422, body)
