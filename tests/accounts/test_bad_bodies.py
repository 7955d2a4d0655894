"""Odd bodies and content types get a VRt-shaped 4xx, never a 500 or HTML."""

import pytest

from tests.accounts.helpers import is_trace

CASES = [
    ("post", "/account/token/generation", "run_token_generation", ["demo"]),
    ("post", "/account/token/generation", "run_token_generation", "demo-demo-demo"),
    ("post", "/account/token/generation", "run_token_generation", None),
    ("post", "/account/token/generation", "run_token_generation", {"username": ["demo"], "password": 1234567890}),
    ("post", "/account/token/generation", "run_token_generation", {"username": "demo", "password": "x" * 257}),
    (
        "post",
        "/account/token/generation",
        "run_token_generation",
        {"username": "demo", "password": "x" * 10, "ttl_seconds": "day"},
    ),
    ("post", "/account/token/validation", "run_token_validation", None),
    ("post", "/account/token/validation", "run_token_validation", ["x" * 20]),
    ("post", "/account/password", "change_password", ["x"]),
    ("post", "/account/password", "change_password", {"current_password": "x" * 257, "new_password": "y" * 10}),
    ("put", "/account/info", "update_info", ["x"]),
    ("put", "/account/info", "update_info", "specification"),
    ("put", "/account/info", "update_info", {"attributes": [["k", "v"]]}),
    ("put", "/account/info", "update_info", {"phone": 71234567890}),
    ("put", "/account/info", "update_info", {"phone": "+7(123)4567890"}),
    ("put", "/account/info", "update_info", {"specification": True}),
    ("put", "/account/info", "update_info", {"attributes": [{"key": "k", "value": "v", "strategy": 0}]}),
    (
        "post",
        "/account/token/generation",
        "run_token_generation",
        {"username": "demo", "password": "x" * 10, "ttl_seconds": "3600"},
    ),
    (
        "post",
        "/account/token/generation",
        "run_token_generation",
        {"username": "demo", "password": "x" * 10, "ttl_seconds": 3600.5},
    ),
    (
        "post",
        "/account/token/generation",
        "run_token_generation",
        {"username": "demo", "password": "x" * 10, "ttl_seconds": True},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation", "body"), CASES)
def test_odd_json_bodies_are_general400(demo_client, method, path, operation, body):
    response = getattr(demo_client, method)(path, body, format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert set(data) == {"tracedata", "message", "schema_errors"}
    assert data["message"] and all(error["message"] for error in data["schema_errors"])
    caller = ("anonymous", "unknown") if "/token/" in path else ("demo", "demo_company")
    assert is_trace(data["tracedata"], operation=operation, username=caller[0], company=caller[1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "operation"), [("/account/token/generation", "run_token_generation"), ("/account/info", "update_info")]
)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_form_or_text_body_is_415_with_tracedata(demo_client, path, operation, content_type):
    method = demo_client.post if "token" in path else demo_client.put
    response = method(path, "specification=demo", content_type=content_type)
    assert response.status_code == 415
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": f'Unsupported media type "{content_type}" in request.'}
    caller = ("anonymous", "unknown") if "/token/" in path else ("demo", "demo_company")
    assert is_trace(body["tracedata"], operation=operation, username=caller[0], company=caller[1])


@pytest.mark.django_db
def test_wrong_method_is_405_with_tracedata(demo_client):
    response = demo_client.delete("/account/info")
    assert response.status_code == 405
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": 'Method "DELETE" not allowed.'}
    assert is_trace(body["tracedata"], operation="read_info", username="demo", company="demo_company")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "operation"), [("get", "read_info"), ("put", "update_info")])
def test_an_unexpected_error_is_general500_naming_the_operation(demo_client, monkeypatch, method, operation):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("accounts.presenters.user_info", broken)
    demo_client.raise_request_exception = False
    response = getattr(demo_client, method)("/account/info", {}, format="json")
    assert response.status_code == 500
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": "Internal server error."}
    assert is_trace(body["tracedata"], operation=operation, username="demo", company="demo_company")
