"""A well-formed body naming a schema, unit or employee that does not exist is a 404 (issue 13 item 4).

passports.md Decision 25 maps "not found" to 404; the OpenAPI schema documents it, so a
schema-valid request is never answered 422 for a reference the client could not have known
was unknown. A malformed body is still a 422 that lists every field (the reference is checked
only once the shape is right).
"""

from __future__ import annotations

import pytest

from accounts.models import User
from passports.models import ProductionSchema, ProductionStage, Unit
from tests.passports.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_passport_with_an_unknown_schema_is_404(demo_client, schemas):
    response = demo_client.post("/api/v1/passports/", {"schema_id": "nope", "internal_id": "1"}, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "No schema with id nope"})
    assert not Unit.objects.exists()


def test_passport_patch_to_an_unknown_schema_is_404(demo_client, schemas):
    unit = UnitFactory(schema=schemas["board"], internal_id="1")
    response = demo_client.patch(
        f"/api/v1/passports/{unit.internal_id}/", {"schema_id": "nope", "internal_id": "1"}, format="json"
    )
    assert (response.status_code, response.json()) == (404, {"detail": "No schema with id nope"})
    unit.refresh_from_db()
    assert unit.schema_id == "board"


def test_a_malformed_body_with_an_unknown_schema_is_still_a_422_of_its_fields(demo_client, schemas):
    response = demo_client.post(
        "/api/v1/passports/", {"schema_id": "nope", "internal_id": "1", "status": "gone"}, format="json"
    )
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "status"]]


def test_stage_of_an_unknown_unit_is_404(demo_client, schemas):
    body = {"name": "x", "parent_unit_uuid": "nope", "ended_prematurely": False, "creation_time": "2023-07-20T10:00:00"}
    response = demo_client.post("/api/v1/stages/", body, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "No unit with uuid nope"})
    assert not ProductionStage.objects.exists()


def test_schema_with_an_unknown_parent_is_404(demo_client, schemas):
    body = {"schema_id": "z", "unit_name": "u", "schema_type": "t", "parent_schema_id": "nope"}
    response = demo_client.post("/api/v1/schemas/", body, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "No schema with id nope"})
    assert not ProductionSchema.objects.filter(schema_id="z").exists()


def test_user_linked_to_an_unknown_employee_is_404(demo_client):
    body = {"username": "good_name", "password": "long-enough-pass-1", "associated_employee": "x"}
    response = demo_client.post("/api/v1/users/", body, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "No employee with card id x"})
    assert not User.objects.filter(username="good_name").exists()


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/passports/", "post"),
        ("/api/v1/passports/{internal_id}/", "patch"),
        ("/api/v1/stages/", "post"),
        ("/api/v1/schemas/", "post"),
        ("/api/v1/users/", "post"),
    ],
)
def test_the_schema_documents_the_404(path, method):
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    assert "404" in {str(code) for code in spec["paths"][path][method]["responses"]}
