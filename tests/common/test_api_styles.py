"""Each style module's handler table, and JSON errors under every prefix (DECISIONS §4)."""

import uuid

import pytest
from django.db import IntegrityError, OperationalError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.test import APIClient, APIRequestFactory

from common.api_styles import datawiz, feecc, style_for_path, unit_routes, vrt_account
from common.exceptions import ConflictError, NotAllowedError, NotFoundError

pytestmark = pytest.mark.django_db


def handle(style, exc):
    request = APIRequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = style.exception_handler(exc, {"request": request, "view": None})
    return response.status_code, response.data, response


ROUTES_TABLE = [
    (
        exceptions.ValidationError({"limit": ["bad"]}),
        400,
        {"message": "Validation error", "extra": {"fields": {"limit": ["bad"]}}},
    ),
    (NotFoundError("Chat by chat ID is not found"), 404, {"message": "Chat by chat ID is not found", "extra": {}}),
    (
        ConflictError("Chat with provided chat ID already exists"),
        409,
        {"message": "Chat with provided chat ID already exists", "extra": {}},
    ),
    (NotAllowedError("User has no any role"), 403, {"message": "User has no any role", "extra": {}}),
    (exceptions.ParseError("JSON parse error - x"), 400, {"message": "JSON parse error - x", "extra": {}}),
    (exceptions.NotAuthenticated(), 401, {"message": "Authentication credentials were not provided.", "extra": {}}),
    (Http404(), 404, {"message": "Not found.", "extra": {}}),
    (IntegrityError("dup"), 409, {"message": "The request conflicts with the current state of the data.", "extra": {}}),
    (OperationalError("down"), 503, {"message": "The database is unavailable; try again later.", "extra": {}}),
]


@pytest.mark.parametrize(("exc", "status", "body"), ROUTES_TABLE)
def test_unit_routes_handler_table(exc, status, body):
    code, data, _ = handle(unit_routes.STYLE, exc)
    assert (code, data) == (status, body)


FEECC_TABLE = [
    (exceptions.NotAuthenticated(), 401, {"detail": "Not authenticated"}),
    (exceptions.AuthenticationFailed(), 401, {"detail": "Could not validate credentials"}),
    (exceptions.PermissionDenied(), 403, {"detail": "insufficient permissions for current user"}),
    (
        exceptions.ValidationError({"page": ["A valid integer is required."]}),
        422,
        {"detail": [{"loc": ["body", "page"], "msg": "A valid integer is required.", "type": "value_error"}]},
    ),
    (
        NotFoundError("Not found", resource="passport"),
        404,
        {"status_code": 404, "detail": "Not found", "passport": None},
    ),
    (ConflictError("Unit is not built"), 409, {"detail": "Unit is not built"}),
    (exceptions.MethodNotAllowed("PUT"), 405, {"detail": "Method Not Allowed"}),
    (Http404(), 404, {"detail": "Not Found"}),
]


@pytest.mark.parametrize(("exc", "status", "body"), FEECC_TABLE)
def test_feecc_handler_table(exc, status, body):
    code, data, response = handle(feecc.STYLE, exc)
    assert (code, data) == (status, body)
    if status in (401, 403):
        assert response["WWW-Authenticate"] == "Bearer"


DATAWIZ_TABLE = [
    (exceptions.NotFound(), 404, {"detail": "Not found"}),
    (Http404(), 404, {"detail": "Not found"}),
    (
        exceptions.ValidationError([{}, {"name": ["This field is required."]}]),
        400,
        [{}, {"name": ["This field is required."]}],
    ),
    (ConflictError("Terminal is in use"), 409, {"detail": "Terminal is in use"}),
    (exceptions.NotAuthenticated(), 401, {"detail": "Authentication credentials were not provided."}),
]


@pytest.mark.parametrize(("exc", "status", "body"), DATAWIZ_TABLE)
def test_datawiz_handler_table(exc, status, body):
    code, data, _ = handle(datawiz.STYLE, exc)
    assert (code, data) == (status, body)


def _is_trace(trace):
    uuid.UUID(trace["process_code"])
    uuid.UUID(trace["request_code"])
    return (
        (trace["username"], trace["company"], trace["service"], trace["operation"])
        == ("anonymous", "unknown", "ACCOUNT", "unknown")
        and len(trace["env"]) >= 2
        and len(trace["pod"]) >= 2
        and trace["time"]
    )


def test_vrt_validation_error_is_general400_with_schema_errors():
    code, data, _ = handle(
        vrt_account.STYLE, exceptions.ValidationError({"ttl_seconds": ["Too small."], "a": {"b": ["x"]}})
    )
    assert code == 400
    assert _is_trace(data.pop("tracedata"))
    assert data == {
        "message": "Validation error",
        "schema_errors": [{"entity": "ttl_seconds", "message": "Too small."}, {"entity": "a.b", "message": "x"}],
    }


def test_vrt_not_found_is_general404_with_resource_key():
    code, data, _ = handle(vrt_account.STYLE, NotFoundError("missing", key="abc"))
    assert code == 404
    assert data["resource_key"] == "abc"
    assert set(data["detail"]) == {"tracedata"}
    assert _is_trace(data["detail"]["tracedata"])


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (NotAllowedError("Wrong password"), 403),
        (exceptions.Throttled(wait=7), 429),
        (exceptions.NotAuthenticated(), 401),
    ],
)
def test_vrt_other_errors_carry_tracedata_and_message(exc, status):
    code, data, response = handle(vrt_account.STYLE, exc)
    assert code == status
    assert set(data) == {"tracedata", "message"}
    assert _is_trace(data["tracedata"])
    if status == 429:
        assert response["Retry-After"] == "7"


@pytest.mark.parametrize(
    ("path", "style"),
    [
        ("/account/x", "vrt_account"),
        ("/routes/units/", "unit_routes"),
        ("/formula/x", "formula"),
        ("/api/v1/terminals/", "datawiz"),
        ("/api/v1/shops/1/", "datawiz"),
        ("/api/o/token/", "datawiz"),
        ("/api/v1/passports", "feecc"),
        ("/token", "feecc"),
        ("/api/v1/status", "feecc"),
        ("/admin/", None),
    ],
)
def test_style_is_found_by_the_longest_prefix(path, style):
    found = style_for_path(path)
    assert (found.name if found else None) == style


UNKNOWN_URLS = [
    ("/account/nope", 404, lambda b: b["resource_key"] is None and "tracedata" in b["detail"]),
    ("/routes/nope/", 404, lambda b: b == {"message": "Not found.", "extra": {}}),
    ("/formula/nope", 404, lambda b: b == {"detail": "Not found."}),
    ("/api/v1/terminals/x/y/z/w/", 404, lambda b: b == {"detail": "Not found"}),
    ("/api/v1/nope", 404, lambda b: b == {"detail": "Not Found"}),
]


@pytest.mark.parametrize(("path", "status", "check"), UNKNOWN_URLS)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_urls_answer_json_in_their_api_style(path, status, check, method):
    response = getattr(APIClient(), method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert check(response.json())


@pytest.mark.urls("tests.common.urls")
@pytest.mark.parametrize("prefix", ["account", "routes", "passports", "formula", "terminals"])
def test_each_base_view_answers_anonymous_in_its_style_with_bearer_challenge(prefix):
    response = APIClient().get(f"/__probe__/{prefix}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/json"


def test_api_write_without_trailing_slash_is_not_redirected():
    response = APIClient().post("/routes/units", {"a": 1}, format="json")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "extra": {}}
