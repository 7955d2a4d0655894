"""A client generated from /api/schema/ type-checks the demo data of every API (issue 13 item 4).

datamodel-code-generator (pinned in requirements-dev.txt) turns the live schema into pydantic v2
models in a temporary directory, strictly: unknown keys are refused (``extra='forbid'``),
``nullable`` is honoured, lengths/ranges/patterns are constraints, and answers are validated
in pydantic's strict JSON mode (no ``"1"`` for an integer, no ``"yes"`` for a boolean). Then the demo user's GET
answers (every list without path parameters, and a detail of each resource kind) are
validated against the model their operation's 200 response names.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import subprocess
import sys
from typing import Literal

import pytest
from django.core.management import call_command
from pydantic import TypeAdapter, ValidationError
from rest_framework.test import APIClient

from common.auth import issue_access_token

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(schema, module): the schema served at /api/schema/ and the models generated from it."""
    directory = tmp_path_factory.mktemp("client")
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    spec = response.json()
    (directory / "schema.json").write_text(json.dumps(spec))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(directory / "schema.json"),
            "--input-file-type",
            "openapi",
            "--output",
            str(directory / "models.py"),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--extra-fields",
            "forbid",
            "--strict-nullable",
            "--field-constraints",
            "--use-standard-collections",
            "--target-python-version",
            "3.11",
            "--formatters",
            "ruff-format",
            "--disable-timestamp",
        ],
        check=True,
        capture_output=True,
    )
    module_spec = importlib.util.spec_from_file_location("generated_client_models", directory / "models.py")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module  # pydantic resolves generic models through it
    try:
        module_spec.loader.exec_module(module)
        yield spec, module
    finally:
        sys.modules.pop(module_spec.name, None)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.models import User

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(User.objects.get(username='demo'))}")
    return client


def response_type(spec: dict, module, path: str, method: str = "get"):
    """The generated type of an operation's 200 JSON answer (a model, or a list of one)."""
    schema = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]

    def model(ref: str):
        return getattr(module, ref.rsplit("/", 1)[1])

    if "$ref" in schema:
        return model(schema["$ref"])
    assert schema.get("type") == "array", f"{path}: inline schema {schema}"
    items = schema["items"]
    if "$ref" in items:
        return list[model(items["$ref"])]
    # An inline list of strings (e.g. an enum's names): the generated client has no class for it.
    assert items.get("type") == "string", f"{path}: inline item schema {items}"
    return list[Literal[tuple(items["enum"])]] if "enum" in items else list[str]


def detail_urls() -> dict[str, str]:
    """A real detail URL of every resource kind of the demo data, by its schema path."""
    from calculations.models import Calculation
    from passports.models import Employee, ProductionSchema, ProductionStage, Unit
    from routes.models import Pizzeria as RouteUnit
    from routes.models import ReportType, TelegramChat
    from terminals.models import Shop, Terminal

    unit = Unit.objects.filter(protocol__isnull=False).first() or Unit.objects.first()
    stage = ProductionStage.objects.first()
    chat = TelegramChat.objects.filter(role__isnull=False).first()
    urls = {
        "/api/v1/passports/{internal_id}/": f"/api/v1/passports/{unit.internal_id}/",
        "/api/v1/tcd/protocols/{internal_id}/": f"/api/v1/tcd/protocols/{unit.internal_id}/",
        "/api/v1/schemas/{schema_id}/": f"/api/v1/schemas/{ProductionSchema.objects.first().schema_id}/",
        "/api/v1/stages/{stage_id}/": f"/api/v1/stages/{stage.stage_id}/",
        "/api/v1/employees/{rfid_card_id}/": f"/api/v1/employees/{Employee.objects.first().rfid_card_id}/",
        "/api/v1/users/{username}/": "/api/v1/users/demo/",
        "/routes/telegram-chats/{chat_id}/": f"/routes/telegram-chats/{chat.chat_id}/",
        "/routes/roles/users/{chat_id}/units/": f"/routes/roles/users/{chat.chat_id}/units/",
        "/routes/units/name/{unit_name}/": f"/routes/units/name/{RouteUnit.objects.first().name}/",
        "/routes/report-types/names/{report_type_name}/": (
            f"/routes/report-types/names/{ReportType.objects.first().name}/"
        ),
        "/api/v1/terminals/{terminal_id}/": f"/api/v1/terminals/{Terminal.objects.first().terminal_id}/",
        "/api/v1/shops/{shop_id}/": f"/api/v1/shops/{Shop.objects.first().shop_id}/",
    }
    urls["/formula/calculations/write"] = f"/formula/calculations/write?guid={Calculation.objects.first().guid}"
    return urls


def json_get_operations(spec: dict) -> list[str]:
    """Every GET without path or required parameters whose 200 is JSON."""
    return [
        path
        for path, operations in spec["paths"].items()
        if "get" in operations
        and not any(parameter.get("required") for parameter in operations["get"].get("parameters", []))
        and "application/json" in operations["get"]["responses"].get("200", {}).get("content", {})
    ]


def test_generated_models_accept_the_demo_data_of_every_api(generated, demo):
    spec, module = generated
    checked = []
    targets = [(path, path) for path in json_get_operations(spec)] + list(detail_urls().items())
    for path, url in targets:
        response = demo.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        try:
            TypeAdapter(response_type(spec, module, path)).validate_json(response.content, strict=True)
        except ValidationError as error:
            pytest.fail(f"GET {url} does not match its generated type: {error}")
        checked.append(path)
    # One list and one detail at least of each of the five APIs.
    for prefix in ("/account/", "/routes/", "/api/v1/passports/", "/formula/", "/api/v1/terminals/"):
        assert [path for path in checked if path.startswith(prefix)], prefix
    assert "/api/v1/tcd/protocols/{internal_id}/" in checked
    # Every entry of a list answer was validated, not only an empty list.
    assert demo.get("/api/v1/passports/").json()["data"]
    assert demo.get("/api/v1/terminals/").json()["results"]


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("/api/v1/terminals/", lambda body: body["results"][0].update(unexpected="field")),
        ("/api/v1/passports/", lambda body: body["data"][0].update(internal_id=12)),
        ("/routes/units/", lambda body: body.update(is_end_of_list_reached="yes")),
        ("/account/info", lambda body: body.pop(next(iter(body)))),
    ],
    ids=["unknown-key", "wrong-type", "wrong-type-envelope", "missing-key"],
)
def test_generated_models_refuse_a_wrong_field(generated, demo, path, change):
    """The type check can fail: the same demo answers with one field wrong are refused."""
    spec, module = generated
    body = copy.deepcopy(demo.get(path).json())
    adapter = TypeAdapter(response_type(spec, module, path))
    adapter.validate_json(json.dumps(body), strict=True)
    change(body)
    with pytest.raises(ValidationError):
        adapter.validate_json(json.dumps(body), strict=True)
