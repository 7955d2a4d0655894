"""Token generation, validation and password change (accounts.md, Decisions 2, 3, 12)."""

from datetime import timedelta

import jwt
import pytest
from django.core.cache import cache

from accounts.models import User
from common.auth import issue_access_token
from tests.accounts.helpers import is_trace
from tests.factories import TEST_PASSWORD, UserFactory

GENERATION = "/account/token/generation"
VALIDATION = "/account/token/validation"
PASSWORD = "/account/password"


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


@pytest.mark.django_db
def test_valid_credentials_return_a_bare_jwt_string_with_the_ttl(api_client, demo_user):
    response = api_client.post(
        GENERATION, {"username": "demo", "password": TEST_PASSWORD, "ttl_seconds": 3600}, format="json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    token = response.json()
    assert isinstance(token, str) and response.content == f'"{token}"'.encode()
    data = claims(token)
    assert data["exp"] - data["iat"] == 3600
    assert (data["username"], data["company"], data["roles"]) == ("demo", "demo_company", ["USER"])


@pytest.mark.django_db
def test_ttl_defaults_to_a_day(api_client, demo_user):
    token = api_client.post(GENERATION, {"username": "demo", "password": TEST_PASSWORD}, format="json").json()
    data = claims(token)
    assert data["exp"] - data["iat"] == 86400


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["demo", "nobody"])
def test_bad_credentials_are_401_with_tracedata(api_client, demo_user, username):
    response = api_client.post(GENERATION, {"username": username, "password": "wrong-password-1"}, format="json")
    assert response.status_code == 401
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": "Invalid username or password."}
    assert is_trace(body["tracedata"], operation="run_token_generation")


@pytest.mark.django_db
def test_null_password_is_401(api_client, demo_user):
    response = api_client.post(GENERATION, {"username": "demo", "password": None}, format="json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_disabled_user_is_403_general403(api_client, company):
    UserFactory(username="gone", company=company, enabled=False)
    response = api_client.post(GENERATION, {"username": "gone", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": "The user is disabled."}
    assert is_trace(body["tracedata"], operation="run_token_generation")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "entity", "message"),
    [
        (
            {"username": "demo", "password": TEST_PASSWORD, "ttl_seconds": 59},
            "ttl_seconds",
            "greater than or equal to 60",
        ),
        ({"username": "demo", "password": TEST_PASSWORD, "ttl_seconds": 31556927}, "ttl_seconds", "less than or equal"),
        ({"username": "demo", "password": "short"}, "password", "at least 10 characters"),
        ({"username": "de mo", "password": TEST_PASSWORD}, "username", "Only letters"),
        ({"password": TEST_PASSWORD}, "username", "required"),
        ({"username": "demo"}, "password", "required"),
    ],
)
def test_invalid_token_request_is_general400(api_client, demo_user, data, entity, message):
    response = api_client.post(GENERATION, data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"tracedata", "message", "schema_errors"}
    assert body["message"] == "Validation error"
    assert [error["entity"] for error in body["schema_errors"]] == [entity]
    assert message in body["schema_errors"][0]["message"]
    assert is_trace(body["tracedata"], operation="run_token_generation")


@pytest.mark.django_db
def test_malformed_json_is_general400(api_client):
    response = api_client.generic("POST", GENERATION, "{nope", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["schema_errors"] == [] and body["message"].startswith("JSON parse error")


@pytest.mark.django_db
def test_token_generation_is_throttled_with_general429(api_client, demo_user, settings, monkeypatch):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_username": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # DRF copies the rates into the throttle class when it is imported; monkeypatch restores it.
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    try:
        for _ in range(2):
            assert (
                api_client.post(GENERATION, {"username": "demo", "password": "wrong-pass-1"}, format="json").status_code
                == 401
            )
        response = api_client.post(GENERATION, {"username": "demo", "password": TEST_PASSWORD}, format="json")
    finally:
        cache.clear()
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"tracedata", "message"} and "throttled" in body["message"]
    assert is_trace(body["tracedata"], operation="run_token_generation")
    assert int(response["Retry-After"]) > 0


# --- validation ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("quoted", [False, True])
def test_a_valid_token_validates_with_roles(api_client, admin_user, quoted):
    token = issue_access_token(admin_user)
    body = f'"{token}"' if quoted else token  # old clients keep the quotes (Decision 3)
    response = api_client.post(VALIDATION, body, format="json")
    assert response.status_code == 200
    assert response.json() == {"valid": True, "roles": ["ADMIN"]}


@pytest.mark.django_db
def test_expired_revoked_garbage_and_disabled_tokens_are_not_valid(api_client, demo_user, company):
    expired = issue_access_token(demo_user, timedelta(seconds=-5))
    revoked = issue_access_token(demo_user)
    demo_user.set_password("another-password-1")
    demo_user.save()
    disabled_user = UserFactory(username="off", company=company)
    disabled = issue_access_token(disabled_user)
    User.objects.filter(pk=disabled_user.pk).update(enabled=False)
    foreign = jwt.encode({"user_id": demo_user.pk, "token_type": "access", "exp": 9999999999}, "x" * 32)
    for token in (expired, revoked, disabled, foreign, "x" * 20):
        response = api_client.post(VALIDATION, token, format="json")
        assert (response.status_code, response.json()) == (200, {"valid": False, "roles": []}), token


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["short", "x" * 1001, {"token": "x" * 20}, 12345678901])
def test_validation_body_must_be_a_string_of_10_to_1000_chars(api_client, body):
    response = api_client.post(VALIDATION, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["schema_errors"] == [
        {"entity": "body", "message": "The body must be a JSON string of 10 to 1000 characters (the token)."}
    ]
    assert is_trace(data["tracedata"], operation="run_token_validation")


@pytest.mark.django_db
def test_quoted_bearer_value_authenticates(api_client, demo_user):
    api_client.credentials(HTTP_AUTHORIZATION=f'Bearer "{issue_access_token(demo_user)}"')
    assert api_client.get("/account/info").status_code == 200


# --- password change -------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_change_sets_it_revokes_old_tokens_and_returns_a_new_one(api_client, demo_user):
    old = issue_access_token(demo_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {old}")
    response = api_client.post(
        PASSWORD, {"current_password": TEST_PASSWORD, "new_password": "brand-new-pass-2026"}, format="json"
    )
    assert response.status_code == 200
    new = response.json()
    data = claims(new)
    assert data["exp"] - data["iat"] == 86400
    demo_user.refresh_from_db()
    assert demo_user.check_password("brand-new-pass-2026")
    assert api_client.get("/account/info").status_code == 401  # the old token is revoked
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {new}")
    assert api_client.get("/account/info").status_code == 200


@pytest.mark.django_db
def test_wrong_current_password_is_403_and_changes_nothing(demo_client, demo_user):
    response = demo_client.post(
        PASSWORD, {"current_password": "not-the-password", "new_password": "brand-new-pass-2026"}, format="json"
    )
    assert response.status_code == 403
    body = response.json()
    assert body == {"tracedata": body["tracedata"], "message": "The current password is wrong."}
    assert is_trace(body["tracedata"], operation="change_password", username="demo", company="demo_company")
    demo_user.refresh_from_db()
    assert demo_user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("1234567890", "This password is entirely numeric."),
        ("password123", "This password is too common."),
        (None, "may not be null"),
    ],
)
def test_weak_or_null_new_password_is_400(demo_client, demo_user, new, message):
    response = demo_client.post(PASSWORD, {"current_password": TEST_PASSWORD, "new_password": new}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert {error["entity"] for error in body["schema_errors"]} == {"new_password"}
    if message:
        assert any(message in error["message"] for error in body["schema_errors"])
    demo_user.refresh_from_db()
    assert demo_user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_password_change_without_body_is_400(demo_client):
    response = demo_client.post(PASSWORD, format="json")
    assert response.status_code == 400
    assert {e["entity"] for e in response.json()["schema_errors"]} == {"current_password", "new_password"}


@pytest.mark.django_db
def test_anonymous_password_change_is_401_with_bearer_challenge(api_client):
    response = api_client.post(PASSWORD, {"current_password": "x" * 10, "new_password": "y" * 10}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert set(response.json()) == {"tracedata", "message"}
