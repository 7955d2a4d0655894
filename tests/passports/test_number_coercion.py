"""Feecc reads a number sent for a text field as its text, as the original's pydantic v1 did,
and the schema says so (issue 13 item 4); booleans are refused, and constrained fields stay text."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from passports.models import Employee

pytestmark = pytest.mark.django_db


def test_a_number_for_a_text_field_is_stored_as_its_text(demo_client):
    response = demo_client.post(
        "/api/v1/employees/", {"rfid_card_id": 1234, "name": "Ivan", "position": 0}, format="json"
    )
    assert response.status_code == 200, response.content
    employee = Employee.objects.get(rfid_card_id="1234")
    assert (employee.name, employee.position) == ("Ivan", "0")


def test_a_boolean_for_a_text_field_is_refused(demo_client):
    response = demo_client.post(
        "/api/v1/employees/", {"rfid_card_id": "1", "name": "Ivan", "position": True}, format="json"
    )
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "position"]]
    assert not Employee.objects.exists()


def test_the_schema_documents_the_coercion_only_where_any_number_fits():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    position = components["EmployeeInputRequest"]["properties"]["position"]
    assert [branch["type"] for branch in position["oneOf"]] == ["string", "number"]
    # Responses are text; constrained request fields (a username's pattern, an EAN-13 id) too.
    assert components["EmployeeOutput"]["properties"]["position"]["type"] == "string"
    assert components["FeeccUserInputRequest"]["properties"]["username"]["type"] == "string"
    assert components["PassportCreateInputRequest"]["properties"]["internal_id"]["type"] == "string"
