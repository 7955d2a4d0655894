"""``common.postgres``: the per-request health check without ``SELECT 1`` on a quiet connection.

Against the real PostgreSQL: a healthy idle connection is kept without a round trip, and a
connection the server ended (``pg_terminate_backend``, what an administrator or a restart does)
is found by the check and replaced before the request's first query, which then succeeds.
"""

from __future__ import annotations

import select

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _new_request() -> None:
    """What Django does when a request starts (``close_old_connections``)."""
    connection.close_if_unusable_or_obsolete()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def usable_calls(monkeypatch):
    calls = []
    own = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or own())
    return calls


def test_every_database_uses_the_project_backend():
    assert {alias: db["ENGINE"] for alias, db in settings.DATABASES.items()} == {
        alias: "common.postgres" for alias in settings.DATABASES
    }
    assert connection.health_check_enabled


def test_a_quiet_idle_connection_is_kept_without_a_round_trip(usable_calls):
    pid = _backend_pid()
    for _ in range(3):
        _new_request()
        assert _backend_pid() == pid
    assert usable_calls == []


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(usable_calls):
    pid = _backend_pid()
    with connection.get_new_connection(connection.get_connection_params()) as killer:  # a second session
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
    # the server's FATAL message and the close reach the socket
    assert select.select([connection.connection.fileno()], [], [], 5)[0]
    _new_request()
    assert _backend_pid() != pid  # the request's first query ran on a new connection
    assert usable_calls == [1]  # Django's own SELECT 1 decided


def test_a_connection_inside_a_transaction_gets_django_s_check(usable_calls):
    _backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            connection.health_check_done = False
            connection.close_if_health_check_failed()
        finally:
            cursor.execute("ROLLBACK")
    assert usable_calls == [1]
