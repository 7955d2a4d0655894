"""Hardening (issue 8): deploy checks, production secrets, security headers, admin for staff only."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "placeholder-" + "x" * 60,
    "JWT_SIGNING_KEY": "placeholder-" + "y" * 60,
    "DATABASE_URL": "postgres://placeholder@127.0.0.1:9/placeholder",
    "ALLOWED_HOSTS": "api.example.com",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "JWT_SIGNING_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_secret(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


@pytest.mark.django_db
def test_security_headers_on_api_and_admin(client):
    for path in ("/routes/no-such-thing/", "/admin/login/"):
        response = client.get(path)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Request-ID"]
    assert client.get("/admin/login/")["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_refuses_non_staff_and_anonymous(client, demo_user, password):
    assert client.get("/admin/accounts/user/").status_code == 302
    client.login(username="demo", password=password)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
