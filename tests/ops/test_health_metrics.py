"""Issue 12, item 2: /healthz, /readyz and /metrics, in process (one worker, its own registry).

Counting across gunicorn workers and a database that really goes away are in
``tests/ops/test_gunicorn_deploy.py``.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def production_like(settings):
    """The production redirect and host check, to show the probes pass both."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["api.example.com"]


# --- /healthz, /readyz ------------------------------------------------------------------


def test_healthz_answers_without_auth_redirect_or_allowed_host(production_like):
    client = APIClient()
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    # The same request to an API path is redirected to HTTPS: the redirect is on.
    assert client.get("/account/system/version", HTTP_HOST="api.example.com").status_code == 301


def test_healthz_needs_no_database(database_down):
    database_down()
    assert APIClient().get("/healthz").json() == {"status": "ok"}


def test_readyz_ready(production_like):
    response = APIClient().get("/readyz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_with_the_database_down_is_503_and_vrt_check_keeps_its_contract(database_down):
    database_down()
    response = APIClient().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unreachable", "migrations": "unknown"}}
    # VRt's own health endpoint still answers its contract: 200 with health below 1.
    check = APIClient().get("/account/system/check")
    assert check.status_code == 200
    assert check.json()["health"] < 1


def test_readyz_with_an_unapplied_migration_is_503():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'common' AND name = '0001_database_cache_table'")
    response = APIClient().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "migrations": "1 unapplied"}}


def test_probes_refuse_writes():
    response = APIClient().post("/readyz", {})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# --- /metrics guard ----------------------------------------------------------------------


def test_metrics_are_off_by_default(settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_BEARER_TOKEN = ""
    assert APIClient().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_metrics_allow_list_matches_the_socket_peer_only(settings, production_like):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "::1/128"]
    settings.METRICS_BEARER_TOKEN = ""
    client = APIClient()
    inside = client.get("/metrics", REMOTE_ADDR="10.20.30.40", HTTP_HOST="10.0.0.5:8000")
    assert inside.status_code == 200
    assert inside["Content-Type"].startswith("text/plain; version=")
    assert b"# TYPE http_requests_total counter" in inside.content
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    outside = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert outside.status_code == 403
    assert b"METRICS_ALLOWED_NETWORKS" in outside.content
    # A forwarded-for header from outside changes nothing.
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.1.1").status_code == 403


def test_metrics_bearer_token(settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_BEARER_TOKEN = "s3cret-scrape-token"
    client = APIClient()
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Basic s3cret-scrape-token").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token").status_code == 200


def test_metrics_with_both_guards_need_both(settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.METRICS_BEARER_TOKEN = "s3cret-scrape-token"
    client = APIClient()
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret-scrape-token"}
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", **auth).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.1").status_code == 401
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.1", **auth).status_code == 200


# --- what is counted ---------------------------------------------------------------------


def test_requests_are_counted_by_api_operation_method_status(settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    labels = {"api": "vrt_account", "operation": "accounts:info", "method": "GET", "status": "401"}
    before = sample("http_requests_total", **labels)
    before_latency = sample(
        "http_request_duration_seconds_count", **{k: labels[k] for k in ("api", "operation", "method")}
    )
    assert APIClient().get("/account/info").status_code == 401
    assert sample("http_requests_total", **labels) == before + 1
    latency = {k: labels[k] for k in ("api", "operation", "method")}
    assert sample("http_request_duration_seconds_count", **latency) == before_latency + 1

    # The exposition shows it; probes are not counted.
    APIClient().get("/healthz")
    body = APIClient().get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'http_requests_total{api="vrt_account",method="GET",operation="accounts:info",status="401"}' in body
    assert 'operation="/healthz"' not in body and "healthz" not in body


def test_labels_never_hold_a_raw_path(settings, demo_user):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    marker = uuid.uuid4().hex
    client = APIClient()
    client.force_authenticate(demo_user)
    client.get(f"/api/v1/passports/{marker}")
    client.get(f"/account/no-such-path-{marker}")
    client.get(f"/{marker}")
    body = APIClient().get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert marker not in body
    assert 'api="vrt_account",method="GET",operation="none",status="404"' in body
    assert 'api="other",method="GET",operation="none",status="404"' in body


def test_login_failures_are_counted_on_every_login_endpoint(demo_user):
    client = APIClient()
    before = {api: sample("login_failures_total", api=api) for api in ("vrt_account", "feecc", "datawiz")}
    bad = {"username": "demo", "password": "wrong-password"}
    assert client.post("/account/token/generation", bad, format="json").status_code == 401
    assert client.post("/account/token/generation", {**bad, "username": "nobody"}, format="json").status_code == 401
    form = urlencode(bad)
    assert client.post("/token", form, content_type="application/x-www-form-urlencoded").status_code == 401
    assert client.post("/api/o/token/", {"grant_type": "password", **bad}).status_code in (400, 401)
    # A good login is not a failure.
    ok = {"username": "demo", "password": TEST_PASSWORD}
    assert client.post("/account/token/generation", ok, format="json").status_code == 200
    after = {api: sample("login_failures_total", api=api) for api in before}
    assert after == {
        "vrt_account": before["vrt_account"] + 2,
        "feecc": before["feecc"] + 1,
        "datawiz": before["datawiz"] + 1,
    }


def test_throttled_requests_are_counted(settings, monkeypatch, demo_user):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_ip": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    labels = {"api": "vrt_account", "operation": "accounts:token-generation"}
    before = sample("throttled_requests_total", **labels)
    client = APIClient()
    codes = [
        client.post(
            "/account/token/generation", {"username": "demo", "password": "wrong-password"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 429, 429]
    assert sample("throttled_requests_total", **labels) == before + 2
    cache.clear()


def test_database_errors_are_counted_once(demo_user, database_down):
    from tests.conftest import bearer_client

    client = bearer_client(demo_user)
    before = sample("db_errors_total", api="vrt_account", error="OperationalError")
    database_down()
    assert client.get("/account/info").status_code == 503
    assert sample("db_errors_total", api="vrt_account", error="OperationalError") == before + 1


def test_a_bad_metrics_network_is_named_by_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "10.0.0.0/33"]
    with pytest.raises(SystemCheckError, match=r"common.E001.*METRICS_ALLOWED_NETWORKS: '10.0.0.0/33'"):
        call_command("check")
