"""Faults answered in each API's own shape (issue 8): database down, oversized bodies, bad JSON."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import bearer_client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.urls")]

PROBES = {
    "account": lambda body: set(body) == {"tracedata", "message"},
    "routes": lambda body: body == {"message": "The database is unavailable; try again later.", "extra": {}},
    "passports": lambda body: body == {"detail": "The database is unavailable; try again later."},
    "formula": lambda body: body == {"detail": "The database is unavailable; try again later."},
    "terminals": lambda body: body == {"detail": "The database is unavailable; try again later."},
}


@pytest.mark.parametrize("prefix", sorted(PROBES))
def test_database_unavailable_is_a_503_in_the_api_style(prefix, demo_user, database_down):
    client = bearer_client(demo_user)
    database_down()
    response = client.get(f"/__probe__/{prefix}/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert PROBES[prefix](response.json())


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/routes/units/", lambda b: b == {"message": "Request body is too large.", "extra": {}}),
        ("/formula/calculations/write", lambda b: b == {"detail": "Request body is too large."}),
        ("/api/v1/terminals/", lambda b: b == {"detail": "Request body is too large."}),
        ("/api/v1/passports", lambda b: b == {"detail": "Request body is too large."}),
        ("/account/info", lambda b: b["message"] == "Request body is too large." and "tracedata" in b),
    ],
)
def test_body_over_the_size_limit_is_a_413_in_the_api_style(path, check, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = settings.DATAWIZ_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = APIClient().post(path, "x" * 2000, content_type="application/json")
    assert response.status_code == 413
    assert check(response.json())
