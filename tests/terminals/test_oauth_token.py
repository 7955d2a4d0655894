"""``POST /api/o/token/``: OAuth2 password and refresh_token grants with the project's JWTs."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from common.auth import user_for_refresh_token, user_for_token
from common.models import RevokedTokenFamily
from terminals.models import RevokedRefreshToken

pytestmark = pytest.mark.django_db

URL = "/api/o/token/"
BASIC = "Basic " + base64.b64encode(b"client-id:client-secret").decode()


def token(client, **data):
    return client.post(URL, data, HTTP_AUTHORIZATION=BASIC)


def test_password_grant_answers_rfc_6749_with_project_jwts(demo_user, password):
    response = token(APIClient(), grant_type="password", username="demo", password=password)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 36000, "read write")
    assert user_for_token(body["access_token"]) == demo_user
    assert user_for_refresh_token(body["refresh_token"]) == demo_user
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store", "no-cache")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}", HTTP_DATE="Tue, 10 Nov 2015 18:11:05 GMT")
    assert api.get("/api/v1/terminals/").status_code == 200


def test_wrong_password_is_invalid_grant(demo_user):
    response = token(APIClient(), grant_type="password", username="demo", password="wrong-password-1")
    assert (response.status_code, response.json()) == (
        400,
        {"error": "invalid_grant", "error_description": "Invalid credentials given."},
    )


def test_disabled_user_is_invalid_grant(demo_user, password):
    demo_user.enabled = False
    demo_user.save()
    response = token(APIClient(), grant_type="password", username="demo", password=password)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


def test_client_basic_credentials_are_not_a_user(demo_user, password):
    # "demo:<password>" in Basic must not log anybody in: the form fields are what counts.
    basic = "Basic " + base64.b64encode(f"demo:{password}".encode()).decode()
    response = APIClient().post(
        URL, {"grant_type": "password", "username": "demo", "password": "bad"}, HTTP_AUTHORIZATION=basic
    )
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({}, {"error": "invalid_request", "error_description": "Request is missing grant_type parameter."}),
        ({"grant_type": "password", "username": "demo"}, {"error": "invalid_request", "error_description": "Request is missing password parameter."}),
        ({"grant_type": "refresh_token"}, {"error": "invalid_request", "error_description": "Request is missing refresh_token parameter."}),
        ({"grant_type": "client_credentials"}, {"error": "unsupported_grant_type", "error_description": "Grant type client_credentials is not supported."}),
        ({"grant_type": "refresh_token", "refresh_token": "garbage"}, {"error": "invalid_grant", "error_description": "Invalid refresh token."}),
    ],
)  # fmt: skip
def test_malformed_requests_are_rfc_errors(demo_user, data, body):
    response = token(APIClient(), **data)
    assert (response.status_code, response.json()) == (400, body)


def test_json_body_is_not_a_token_request(demo_user, password):
    response = APIClient().post(
        URL, {"grant_type": "password", "username": "demo", "password": password}, format="json"
    )
    assert response.status_code in (400, 415)
    assert "access_token" not in response.json()


def test_refresh_grant_rotates_and_the_old_refresh_token_is_refused(demo_user, password):
    client = APIClient()
    first = token(client, grant_type="password", username="demo", password=password).json()
    second = token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    body = second.json()
    assert body["refresh_token"] != first["refresh_token"]
    assert user_for_token(body["access_token"]) == demo_user
    assert RevokedRefreshToken.objects.filter(user=demo_user).count() == 1
    reused = token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert (reused.status_code, reused.json()) == (
        400,
        {"error": "invalid_grant", "error_description": "Refresh token has already been used."},
    )
    # The reuse revoked what was issued from the first token (test_refresh_reuse…).
    assert token(client, grant_type="refresh_token", refresh_token=body["refresh_token"]).status_code == 400


def test_refresh_reuse_revokes_every_token_issued_from_it(demo_user, password):
    """Reuse detection: whoever presents a spent refresh token again (the thief or the owner),
    the tokens issued from it stop working at once; another login's tokens do not."""
    owner, thief = APIClient(), APIClient()
    first = token(owner, grant_type="password", username="demo", password=password).json()
    other_login = token(APIClient(), grant_type="password", username="demo", password=password).json()
    stolen = token(thief, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    grandchild = token(thief, grant_type="refresh_token", refresh_token=stolen["refresh_token"]).json()
    for access in (first, stolen, grandchild):
        assert user_for_token(access["access_token"]) == demo_user

    reused = token(owner, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert (reused.status_code, reused.json()) == (
        400,
        {"error": "invalid_grant", "error_description": "Refresh token has already been used."},
    )
    family = RevokedTokenFamily.objects.get()
    assert family.user == demo_user
    assert family.expires_at > timezone.now() + datetime.timedelta(days=13)
    for access in (first, stolen, grandchild):
        response = APIClient().get("/api/v1/terminals/", HTTP_AUTHORIZATION=f"Bearer {access['access_token']}")
        assert response.status_code == 401
        assert user_for_token(access["access_token"]) is None
    refused = token(thief, grant_type="refresh_token", refresh_token=grandchild["refresh_token"])
    assert (refused.status_code, refused.json()) == (
        400,
        {"error": "invalid_grant", "error_description": "Invalid refresh token."},
    )
    # The VRt check of the same token agrees.
    check = APIClient().post("/account/token/validation", grandchild["access_token"], format="json")
    assert check.json() == {"valid": False, "roles": []}
    # Another login (another family) is untouched.
    assert user_for_token(other_login["access_token"]) == demo_user
    assert token(APIClient(), grant_type="refresh_token", refresh_token=other_login["refresh_token"]).status_code == 200
    assert RevokedTokenFamily.objects.count() == 1


def test_a_token_of_a_family_is_checked_in_one_query(demo_user, password, django_assert_num_queries):
    from rest_framework.test import APIRequestFactory

    from common.auth import BearerTokenAuthentication

    first = token(APIClient(), grant_type="password", username="demo", password=password).json()
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}")
    with django_assert_num_queries(1):
        assert BearerTokenAuthentication().authenticate(request)[0] == demo_user


def test_password_change_revokes_refresh_tokens(demo_user, password):
    first = token(APIClient(), grant_type="password", username="demo", password=password).json()
    demo_user.set_password("another-password-2026")
    demo_user.save()
    response = token(APIClient(), grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert response.json()["error"] == "invalid_grant"


def test_access_token_is_not_a_refresh_token(demo_user, password):
    first = token(APIClient(), grant_type="password", username="demo", password=password).json()
    response = token(APIClient(), grant_type="refresh_token", refresh_token=first["access_token"])
    assert response.json()["error"] == "invalid_grant"


def test_login_is_throttled(demo_user, monkeypatch):
    from common.throttling import LoginUsernameThrottle

    # The rates are read into the class when DRF is imported; lower them for this test only.
    monkeypatch.setattr(LoginUsernameThrottle, "THROTTLE_RATES", {"login_username": "2/minute"})
    cache.clear()
    try:
        for _ in range(2):
            assert token(APIClient(), grant_type="password", username="demo", password="x").status_code == 400
        response = token(APIClient(), grant_type="password", username="demo", password="x")
        assert response.status_code == 429
        assert response.json() == {"detail": "Request was throttled. Expected available in 60 seconds."}
        assert response["Retry-After"] == "60"
    finally:
        cache.clear()


def test_refresh_prunes_expired_revocations(demo_user, password):
    import datetime

    from django.utils import timezone

    RevokedRefreshToken.objects.create(
        jti="old", user=demo_user, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    first = token(APIClient(), grant_type="password", username="demo", password=password).json()
    assert token(APIClient(), grant_type="refresh_token", refresh_token=first["refresh_token"]).status_code == 200
    assert list(RevokedRefreshToken.objects.values_list("jti", flat=True)) != ["old"]
    assert not RevokedRefreshToken.objects.filter(jti="old").exists()
