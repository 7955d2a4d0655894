"""PgBouncer in transaction mode (issue 16): no session state survives a transaction.

Consecutive transactions of one Django connection may run on different server connections,
so the code keeps nothing in the session: no server-side (WITH HOLD) cursors, no prepared
statements, advisory locks only ``_xact_``, no session ``SET``. The live proof is
``make cluster-test`` (three nodes through a real PgBouncer); these tests guard each rule.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from config.env import BASE_DIR
from tests.accounts.factories import ProcessFactory

APPS = ("accounts", "routes", "passports", "calculations", "terminals", "common", "config")

_PRINT_DATABASES = """
import json, django
django.setup()
from django.conf import settings
from django.db import connections
databases = {alias: connections[alias].settings_dict for alias in connections}
print(json.dumps({"databases": databases, "replicas": settings.DATABASE_REPLICAS}, default=str))
"""


def _settings_with(**env) -> dict:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env}
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_DATABASES],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


URLS = {
    "DATABASE_URL": "postgres://app:secret@127.0.0.1:18798/app",  # never connected to here
    "DATABASE_REPLICA_URLS": "postgres://app:secret@10.0.0.2:5432/app,postgres://app:secret@10.0.0.3:5432/app",
}


def test_transaction_pooling_turns_off_server_side_cursors_and_prepared_statements_everywhere():
    config = _settings_with(**URLS, DATABASE_TRANSACTION_POOLING="1")
    assert config["replicas"] == ["replica_1", "replica_2"]
    databases = config["databases"]
    assert set(databases) == {"default", "replica_1", "replica_2"}
    for alias, entry in databases.items():
        assert entry["DISABLE_SERVER_SIDE_CURSORS"] is True, alias
        assert "prepare_threshold" in entry["OPTIONS"] and entry["OPTIONS"]["prepare_threshold"] is None, alias
    assert databases["replica_2"]["HOST"] == "10.0.0.3"
    assert databases["replica_1"]["TEST"]["MIRROR"] == "default"
    assert databases["replica_1"]["OPTIONS"]["connect_timeout"] == 2
    assert databases["replica_1"]["CONN_MAX_AGE"] == databases["default"]["CONN_MAX_AGE"]


def test_without_a_pooler_or_replicas_the_databases_are_as_before():
    config = _settings_with(DATABASE_URL=URLS["DATABASE_URL"], DATABASE_REPLICA_URLS="")
    assert config["replicas"] == []
    assert set(config["databases"]) == {"default"}
    entry = config["databases"]["default"]
    assert entry.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
    assert "prepare_threshold" not in entry["OPTIONS"]


def _sources():
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def test_advisory_locks_are_transaction_scoped_only():
    session_lock = re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.IGNORECASE)
    offenders = [str(path.relative_to(BASE_DIR)) for path, text in _sources() if session_lock.search(text)]
    assert offenders == []


def test_no_session_level_set_in_sql():
    # SET CONSTRAINTS / SET LOCAL end with the transaction; "DO UPDATE SET" is an upsert.
    session_set = re.compile(r"""["']\s*SET\s+(?!CONSTRAINTS\b|LOCAL\b)\w+""")
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
        for path, text in _sources()
        if Path(path).name != "test_pooler_settings.py"
        for match in session_set.finditer(text)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_streamed_report_uses_a_plain_cursor_when_server_side_cursors_are_off(demo_client, demo_user, monkeypatch):
    from datetime import UTC, datetime

    ProcessFactory(user=demo_user, created_at=datetime(2026, 11, 10, 12, 0, tzinfo=UTC))
    connection = connections["default"]
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)

    def no_server_side_cursor():
        raise AssertionError("a WITH HOLD cursor would outlive its pooled server connection")

    monkeypatch.setattr(connection, "chunked_cursor", no_server_side_cursor)
    response = demo_client.get("/account/report", {"from": "2026-11-01", "to": "2026-11-30"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"PK")
