"""The vrt_account style on its own: its input policy and the error bodies it renders."""

import uuid

import pytest
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.serializers import AccountStringField, BlankIsNoneChoiceField
from common.api_styles.vrt_account import STYLE, operation_of
from common.exceptions import (
    ApplicationError,
    FieldErrors,
    InvalidCredentialsError,
    NotAllowedError,
    NotFoundError,
)
from common.fields import StrictIntegerField

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()


class QuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=10, default=5)
    name = serializers.CharField(min_length=3, required=False)
    kind = BlankIsNoneChoiceField(choices=["A", "B"])


class BodySerializer(serializers.Serializer):
    ttl = StrictIntegerField(accept_text=False, min_value=60, default=86400)
    name = AccountStringField(max_length=8, required=False)


def parse_query(query: str):
    request = Request(factory.get(f"/account/x?{query}"))
    try:
        return dict(STYLE.parse_query(request, QuerySerializer))
    except exceptions.ValidationError as exc:
        return exc.detail


def parse_body(body):
    request = Request(factory.post("/account/x", body, format="json"), parsers=[JSONParser()])
    try:
        return dict(STYLE.parse_body(request, BodySerializer))
    except exceptions.ValidationError as exc:
        return exc.detail


QUERY_TABLE = [
    ("", {"limit": 5}),
    ("limit=3", {"limit": 3}),
    ("limit=3&limit=7", {"limit": 7}),  # repeated: the last value wins
    ("limit=", {"limit": ["This field may not be blank."]}),  # an empty integer is refused
    ("name=", {"name": ["This field may not be blank."]}),
    ("kind=", {"limit": 5, "kind": None}),  # an empty filter means "all"
    ("kind=B", {"limit": 5, "kind": "B"}),
    ("kind=C", {"kind": ['"C" is not a valid choice.']}),
    ("unknown=", {"limit": 5}),  # an undeclared parameter is ignored, even blank
    ("limit=x", {"limit": ["A valid integer is required."]}),
]


@pytest.mark.parametrize(("query", "expected"), QUERY_TABLE)
def test_query_policy_reads_each_parameter_as_the_table_says(query, expected):
    assert parse_query(query) == expected


BODY_TABLE = [
    ({}, {"ttl": 86400}),
    ({"ttl": 3600}, {"ttl": 3600}),
    ({"ttl": "3600"}, {"ttl": ["A valid integer is required."]}),  # JSON only: text is no integer
    ({"ttl": 3600.5}, {"ttl": ["A valid integer is required."]}),
    ({"ttl": True}, {"ttl": ["A valid integer is required."]}),
    ({"ttl": 59}, {"ttl": ["Ensure this value is greater than or equal to 60."]}),
    ({"name": "abc"}, {"ttl": 86400, "name": "abc"}),
    ({"name": 0}, {"name": ["Must be a string."]}),
    ({"name": ["abc"]}, {"name": ["Must be a string."]}),
]


@pytest.mark.parametrize(("body", "expected"), BODY_TABLE)
def test_body_policy_types_each_value_as_the_table_says(body, expected):
    assert parse_body(body) == expected


def test_form_body_is_refused_as_unsupported_media_type(client):
    response = client.post("/account/token/generation", {"username": "demo"})
    assert response.status_code == 415
    assert (
        response.json()["message"]
        == 'Unsupported media type "multipart/form-data; boundary=BoUnDaRyStRiNg" in request.'
    )


def render(exc):
    request = factory.get("/account/x")
    response = STYLE.exception_handler(exc, {"request": request, "view": None})
    return response.status_code, response.data, response


def anonymous_trace(trace: dict) -> bool:
    uuid.UUID(trace["process_code"])
    uuid.UUID(trace["request_code"])
    return (trace["username"], trace["company"], trace["service"], trace["operation"]) == (
        "anonymous",
        "unknown",
        "ACCOUNT",
        "unknown",
    )


def test_not_found_renders_its_key_as_resource_key():
    code, data, _ = render(NotFoundError("No data.", resource="process_data", key=uuid.UUID(int=7)))
    assert code == 404
    assert anonymous_trace(data["detail"].pop("tracedata"))
    assert data == {"resource_key": "00000000-0000-0000-0000-000000000007", "detail": {}}


def test_not_found_without_key_renders_null_resource_key():
    code, data, _ = render(NotFoundError("No such thing.", resource="documentation_file"))
    assert code == 404
    assert data["resource_key"] is None


@pytest.mark.parametrize(
    ("exc", "status", "body", "headers"),
    [
        (InvalidCredentialsError(), 401, {"message": "Invalid username or password."}, {"WWW-Authenticate": "Bearer"}),
        (NotAllowedError("The user is disabled."), 403, {"message": "The user is disabled."}, {}),
        (ApplicationError("Refused."), 400, {"message": "Refused.", "schema_errors": []}, {}),
        (
            FieldErrors({"from": ["Too late."]}),
            400,
            {"message": "Validation error", "schema_errors": [{"entity": "from", "message": "Too late."}]},
            {},
        ),
        (exceptions.NotAuthenticated(), 401, {"message": "Authentication credentials were not provided."}, {}),
    ],
)
def test_domain_errors_render_message_and_tracedata(exc, status, body, headers):
    code, data, response = render(exc)
    assert code == status
    assert anonymous_trace(data.pop("tracedata"))
    assert data == body
    for name, value in headers.items():
        assert response[name] == value


def test_message_is_cut_at_2048_characters():
    _, data, _ = render(ApplicationError("x" * 3000))
    assert data["message"] == "x" * 2048


def test_validation_entities_are_dotted_paths_and_null_for_the_whole_body():
    _, data, _ = render(exceptions.ValidationError({"non_field_errors": ["Bad."], "a": [{"b": ["x"]}]}))
    assert data["schema_errors"] == [
        {"entity": "non_field_errors", "message": "Bad."},
        {"entity": "a[0].b", "message": "x"},
    ]
    _, data, _ = render(exceptions.ValidationError(["Whole body."]))
    assert data["schema_errors"] == [{"entity": None, "message": "Whole body."}]


def test_operation_is_read_per_method_then_per_view():
    class One:
        vrt_operation = "check"

    class Two:
        vrt_operation = "unknown"
        vrt_operations = {"GET": "read_info", "PUT": "update_info"}

    assert [operation_of(One, "GET"), operation_of(Two, "PUT"), operation_of(Two, "POST")] == [
        "check",
        "update_info",
        "unknown",
    ]


def test_style_has_no_paginator_and_documents_its_error_bodies():
    assert STYLE.pagination_class is None
    assert sorted(STYLE.responses(400, 404)) == [400, 404]
