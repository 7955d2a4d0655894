"""The OpenAPI schema states the rules the server applies (issue 13 item 4).

Each rule here was a "schema-valid request refused" or an ambiguous response found by
schemathesis with every check; tests/test_fuzz.py is the broad net, these pin each rule.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft4Validator, RefResolver
from rest_framework.test import APIClient

from common.auth import issue_access_token
from common.drf import NO_NUL_PATTERN


@pytest.fixture(scope="module")
def spec():
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))


def parameter(spec, path, method, name):
    (found,) = [p for p in spec["paths"][path][method].get("parameters", []) if p["name"] == name]
    return found


def component(spec, name):
    return spec["components"]["schemas"][name]


def test_every_routes_list_states_limit_and_offset_bounds(spec):
    lists = [
        path
        for path, operations in spec["paths"].items()
        if path.startswith("/routes/")
        and "get" in operations
        and any(p["name"] == "limit" for p in operations["get"].get("parameters", []))
    ]
    assert len(lists) >= 14
    for path in lists:
        limit = parameter(spec, path, "get", "limit")["schema"]
        assert (limit["minimum"], limit["maximum"]) == (1, 100), path
        assert parameter(spec, path, "get", "offset")["schema"]["minimum"] == 0, path


def test_routes_ids_and_chat_ids_are_bounded(spec):
    chat = parameter(spec, "/routes/telegram-chats/{chat_id}/", "get", "chat_id")["schema"]
    assert (chat["minimum"], chat["maximum"]) == (-(2**63), 2**63 - 1)
    report_type = parameter(spec, "/routes/report-routes/units/", "get", "report_type_id")
    assert report_type["required"] is True and report_type["schema"]["minimum"] == 1
    unit_ids = parameter(spec, "/routes/report-routes/", "delete", "unit_ids")["schema"]
    assert (unit_ids["items"]["minimum"], unit_ids["items"]["maximum"]) == (-(2**31), 2**31 - 1)
    assert unit_ids["maxItems"] < 10_000  # below DATA_UPLOAD_MAX_NUMBER_FIELDS with the other parameters


def test_routes_bodies_are_json_and_a_patch_body_is_whole(spec):
    patch = spec["paths"]["/routes/roles/users/{chat_id}/"]["patch"]["requestBody"]
    assert list(patch["content"]) == ["application/json"]
    assert patch["required"] is True
    ref = patch["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert component(spec, ref)["required"] == ["access_code"]
    create = spec["paths"]["/routes/report-routes/"]["post"]["requestBody"]["content"]
    ref = create["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert component(spec, ref)["properties"]["unit_ids"]["minItems"] == 1


def test_strings_refuse_nul_unless_their_own_pattern_does(spec):
    token = component(spec, "AccountTokenRequestRequest")["properties"]
    assert token["password"]["pattern"] == NO_NUL_PATTERN
    assert token["username"]["pattern"] == r"^\w+$"  # the field's own pattern is kept


def test_accounts_dates_are_bounded(spec):
    pattern = parameter(spec, "/account/statistics", "get", "from")["schema"]["pattern"]
    import re

    assert re.match(pattern, "1900-01-01") and re.match(pattern, "9998-12-31")
    assert not re.match(pattern, "1899-12-31") and not re.match(pattern, "9999-01-01")


def test_feecc_bodies_are_json_except_token_and_serial(spec):
    for path, operations in spec["paths"].items():
        if not path.startswith(("/api/v1/passports", "/api/v1/stages", "/api/v1/users", "/api/v1/schemas")):
            continue
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if content and not path.endswith("/serial/"):
                assert list(content) == ["application/json"], (method, path)


def test_feecc_user_rules_are_in_the_schema(spec):
    user = component(spec, "FeeccUserInputRequest")["properties"]
    assert (user["username"]["pattern"], user["username"]["minLength"]) == (r"^\w+$", 4)
    assert user["password"]["minLength"] == 10
    import re

    assert not re.match(user["password"]["pattern"], "1234567890")
    assert re.match(user["password"]["pattern"], "12345678x0")


@pytest.mark.django_db
def test_a_protocol_matches_exactly_one_branch_of_its_oneof(spec):
    """GET /api/v1/tcd/protocols/{id}: a filled protocol is not also a template."""
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.models import User
    from passports.models import ProtocolTemplate, Unit

    demo_client = APIClient()
    demo_client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(User.objects.get(username='demo'))}")

    def as_json_schema(node):
        """OpenAPI 3.0's ``nullable`` as JSON Schema's ``null`` type."""
        if isinstance(node, list):
            return [as_json_schema(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: as_json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        return node

    converted = as_json_schema(spec)
    union = component(converted, "FeeccProtocolOrTemplates")["oneOf"]
    resolver = RefResolver.from_schema(converted)

    def branches(value):
        return [b["$ref"] for b in union if Draft4Validator(b, resolver=resolver).is_valid(value)]

    filled = Unit.objects.filter(protocol__isnull=False).first()
    body = demo_client.get(f"/api/v1/tcd/protocols/{filled.internal_id}/").json()
    assert branches(body["protocol"]) == ["#/components/schemas/ProtocolOutput"]
    template_unit = Unit.objects.filter(
        protocol__isnull=True, schema__in=ProtocolTemplate.objects.values("associated_with_schema")
    ).first()
    body = demo_client.get(f"/api/v1/tcd/protocols/{template_unit.internal_id}/").json()
    assert len(branches(body["protocol"])) == 1


def test_datawiz_token_url_is_documented(spec):
    flows = spec["components"]["securitySchemes"]["datawizOAuth2"]["flows"]
    assert flows["password"]["tokenUrl"] == "/api/o/token/"


def test_a_body_the_api_needs_is_a_required_body(spec):
    """Issue 13 item 4: a POST without the body its fields need is a 4xx, so the schema says required."""
    paths = spec["paths"]
    assert paths["/api/v1/passports/{internal_id}/revision/"]["post"]["requestBody"]["required"] is True
    assert paths["/api/v1/passports/"]["post"]["requestBody"]["required"] is True
    # the routes DELETE ignores user_chat_id whatever it holds: no int64 bound is promised
    params = {p["name"]: p for p in paths["/routes/report-routes/"]["delete"]["parameters"]}
    assert params["user_chat_id"]["schema"] == {"type": "string"}
