"""Secrets are never logged (issue 8, item 5).

Drives failed and successful logins on the three login endpoints, the refresh grant, a
password change (refused and done), user creation with a password, malformed bodies that
carry a password, and requests with bad Bearer tokens on every API — capturing every log
record (root logger and ``django.request`` at DEBUG, SQL included) — and asserts that no
password and no token appears in any record, and that no VRt error body (``tracedata``
included) echoes a password.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.conftest import bearer_client
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "Wrong-Secret-Pass-9921"
NEW = "Brand-New-Secret-7734"
REJECTED_NEW = "Short-7734"[:9]  # under the minimum length: refused
FEECC_USER_PASSWORD = "Feecc-User-Secret-5512"
BODY_PASSWORD = "Body-Secret-In-Json-3381"
READS = (
    "/account/info",
    "/routes/units/",
    "/api/v1/passports/",
    "/formula/catalogs/users/current",
    "/api/v1/terminals/",
)


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), repr(record.args)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


@pytest.fixture
def every_log_record(caplog, settings):
    settings.ROUTES_TRUSTED_NETWORKS = []
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    # SQL is logged only under DEBUG; force it so a secret that reaches a query shows up too.
    connection.force_debug_cursor = True
    yield caplog
    connection.force_debug_cursor = False


def test_no_password_or_token_in_any_log_record(every_log_record, demo_user, viewer_user):
    caplog = every_log_record
    secrets: list[str] = [TEST_PASSWORD, WRONG, NEW, REJECTED_NEW, FEECC_USER_PASSWORD, BODY_PASSWORD]
    vrt_error_bodies = []

    def vrt(path, body, client=None, **kwargs):
        response = (client or APIClient()).post(path, body, **kwargs)
        if response.status_code >= 400:
            vrt_error_bodies.append(response.content.decode())
        return response

    # VRt.Account: refused, malformed and successful logins; a bad and a good password change.
    assert vrt("/account/token/generation", {"username": "demo", "password": WRONG}, format="json").status_code == 401
    malformed = '{"username": "demo", "password": "' + BODY_PASSWORD + '",'
    assert vrt("/account/token/generation", malformed, content_type="application/json").status_code == 400
    wrong_type = {"username": ["demo"], "password": BODY_PASSWORD, "ttl_seconds": BODY_PASSWORD}
    assert vrt("/account/token/generation", wrong_type, format="json").status_code == 400
    ok = vrt("/account/token/generation", {"username": "demo", "password": TEST_PASSWORD}, format="json")
    assert ok.status_code == 200
    vrt_token = ok.json()
    secrets.append(vrt_token)
    client = bearer_client(demo_user)
    change = {"current_password": WRONG, "new_password": NEW}
    assert vrt("/account/password", change, client=client, format="json").status_code == 403
    change = {"current_password": TEST_PASSWORD, "new_password": REJECTED_NEW}
    assert vrt("/account/password", change, client=client, format="json").status_code == 400
    change = {"current_password": TEST_PASSWORD, "new_password": NEW}
    changed = vrt("/account/password", change, client=client, format="json")
    assert changed.status_code == 200
    secrets.append(changed.json())

    # Feecc: refused and successful logins, and a user created with a password (and refused).
    def feecc_login(password):
        form = f"username=viewer&password={password}"
        return APIClient().post("/token", form, content_type="application/x-www-form-urlencoded")

    assert feecc_login(WRONG).status_code == 401
    feecc = feecc_login(TEST_PASSWORD)
    assert feecc.status_code == 200
    secrets.append(feecc.json()["access_token"])
    demo_user.refresh_from_db()  # the password change bumped its token version
    feecc_client = bearer_client(demo_user)
    user = {"username": "feecc_new", "password": FEECC_USER_PASSWORD}
    assert feecc_client.post("/api/v1/users", user, format="json").status_code == 200
    refused = {"username": "bad\x00name", "password": FEECC_USER_PASSWORD}
    assert feecc_client.post("/api/v1/users", refused, format="json").status_code == 422

    # Datawiz: refused and successful password grants, a refresh, a bad refresh token.
    def datawiz(**form):
        return APIClient().post("/api/o/token/", form)

    assert datawiz(grant_type="password", username="viewer", password=WRONG).status_code == 400
    grant = datawiz(grant_type="password", username="viewer", password=TEST_PASSWORD)
    assert grant.status_code == 200
    secrets += [grant.json()["access_token"], grant.json()["refresh_token"]]
    refreshed = datawiz(grant_type="refresh_token", refresh_token=grant.json()["refresh_token"])
    assert refreshed.status_code == 200
    secrets += [refreshed.json()["access_token"], refreshed.json()["refresh_token"]]
    spent = datawiz(grant_type="refresh_token", refresh_token=grant.json()["refresh_token"])
    assert spent.json()["error"] == "invalid_grant"

    # Bad Bearer tokens on every API: a tampered real one, and the revoked one (password changed).
    tampered = secrets[-1][:-4] + ("AAAA" if not secrets[-1].endswith("AAAA") else "BBBB")
    secrets.append(tampered)
    for path in READS:
        for bad in (tampered, vrt_token, "garbage-" + BODY_PASSWORD):
            assert APIClient().get(path, HTTP_AUTHORIZATION=f"Bearer {bad}").status_code == 401, path

    assert caplog.records, "nothing was captured: the capture itself is broken"
    leaks = [
        f"{record.name} {record.levelname}: {text[:300]!r}"
        for record in caplog.records
        for text in [_record_text(record)]
        if any(secret in text for secret in secrets)
    ]
    assert not leaks, "\n".join(leaks)
    for body in vrt_error_bodies:
        assert "tracedata" in json.loads(body)
        for secret in (WRONG, NEW, REJECTED_NEW, BODY_PASSWORD, TEST_PASSWORD):
            assert secret not in body, body


def _client() -> APIClient:
    client = APIClient()
    client.raise_request_exception = False  # answer the 500 as in production
    return client


LOGINS = {
    "vrt": lambda: _client().post(
        "/account/token/generation", {"username": "demo", "password": BODY_PASSWORD}, format="json"
    ),
    "feecc": lambda: _client().post(
        "/token", f"username=demo&password={BODY_PASSWORD}", content_type="application/x-www-form-urlencoded"
    ),
    "datawiz": lambda: _client().post(
        "/api/o/token/", {"grant_type": "password", "username": "demo", "password": BODY_PASSWORD}
    ),
}


@pytest.mark.parametrize("api", sorted(LOGINS))
def test_a_crash_during_login_logs_no_password(api, every_log_record, demo_user, monkeypatch):
    """A 500 inside a login is logged with its traceback, and Django's error report (what
    ``mail_admins`` would send) filters the password out of the POST data and the frames."""
    from django.contrib.auth import get_user_model
    from django.views.debug import ExceptionReporter

    def broken(self, raw_password):
        raise RuntimeError("the password hasher is broken")

    # The user model overrides check_password (hash upgrades), so break it there.
    monkeypatch.setattr(get_user_model(), "check_password", broken)
    response = LOGINS[api]()
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert BODY_PASSWORD not in response.content.decode()
    errors = [r for r in every_log_record.records if r.exc_info]
    assert errors, "the crash was not logged"
    for record in every_log_record.records:
        assert BODY_PASSWORD not in _record_text(record), record.name
    for record in errors:
        request = getattr(record, "request", None)
        report = ExceptionReporter(request, *record.exc_info).get_traceback_text()
        assert BODY_PASSWORD not in report, f"{record.name}: the error report shows the password"
