"""Inputs that must be a 4xx in the Feecc shape, never a 500."""

from __future__ import annotations

import pytest

from passports.models import ProductionStage
from tests.passports.factories import StageFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_nul_in_path_query_and_json_is_422(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"])
    stage = StageFactory(parent_unit=unit)
    path = demo_client.get("/api/v1/passports/ab%00cd")
    assert path.status_code == 422
    assert path.json() == {
        "detail": [{"loc": ["path", "internal_id"], "msg": "Null characters are not allowed.", "type": "value_error"}]
    }
    query = demo_client.get("/api/v1/passports/", {"name": "a\x00b"})
    assert query.status_code == 422 and query.json()["detail"][0]["loc"] == ["query", "name"]
    body = demo_client.patch(f"/api/v1/stages/{stage.stage_id}", {"additional_info": {"k": ["x\x00"]}}, format="json")
    assert body.status_code == 422 and body.json()["detail"][0]["loc"] == ["body", "additional_info"]
    stage.refresh_from_db()
    assert stage.additional_info == {}


@pytest.mark.parametrize(
    "query",
    [
        "date=9999-12-31T23:59:59-12:00",
        "date=0001-01-01",
        "date=99999999999999999999",
        "date=-1",
        "page=99999999999999999999999&items=5",
        "items=1.0",
        "types=%5B%5D",
        "name=" + "x" * 256,
        "sort_by_date=asc&sort_by_date=desc",
    ],
)
def test_odd_list_queries_never_500(demo_client, schemas, query):
    response = demo_client.get(f"/api/v1/passports/?{query}")
    assert response.status_code in (200, 422), response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "post",
            "/api/v1/passports/",
            {"schema_id": "board", "internal_id": "1", "creation_time": "0001-01-01T00:00:00+05:00"},
        ),
        ("post", "/api/v1/stages/", {"name": "x", "parent_unit_uuid": "nope", "ended_prematurely": "maybe"}),
        ("post", "/api/v1/schemas/", {"unit_name": "x", "schema_type": "y", "production_stages": [{"name": "s"}]}),
        ("post", "/api/v1/employees/decode", {"encoded_name": None}),
        ("post", "/api/v1/users/", {"username": "ab\x00cd", "password": "x" * 200}),
        ("post", "/api/v1/schemas/", {"unit_name": "x", "schema_type": "y", "parent_schema_id": "x\x00"}),
    ],
)
def test_odd_bodies_are_422(demo_client, schemas, method, path, body):
    response = getattr(demo_client, method)(path, body, format="json")
    assert response.status_code == 422, response.content
    assert isinstance(response.json()["detail"], list)
    assert not ProductionStage.objects.exists()


def test_unknown_feecc_url_is_a_json_404(demo_client):
    response = demo_client.get("/api/v1/passports/x/y/z")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_wrong_method_is_405(demo_client):
    response = demo_client.put("/api/v1/passports/", {}, format="json")
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})
