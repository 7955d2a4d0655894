"""Mixed read/write load against gunicorn for LOAD_SECONDS (default 60) from a second process.

Prints requests/s, p50/p99 latency and the count of 5xx answers and connection errors
(goal: zero of both). Run: ``make bench`` or ``.venv/bin/python -m bench.load_mixed``.

``--against REF`` (a commit, e.g. ``a8f5608``) measures that commit too, in the same run on the
same machine with the same workers count: REF is checked out in a git worktree with its own
virtual environment (built once from its requirements, kept in ``.data/bench-ref/``) and its
own database on the same PostgreSQL, seeded by its own ``seed_demo``. The two servers take the
load in alternating slices (``LOAD_ROUNDS``, default 2, each ``LOAD_SECONDS / LOAD_ROUNDS`` per
server) so that a change in the machine's load hits both; then the ratios are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
THREADS = int(os.environ.get("LOAD_THREADS", "8"))
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "2"))
WORKERS = 2


def workload(base: str, token: str):
    """(method, url, json body) tuples cycled by every thread: reads of all five APIs, a few writes."""
    return [
        ("GET", f"{base}/account/info", None),
        ("GET", f"{base}/account/quota", None),
        ("GET", f"{base}/account/audit?limit=20", None),
        ("GET", f"{base}/routes/units/?limit=100", None),
        ("GET", f"{base}/routes/report-types/", None),
        ("GET", f"{base}/api/v1/passports?page=1&items=20", None),
        ("GET", f"{base}/api/v1/employees", None),
        ("GET", f"{base}/formula/catalogs/list/users", None),
        ("POST", f"{base}/formula/calculations/list", {"currentQuantity": 1, "defaultQuantity": 20}),
        ("GET", f"{base}/api/v1/terminals/?page_size=50", None),
        ("POST", f"{base}/api/v1/terminals/", [{"terminal_id": "load-1", "name": "Load 1", "shop_id": "1"}]),
        ("GET", f"{base}/api/v1/shops/", None),
        ("POST", f"{base}/account/token/validation", token),
    ]


@dataclass
class Load:
    """What one server answered, summed over its slices."""

    latencies: list[float] = field(default_factory=list)
    by_request: dict[str, list[float]] = field(default_factory=dict)  # "METHOD /path" → its latencies
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def quantile(self, q: float, latencies: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if latencies is None else latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


class _Client:
    """One keep-alive HTTP/1.1 connection (http.client): the lightest client the standard library
    has, so that the machine's two cores go to the servers measured rather than to the load
    (``requests`` took about a quarter of them)."""

    def __init__(self, base: str, token: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body) -> int:
        headers = self.headers
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers = {**headers, "Content-Type": "application/json"}
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            self.connection.request(method, path, payload, headers)
            response = self.connection.getresponse()
            response.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        if response.will_close:
            self.connection.close()
            self.connection = None
        return response.status


def drive(load: Load, base: str, token: str, seconds: float) -> None:
    """THREADS clients cycling the workload against ``base`` for ``seconds``; adds to ``load``."""
    plan = [(method, url.removeprefix(base), body) for method, url, body in workload(base, token)]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        client = _Client(base, token)
        i = offset
        local_lat, local_status, local_err = [], Counter(), Counter()
        local_by: dict[str, list[float]] = {}
        while time.monotonic() < deadline:
            method, path, body = plan[i % len(plan)]
            i += 1
            start = time.perf_counter()
            try:
                status = client.request(method, path, body)
                local_status[status // 100 * 100] += 1
                if status >= 500:
                    local_err[f"{method} {path} {status}"] += 1
            except (OSError, http.client.HTTPException) as exc:
                local_err[f"connection error: {type(exc).__name__}"] += 1
            elapsed = time.perf_counter() - start
            local_lat.append(elapsed)
            local_by.setdefault(f"{method} {path}", []).append(elapsed)
        with lock:
            load.latencies.extend(local_lat)
            for what, latencies in local_by.items():
                load.by_request.setdefault(what, []).extend(latencies)
            load.statuses.update(local_status)
            load.errors.update(local_err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.elapsed += time.monotonic() - started


def report(name: str, load: Load) -> None:
    total = len(load.latencies)
    print(f"{name}: {total} requests in {load.elapsed:.1f} s, {THREADS} client threads, {WORKERS} gunicorn workers")
    median = statistics.median(load.latencies) * 1000 if total else 0.0
    print(f"  throughput {load.throughput:.0f} req/s; p50 {median:.1f} ms; p99 {load.quantile(0.99) * 1000:.1f} ms")
    print(f"  by class: {dict(sorted(load.statuses.items()))}")
    connection_errors = sum(v for k, v in load.errors.items() if k.startswith("connection error"))
    print(f"  5xx: {load.server_errors}; connection errors: {connection_errors}")
    for what, count in load.errors.most_common(10):
        print(f"    {count} × {what}")
    # Which requests make the tail: each one's p50 and p99, slowest p99 first.
    rows = sorted(load.by_request.items(), key=lambda item: -load.quantile(0.99, item[1]))
    for what, latencies in rows:
        print(
            f"    p50 {statistics.median(latencies) * 1000:5.1f} ms  p99 {load.quantile(0.99, latencies) * 1000:5.1f} ms"
            f"  {what[:70]}"
        )


# --- the reference commit -------------------------------------------------------------------


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def reference_checkout(root: Path, ref: str) -> tuple[Path, Path]:
    """``(worktree, python)`` of ``ref``: a detached worktree and a venv from its requirements."""
    sha = _git("rev-parse", "--verify", f"{ref}^{{commit}}", cwd=root)
    home = root / ".data" / "bench-ref" / sha[:12]
    tree, venv = home / "tree", home / "venv"
    if not (tree / "manage.py").exists():
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=root, check=True)
        _git("worktree", "add", "--detach", "--force", str(tree), sha, cwd=root)
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if not stamp.exists():
        print(f"reference {ref} ({sha[:12]}): building its virtual environment (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(tree / "requirements.txt")],
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:
            raise SystemExit(f"load_mixed: installing {ref}'s requirements failed:\n{pip.stdout}{pip.stderr}")
        stamp.touch()
    return tree, python


def reference_database(tree: Path, python: Path, url: str, env: dict) -> None:
    """A fresh database for the reference, migrated and seeded by the reference's own code."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"], ["seed_demo"]):
        subprocess.run([str(python), "manage.py", *command], cwd=tree, env=env, check=True, capture_output=True)


@contextlib.contextmanager
def reference_server(root: Path, ref: str, our_url: str, secrets: dict):
    """The base URL of ``ref`` served by gunicorn with WORKERS workers on its own database."""
    from bench._server import free_port

    tree, python = reference_checkout(root, ref)
    url = our_url.rsplit("/", 1)[0] + "/bench_reference"
    env = {
        **{k: v for k, v in os.environ.items() if k != "EMBEDDED_DATABASE_NAME"},
        **secrets,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": url,
        "LOGIN_THROTTLE_RATE": "100000/minute",
        "ROUTES_TRUSTED_NETWORKS": "127.0.0.0/8",
    }
    reference_database(tree, python, url, env)
    port = free_port()
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(WORKERS), "LOG_LEVEL": "warning"})
    command = [str(python), "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"]
    proc = subprocess.Popen([*command, "config.wsgi:application"], cwd=tree, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait(base: str) -> None:
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/admin/login/", timeout=1)
            return
        except Exception:  # not listening yet
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REF", help="also measure this commit, in the same run")
    args = parser.parse_args(argv)

    from bench._django import setup

    # A database of its own, emptied first: the shared ``bench`` database keeps what other
    # benches and profiling runs wrote (tens of thousands of terminals once), and the reference
    # starts from a fresh seed_demo too, so both servers answer over the same rows.
    setup("bench_load")
    import io

    from django.conf import settings
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    from accounts.models import User
    from bench._server import gunicorn
    from common.auth import issue_access_token
    from common.embedded_pg import database_url

    call_command("seed_demo", stdout=io.StringIO())
    token = issue_access_token(User.objects.get(username="demo"))
    # The same keys for both servers: one token is valid on either.
    secrets = {"SECRET_KEY": settings.SECRET_KEY, "JWT_SIGNING_KEY": settings.JWT_SIGNING_KEY}
    ours = Load()
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(gunicorn(workers=WORKERS, extra_env=secrets))
        servers = [("ours", base, ours)]
        if args.against:
            our_url = os.environ.get("DATABASE_URL") or database_url(settings.DATABASES["default"])
            reference = stack.enter_context(reference_server(Path(settings.BASE_DIR), args.against, our_url, secrets))
            servers.insert(0, (args.against, reference, Load()))
        for _ in range(ROUNDS if args.against else 1):
            for _, url, load in servers:
                drive(load, url, token, SECONDS / ROUNDS if args.against else SECONDS)
    for name, _, load in servers:
        report("load" if name == "ours" and not args.against else name, load)
    if args.against:
        theirs = servers[0][2]
        print(
            f"ratio ours/{args.against}: throughput x{ours.throughput / max(theirs.throughput, 1e-9):.2f} "
            f"(goal >= 1.5); p99 {ours.quantile(0.99) * 1000:.1f} ms (goal < 50) against "
            f"{theirs.quantile(0.99) * 1000:.1f} ms; 5xx ours {ours.server_errors}, {args.against} {theirs.server_errors}"
        )


if __name__ == "__main__":
    main()
