"""Issue 12: a standard deploy on a fresh database, served by gunicorn with 2 workers.

What an operator following the README does: create a database, ``migrate`` (and nothing
else: no ``createcachetable``), ``createsuperuser``, then gunicorn with the production
settings behind a TLS proxy (``SECURE_PROXY_SSL_HEADER``, ``NUM_PROXIES=1``; the proxy's
``X-Forwarded-Proto`` is sent by the test). Then: logins work, the probes answer over plain
HTTP by address, ``/metrics`` adds up both workers, and ``/readyz`` follows the database
going away and coming back.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings

from common.embedded_pg import database_url

PASSWORD = "Ops-password-2026!"
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7", "Host": "api.example.com"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin(config) -> psycopg.Connection:
    return psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"], dbname="postgres", autocommit=True
    )


@pytest.fixture(scope="module")
def fresh_database():
    config = dict(settings.DATABASES["default"])
    name = f"deploy_{uuid.uuid4().hex[:10]}"
    with _admin(config) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**config, "NAME": name}
    with _admin(config) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="module")
def deploy(fresh_database, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deploy")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "EMBEDDED_", "PROMETHEUS_", "METRICS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url(fresh_database),
        SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SIGNING_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="api.example.com",
        SECURE_PROXY_SSL_HEADER="true",
        NUM_PROXIES="1",
        METRICS_ALLOWED_NETWORKS="127.0.0.0/8",
        PROMETHEUS_MULTIPROC_DIR=str(tmp / "metrics"),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        LOG_LEVEL="warning",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    manage = [sys.executable, "manage.py"]
    cwd = settings.BASE_DIR
    migrated = subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=cwd, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    created = subprocess.run(
        [*manage, "createsuperuser", "--noinput", "--username", "ops", "--email", "ops@example.com"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or the worker still loading
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start: " + Path(tmp / "gunicorn.log").read_text()[-2000:])
        yield {"base": base, "db": fresh_database, "metrics_dir": tmp / "metrics", "proc": proc}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _db(deploy) -> psycopg.Connection:
    config = deploy["db"]
    return psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"], dbname=config["NAME"], autocommit=True
    )


def _login(base) -> requests.Response:
    return requests.post(
        base + "/account/token/generation", json={"username": "ops", "password": PASSWORD}, headers=PROXY, timeout=10
    )


def _metric(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_migrate_alone_gives_a_server_that_logs_in(deploy):
    base = deploy["base"]
    response = _login(base)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token.count(".") == 2
    info = requests.get(base + "/account/info", headers={**PROXY, "Authorization": f"Bearer {token}"}, timeout=10)
    assert info.status_code == 200
    assert info.json()["username"] == "ops"
    feecc = requests.post(base + "/token", data={"username": "ops", "password": PASSWORD}, headers=PROXY, timeout=10)
    assert feecc.status_code == 200 and feecc.json()["token_type"] == "bearer"
    with _db(deploy) as conn:
        assert conn.execute("SELECT to_regclass('django_cache') IS NOT NULL").fetchone() == (True,)
        assert conn.execute("SELECT is_superuser FROM accounts_user WHERE username = 'ops'").fetchone() == (True,)


def test_production_redirects_api_paths_but_not_the_probes(deploy):
    base = deploy["base"]
    plain = requests.get(
        base + "/account/system/version", headers={"Host": "api.example.com"}, timeout=5, allow_redirects=False
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://api.example.com/account/system/version"
    # Probed by address over plain HTTP: no redirect, no ALLOWED_HOSTS refusal.
    assert requests.get(base + "/healthz", timeout=5).json() == {"status": "ok"}
    ready = requests.get(base + "/readyz", timeout=5)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


def test_metrics_add_up_both_gunicorn_workers(deploy):
    base = deploy["base"]
    labels = {"api": "vrt_account", "operation": "accounts:info", "method": "GET", "status": "401"}
    before = _metric(requests.get(base + "/metrics", timeout=5).text, "http_requests_total", **labels)

    def anonymous_info(_):
        return requests.get(base + "/account/info", headers=PROXY, timeout=10).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(anonymous_info, range(120)))
    assert codes == [401] * 120

    # Both workers wrote counters (one file per process) ...
    pids = {re.search(r"_(\d+)\.db$", path).group(1) for path in glob.glob(str(deploy["metrics_dir"] / "counter_*.db"))}
    assert len(pids) == 2, pids
    # ... and every scrape, whichever worker answers it, sees the sum of both.
    for _ in range(6):
        text = requests.get(base + "/metrics", timeout=5).text
        assert _metric(text, "http_requests_total", **labels) == before + 120
        assert (
            _metric(
                text, "http_request_duration_seconds_count", api="vrt_account", operation="accounts:info", method="GET"
            )
            >= before + 120
        )


def test_readyz_follows_the_database(deploy):
    base = deploy["base"]
    token = _login(base).json()
    name = deploy["db"]["NAME"]
    with _admin(deploy["db"]) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        try:
            for _ in range(4):  # whichever worker answers
                down = requests.get(base + "/readyz", timeout=10)
                assert down.status_code == 503
                assert down.json() == {
                    "status": "unavailable",
                    "checks": {"database": "unreachable", "migrations": "unknown"},
                }
                assert requests.get(base + "/healthz", timeout=5).status_code == 200
                # VRt's own health endpoint keeps its contract: 200, health below 1.
                check = requests.get(base + "/account/system/check", headers=PROXY, timeout=10)
                assert check.status_code == 200 and check.json()["health"] < 1
            api = requests.get(
                base + "/account/info", headers={**PROXY, "Authorization": f"Bearer {token}"}, timeout=10
            )
            assert api.status_code == 503
            assert set(api.json()) == {"tracedata", "message"}
            text = requests.get(base + "/metrics", timeout=5).text
            assert _metric(text, "db_errors_total", api="vrt_account", error="OperationalError") >= 1
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    for _ in range(4):
        assert requests.get(base + "/readyz", timeout=10).status_code == 200


def test_readyz_reports_an_unapplied_migration(deploy):
    base = deploy["base"]
    with _db(deploy) as conn:
        row = conn.execute(
            "DELETE FROM django_migrations WHERE app = 'terminals' AND name = "
            "(SELECT max(name) FROM django_migrations WHERE app = 'terminals') RETURNING app, name, applied"
        ).fetchone()
        try:
            response = requests.get(base + "/readyz", timeout=10)
            assert response.status_code == 503
            assert response.json() == {
                "status": "unavailable",
                "checks": {"database": "ok", "migrations": "1 unapplied"},
            }
        finally:
            conn.execute("INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)", row)
    assert requests.get(base + "/readyz", timeout=10).status_code == 200
