"""Ports for the servers the tests start themselves (gunicorn, ``manage.py serve``)."""

from __future__ import annotations

import os
import socket


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free loopback port: from ``TEST_SERVER_PORTS`` (``FIRST-LAST``, a shared host's range) if set."""
    span = os.environ.get("TEST_SERVER_PORTS", "")
    if span:
        first, _, last = span.partition("-")
        for port in range(int(first), int(last or first) + 1):
            if _is_free(port):
                return port
        raise RuntimeError(f"no free port in TEST_SERVER_PORTS={span}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
