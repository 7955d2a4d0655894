"""Django's PostgreSQL backend with a health check that needs no round trip when it can tell.

With ``CONN_HEALTH_CHECKS`` Django runs ``SELECT 1`` before the first query of each request on
a persistent connection, so that a connection the server dropped is replaced instead of
failing the request. That is a round trip of every request (two on this stack, counted at
the driver). A connection the server or a pooler ended while it was idle is one of:

* known closed or broken by psycopg;
* readable: the server sent a last message (``FATAL: terminating connection due to
  administrator command`` or ``… immediate shutdown``, ``idle_session_timeout``) and closed
  it, or the kernel saw it reset.

A healthy idle connection has nothing to read. So ``close_if_health_check_failed`` polls the
socket without waiting and, when the connection is idle, open and quiet, counts the check as
done; anything else (bytes waiting, a hang-up, a transaction open, a pool) goes to Django's own
check, ``SELECT 1``, which decides as before. A connection that fails silently (a network cut
with no reset) is not seen by either before its first query times out.
``tests/common/test_db_health.py`` drives both paths against PostgreSQL.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq

_HANGUP = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _idle_and_quiet(self) -> bool:
        """True when the connection is open, outside a transaction, and nothing waits on its socket."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), _HANGUP)
            return not poller.poll(0)
        except (OSError, ValueError):
            return False
