"""Tokens (DECISIONS §3): issue, use, expiry, revocation by password version, disabled users."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from common.auth import issue_access_token, user_for_token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.urls")]
PROBE = "/__probe__/formula/"


def get(token: str | None):
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(PROBE)


def test_issued_token_authenticates_and_carries_the_identity_claims(demo_user):
    token = issue_access_token(demo_user, timedelta(seconds=600))
    response = get(token)
    assert response.status_code == 200
    assert response.json() == {"username": "demo"}
    claims = jwt.decode(token, settings.JWT_SIGNING_KEY, algorithms=["HS256"])
    assert claims["user_id"] == str(demo_user.pk)
    assert claims["username"] == "demo"
    assert claims["company"] == "demo_company"
    assert claims["roles"] == ["USER"]
    assert claims["ver"] == demo_user.token_version
    assert 590 <= claims["exp"] - claims["iat"] <= 600


def test_token_with_one_pair_of_quotes_is_accepted(demo_user):
    token = issue_access_token(demo_user)
    assert get(f'"{token}"').status_code == 200


def test_expired_token_is_refused(demo_user):
    token = issue_access_token(demo_user, timedelta(seconds=-1))
    response = get(token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_password_change_revokes_older_tokens(demo_user):
    old = issue_access_token(demo_user)
    demo_user.set_password("another-password-2026")
    demo_user.save()
    assert get(old).status_code == 401
    assert get(issue_access_token(demo_user)).status_code == 200


def test_disabled_user_is_refused(demo_user):
    token = issue_access_token(demo_user)
    demo_user.enabled = False
    demo_user.save()
    assert get(token).status_code == 401
    assert user_for_token(token) is None


def test_token_signed_with_another_key_is_refused(demo_user):
    forged = jwt.encode(
        {
            "user_id": demo_user.pk,
            "ver": demo_user.token_version,
            "token_type": "access",
            "exp": 4102444800,
            "jti": "x",
        },
        "not-the-key-but-long-enough-for-hs256-0123456789",
        algorithm="HS256",
    )
    assert get(forged).status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer a b", "Bearer garbage"])
def test_missing_or_malformed_credentials_get_401_with_bearer_challenge(db, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(PROBE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


# --- a token's checks are remembered per token string (common.auth._verified_access_token) ----


def test_a_remembered_token_is_refused_once_it_expires(demo_user, monkeypatch):
    from datetime import UTC, datetime

    from common import auth

    token = issue_access_token(demo_user, timedelta(seconds=60))
    assert get(token).status_code == 200
    assert get(token).status_code == 200
    assert auth._verified_access_token.cache_info().hits >= 1  # the second request used the memory
    monkeypatch.setattr(auth, "aware_utcnow", lambda: datetime.now(UTC) + timedelta(seconds=61))
    assert get(token).status_code == 401


def test_the_remembered_tokens_are_forgotten_when_a_setting_changes(demo_user, settings):
    from common import auth

    assert get(issue_access_token(demo_user)).status_code == 200
    assert auth._verified_access_token.cache_info().currsize >= 1
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": timedelta(hours=1)}
    assert auth._verified_access_token.cache_info().currsize == 0


def test_a_token_altered_after_its_original_was_remembered_is_refused(demo_user):
    token = issue_access_token(demo_user)
    assert get(token).status_code == 200
    header, payload, signature = token.split(".")
    altered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert get(altered).status_code == 401


def test_a_refused_token_is_not_remembered(demo_user):
    from common import auth

    auth._verified_access_token.cache_clear()
    assert get(issue_access_token(demo_user, timedelta(seconds=-1))).status_code == 401
    assert auth._verified_access_token.cache_info().currsize == 0
