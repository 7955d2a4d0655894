"""Parallel password changes and logins: no 500, the final password is one
of those set, and every token handed out is either valid for the final password version or
refused."""

from __future__ import annotations

import jwt
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from rest_framework.test import APIClient

from accounts.models import User
from common.auth import issue_access_token
from tests.concurrency import run_parallel
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

GENERATION = "/account/token/generation"
PASSWORD = "/account/password"
NEW = ["first-new-pass-2026", "second-new-pass-2026", "third-new-pass-2026"]


class FastPBKDF2Hasher(PBKDF2PasswordHasher):
    """A preferred hasher the stored MD5 hashes must be upgraded to, cheap enough for a test."""

    iterations = 2


def version(token: str) -> int:
    return jwt.decode(token, options={"verify_signature": False})["ver"]


def login(password: str):
    client = APIClient()
    return lambda: client.post(GENERATION, {"username": "demo", "password": password}, format="json")


def change(user, new: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)}")
    return lambda: client.post(PASSWORD, {"current_password": TEST_PASSWORD, "new_password": new}, format="json")


def authenticates(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    status = client.get("/account/info").status_code
    assert status in (200, 401)
    return status == 200


def check_outcome(user, responses, passwords_tried):
    """The shared assertions of a round of racing changes and logins."""
    changes, logins = responses[: len(NEW)], responses[len(NEW) :]
    assert all(r.status_code in (200, 401, 403) for r in changes), [r.content for r in changes]
    assert all(r.status_code in (200, 401) for r in logins), [r.content for r in logins]
    winners = [new for new, r in zip(NEW, changes, strict=True) if r.status_code == 200]
    assert len(winners) == 1  # each change needs the original password: only the first can succeed
    user.refresh_from_db()
    final = winners[0]
    assert user.check_password(final)
    assert not user.check_password(TEST_PASSWORD)
    tokens = [r.json() for r in responses if r.status_code == 200]
    for token in tokens:
        assert authenticates(token) == (version(token) == user.token_version)
    assert authenticates(changes[NEW.index(final)].json())
    for password, response in zip(passwords_tried, logins, strict=True):
        if password not in (TEST_PASSWORD, final):
            assert response.status_code == 401  # a password that never was the user's
    after = APIClient().post(GENERATION, {"username": "demo", "password": final}, format="json")
    assert after.status_code == 200 and authenticates(after.json())
    assert (
        APIClient().post(GENERATION, {"username": "demo", "password": TEST_PASSWORD}, format="json").status_code == 401
    )


def test_racing_password_changes_and_logins(demo_user):
    passwords = [TEST_PASSWORD, TEST_PASSWORD, *NEW]
    responses = run_parallel([*(change(demo_user, new) for new in NEW), *(login(p) for p in passwords)])
    check_outcome(demo_user, responses, passwords)


@pytest.fixture
def upgrading_hashers(settings):
    """Stored MD5 hashes are upgraded at the next successful login, as after a Django upgrade."""
    settings.PASSWORD_HASHERS = [f"{__name__}.FastPBKDF2Hasher", "django.contrib.auth.hashers.MD5PasswordHasher"]


def store_md5(user, password: str) -> User:
    User.objects.filter(pk=user.pk).update(password=make_password(password, hasher="md5"))
    return User.objects.get(pk=user.pk)


def test_a_login_that_upgrades_the_hash_returns_a_working_token(demo_user, upgrading_hashers):
    store_md5(demo_user, TEST_PASSWORD)
    response = APIClient().post(GENERATION, {"username": "demo", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    assert authenticates(response.json())
    demo_user.refresh_from_db()
    assert demo_user.password.startswith("pbkdf2_sha256$2$")
    assert demo_user.check_password(TEST_PASSWORD)


def test_a_login_upgrading_the_hash_never_undoes_a_racing_password_change(demo_user, upgrading_hashers):
    # The upgrade must not write the old password's hash over a new one committed meanwhile.
    for _ in range(4):
        user = store_md5(demo_user, TEST_PASSWORD)
        passwords = [TEST_PASSWORD] * 4
        responses = run_parallel([*(change(user, new) for new in NEW), *(login(p) for p in passwords)])
        check_outcome(user, responses, passwords)


# --- the login throttle counters are atomic under parallel logins ---------------------------------


@pytest.fixture
def login_rate(monkeypatch):
    """``login_rate(scope, rate)``: lower one login throttle for this test (DRF binds the rates at import)."""
    from rest_framework.throttling import SimpleRateThrottle

    def lower(scope: str, rate: str) -> None:
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, scope: rate})

    return lower


@pytest.fixture
def production_cache(settings):
    """The deployed cache (DatabaseCache), where a read-then-write counter let 40 of 40 through."""
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
    call_command("createcachetable", verbosity=0)


def login_from(address: str, username: str = "demo"):
    client = APIClient()
    return lambda: client.post(
        GENERATION, {"username": username, "password": TEST_PASSWORD}, format="json", REMOTE_ADDR=address
    )


@pytest.mark.parametrize(
    ("scope", "ident", "addresses"),
    [
        ("login_ip", "127.0.0.1", ["127.0.0.1"] * 40),  # one client
        ("login_username", "demo", [f"10.9.0.{i}" for i in range(40)]),  # one username, 40 clients
    ],
)
def test_forty_concurrent_logins_let_exactly_the_limit_through(
    demo_user, production_cache, login_rate, scope, ident, addresses
):
    login_rate(scope, "10/minute")
    responses = run_parallel([login_from(address) for address in addresses])
    assert sorted(r.status_code for r in responses) == [200] * 10 + [429] * 30
    from common.models import ThrottleBucket

    for response in responses:
        if response.status_code == 200:
            assert authenticates(response.json())
        else:
            assert response.json()["message"].startswith("Request was throttled")
            assert 0 < int(response["Retry-After"]) <= 60
    bucket = ThrottleBucket.objects.get(scope=scope, ident=ident)
    assert len(bucket.hits) == 10 and bucket.allowed is False
    # The window is full for everyone, the right password included.
    assert login_from(addresses[0])().status_code == 429
