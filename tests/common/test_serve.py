"""A first start that explains itself (issue 12, item 5): ``manage.py serve`` and the embedded database.

The address and the database are checked before anything slow, each failure is one line naming
what to change (no traceback, no password); the banner follows gunicorn's TLS settings and lists
every demo login; a data directory left half-built by an interrupted first initialisation is
rebuilt on the next start, which says so.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from common.embedded_pg import INIT_MARKER, half_initialised_reason
from common.management.commands.serve import banner, redacted_database_url
from tests.common.servers import free_port

BASE_DIR = Path(settings.BASE_DIR)


def _serve(env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PORT", "HOST", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "manage.py", "serve", "--no-seed"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens there once the socket is closed


def test_port_in_use_is_one_line_naming_port_before_migrating():
    port = free_port()
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", port))
        busy.listen()
        result = _serve({"PORT": str(port), "DATABASE_URL": "postgres://u@127.0.0.1:1/x"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"CommandError: port {port} on 127.0.0.1 is already in use")
    assert "PORT=" in lines[0] and "make serve" in lines[0]
    assert "migrating" not in result.stdout and "Applying" not in result.stdout


def test_host_not_of_this_machine_is_one_line():
    result = _serve({"HOST": "192.0.2.1", "PORT": str(free_port()), "DATABASE_URL": "postgres://u@127.0.0.1:1/x"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: HOST=192.0.2.1 is not an address of this machine; use e.g. HOST=127.0.0.1 or HOST=0.0.0.0"
    )


def test_unreachable_database_url_is_one_line_without_the_password():
    port = _closed_port()
    url = f"postgres://app:Db-Secret-Pass-77@127.0.0.1:{port}/five"
    result = _serve({"PORT": str(free_port()), "DATABASE_URL": url})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"CommandError: DATABASE_URL=postgres://app:***@127.0.0.1:{port}/five does not answer: ")
    assert "Connection refused" in line
    assert "unset it to use the embedded PostgreSQL" in line
    assert "Db-Secret-Pass-77" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "migrating" not in result.stdout


def test_unresolvable_database_host_is_one_line():
    result = _serve({"PORT": str(free_port()), "DATABASE_URL": "postgres://app@no-such-host.invalid:5432/five"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "CommandError: DATABASE_URL=postgres://app@no-such-host.invalid:5432/five does not answer"
    )
    assert "no-such-host.invalid" in lines[0]


@pytest.mark.parametrize(
    ("url", "tail"),
    [("mysql://app:pw@localhost/five", "not mysql://..."), ("no-scheme-at-all", "not one without a scheme")],
)
def test_database_url_of_another_kind_is_one_line(url, tail):
    result = _serve({"PORT": str(free_port()), "DATABASE_URL": url})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:5432/dbname "
        f"(or unset, for the embedded PostgreSQL), {tail}"
    )


def test_redacted_database_url_hides_only_the_password():
    assert redacted_database_url("postgres://u:p%40ss@db:5432/x") == "postgres://u:***@db:5432/x"
    assert redacted_database_url("postgres://u@%2Frun%2Fpg/x") == "postgres://u@%2Frun%2Fpg/x"


def test_banner_shows_https_with_a_certificate_and_every_demo_login():
    plain = banner({"bind": "127.0.0.1:8000", "certfile": None, "keyfile": None}, "pw-1")
    assert plain.splitlines()[0] == "Serving on http://127.0.0.1:8000"
    assert "https://" not in plain
    tls = banner({"bind": "0.0.0.0:8443", "certfile": "/etc/ssl/api.crt", "keyfile": "/etc/ssl/api.key"}, "pw-1")
    assert tls.splitlines()[0] == "Serving on https://127.0.0.1:8443 (listening on 0.0.0.0:8443, every interface)"
    assert "http://" not in tls
    for text in (plain, tls):
        assert "demo / pw-1" in text and "viewer / pw-1" in text and "admin / pw-1" in text
        assert "/api/docs/" in text and "/admin/" in text


def test_banner_follows_gunicorn_conf_tls_settings(monkeypatch):
    from common.management.commands.serve import gunicorn_settings

    monkeypatch.setenv("TLS_CERTFILE", "/etc/ssl/api.crt")
    monkeypatch.setenv("TLS_KEYFILE", "/etc/ssl/api.key")
    monkeypatch.setenv("PORT", "8443")
    assert banner(gunicorn_settings(), "x").startswith("Serving on https://127.0.0.1:8443")
    monkeypatch.delenv("TLS_CERTFILE")
    monkeypatch.delenv("TLS_KEYFILE")
    assert banner(gunicorn_settings(), "x").startswith("Serving on http://127.0.0.1:8443")


# --- the embedded database's interrupted first initialisation --------------------------------

START = """
import sys
sys.path.insert(0, {base!r})
from pathlib import Path
import psycopg
from common.embedded_pg import ensure_server
config = ensure_server(Path(sys.argv[1]))
with psycopg.connect(host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
                     dbname=config["NAME"]) as conn:
    print("answers", conn.execute("SELECT 41 + 1").fetchone()[0], flush=True)
"""


def _start_embedded(data_dir: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", START.format(base=str(BASE_DIR)), str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _postgres_processes(pgdata: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(attrs=("name", "cmdline")):
        if proc.info["name"] == "postgres" and str(pgdata) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


def _start_until_initdb_begins(tmp_path):
    """Start the embedded database on a new data directory; return once initdb has written PG_VERSION."""
    data_dir = tmp_path / "data"
    first = _start_embedded(data_dir, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (data_dir / "postgres" / "PG_VERSION").exists():
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "initdb never wrote PG_VERSION"
        time.sleep(0.02)
    return data_dir, first


def test_an_interrupted_first_initialisation_is_rebuilt_on_the_next_start(tmp_path):
    data_dir, first = _start_until_initdb_begins(tmp_path)
    pgdata = data_dir / "postgres"
    # Killed mid-initdb (as when Ctrl-C makes Python kill initdb before it cleans up).
    os.killpg(first.pid, signal.SIGKILL)
    first.communicate(timeout=30)
    for proc in _postgres_processes(pgdata):  # a bootstrap backend may outlive its parent briefly
        proc.wait(10)
    assert (pgdata / "PG_VERSION").exists()
    assert (data_dir / INIT_MARKER).exists()
    assert half_initialised_reason(data_dir) == "its first initialisation was interrupted"

    out, err = _start_embedded(data_dir).communicate(timeout=180)
    assert out.strip() == "answers 42", err
    assert f"embedded PostgreSQL: {pgdata} is half-initialised (its first initialisation was interrupted); " in err
    assert "deleting it and initialising it again" in err
    assert not (data_dir / INIT_MARKER).exists()
    assert half_initialised_reason(data_dir) is None
    assert not _postgres_processes(pgdata), "the server outlived the process that started it"

    # A third start reuses the cluster: no rebuild, no first-start message.
    out, err = _start_embedded(data_dir).communicate(timeout=120)
    assert out.strip() == "answers 42", err
    assert "half-initialised" not in err and "first start" not in err


def _cluster(data_dir: Path, *, databases=("1", "4", "5"), postmaster_pid: int | None = None) -> Path:
    pgdata = data_dir / "postgres"
    for oid in databases:
        (pgdata / "base" / oid).mkdir(parents=True)
    (pgdata / "global").mkdir()
    (pgdata / "PG_VERSION").write_text("18\n")
    if postmaster_pid is not None:
        (pgdata / "postmaster.pid").write_text(f"{postmaster_pid}\n{pgdata}\n")
    return pgdata


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_half_initialised_detection_never_touches_a_cluster_with_data(tmp_path):
    # initdb killed before this wrapper wrote markers: its bootstrap backend's negative PID is left.
    legacy = tmp_path / "legacy"
    _cluster(legacy, postmaster_pid=-_dead_pid())
    assert half_initialised_reason(legacy) == "initdb was interrupted (a stale bootstrap postmaster.pid)"
    # The same, but a database of ours exists: never deleted, whatever else is wrong.
    with_data = tmp_path / "with-data"
    _cluster(with_data, databases=("1", "4", "5", "16384"), postmaster_pid=-_dead_pid())
    assert half_initialised_reason(with_data) is None
    # A healthy stopped cluster, and one whose server crashed (positive stale PID): left alone.
    healthy = tmp_path / "healthy"
    _cluster(healthy)
    assert half_initialised_reason(healthy) is None
    crashed = tmp_path / "crashed"
    _cluster(crashed, postmaster_pid=_dead_pid())
    assert half_initialised_reason(crashed) is None
    # Files but no PG_VERSION: initdb never got far.
    early = tmp_path / "early"
    (early / "postgres" / "base").mkdir(parents=True)
    assert half_initialised_reason(early) == "it has files but no PG_VERSION"
    # Another live process is initialising it right now: not ours to delete.
    busy = tmp_path / "busy"
    (busy / "postgres").mkdir(parents=True)
    (busy / INIT_MARKER).write_text(str(os.getppid()))
    assert half_initialised_reason(busy) is None
    (busy / INIT_MARKER).write_text(str(_dead_pid()))
    assert half_initialised_reason(busy) == "its first initialisation was interrupted"


def test_ctrl_c_during_the_first_initialisation_is_one_line_and_the_next_start_works(tmp_path):
    data_dir, first = _start_until_initdb_begins(tmp_path)
    pgdata = data_dir / "postgres"
    os.killpg(first.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    out, err = first.communicate(timeout=60)
    assert out == ""
    assert "Traceback" not in err and "initdb" not in err, err
    assert err.splitlines() == [
        f"embedded PostgreSQL: first start: initialising {pgdata} (a few seconds)",
        "embedded PostgreSQL: the first initialisation was interrupted (Ctrl-C); the next start does it again",
    ]
    assert first.returncode == 130
    assert not _postgres_processes(pgdata)

    out, err = _start_embedded(data_dir).communicate(timeout=180)
    assert out.strip() == "answers 42", err
    assert "is half-initialised (its first initialisation was interrupted)" in err


def test_reading_gunicorn_conf_leaves_the_process_environment_alone(monkeypatch, tmp_path):
    """serve reads gunicorn.conf.py for its banner; the metrics directory it would set up is the
    gunicorn master's to make (a leak made /metrics of the calling process look multiprocess)."""
    import glob
    import os
    import tempfile

    from common.management.commands.serve import gunicorn_settings

    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.delenv("GUNICORN_OWN_METRICS_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = dict(os.environ)
    assert gunicorn_settings()["bind"]
    assert dict(os.environ) == before
    assert glob.glob(str(tmp_path / "five-apis-metrics-*")) == []
