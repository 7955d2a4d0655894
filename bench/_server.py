"""Start gunicorn on a free loopback port against the benchmark's database (a second process)."""

from __future__ import annotations

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    """A free loopback port; from ``BENCH_PORTS`` (``FIRST-LAST``, a shared host's range) if set."""
    span = os.environ.get("BENCH_PORTS", "")
    if span:
        first, _, last = span.partition("-")
        for port in range(int(first), int(last or first) + 1):
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"no free port in BENCH_PORTS={span}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    workers: int = 2,
    extra_env: dict[str, str] | None = None,
    config: str = "gunicorn.conf.py",
    stderr=None,
):
    """Yield the base URL of a gunicorn serving this project on the current database.

    ``config``: the gunicorn config file; ``stderr``: where gunicorn's own log goes (a file).
    """
    with gunicorn_process(workers, extra_env, config=config, stderr=stderr) as (base, _proc):
        yield base


def worker_pids(master_pid: int) -> list[int]:
    """The pids of the gunicorn workers (children of the master), in pid order."""
    pids = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def rss_mb(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextlib.contextmanager
def gunicorn_process(
    workers: int = 2,
    extra_env: dict[str, str] | None = None,
    config: str = "gunicorn.conf.py",
    stderr=None,
):
    """``(base URL, master Popen)`` of a gunicorn on the current database; ``BENCH_PORT`` picks the port."""
    from django.conf import settings

    from common.embedded_pg import database_url

    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or database_url(settings.DATABASES["default"]),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "warning",
        "LOGIN_THROTTLE_RATE": "100000/minute",
        "ROUTES_TRUSTED_NETWORKS": "127.0.0.0/8",
        **(extra_env or {}),
    }
    env.pop("EMBEDDED_DATABASE_NAME", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            config,
            "--access-logfile",
            "/dev/null",
            "config.wsgi:application",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stderr=stderr,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/admin/login/", timeout=1)
                break
            except Exception:  # not listening yet
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
