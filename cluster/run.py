"""``make cluster-test``: the project scaled out on one machine, and the proof.

Each "host" runs in its own network namespace (``ip netns``), joined by veth pairs to a
bridge in a switch namespace; all traffic stays on 10.231.0.0/24 inside them:

    fa-cl-pg1  10.231.0.11  PostgreSQL primary          (Debian postgresql-15)
    fa-cl-pg2  10.231.0.12  streaming hot standby        (pg_basebackup -R)
    fa-cl-pgb  10.231.0.13  PgBouncer, transaction mode  (in front of the primary)
    fa-cl-app1..3 .21-.23   gunicorn nodes of the project (production settings)
    fa-cl-lb   10.231.0.30  nginx: :80 balances the three nodes, :81 only node 1
    fa-cl-cli  10.231.0.40  the load generator (cluster/load.py)

Phases: throughput of 1 node vs 3 nodes; a bounded mixed load of the five APIs during
which node 2 is killed and restarted, the standby is killed and restarted, and its replay
is paused past the lag bound; the shared throttle and token revocation across nodes; the
acknowledged writes checked on the primary. Prints the figures; exits non-zero on a failed
assertion. Everything it starts is stopped and every namespace removed at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PREFIX = "fa-cl-"
NET = "10.231.0"
HOSTS = {
    "pg1": 11,
    "pg2": 12,
    "pgb": 13,
    "app1": 21,
    "app2": 22,
    "app3": 23,
    "lb": 30,
    "cli": 40,
}
APP_NODES = ("app1", "app2", "app3")
PASSWORD = "cluster-secret-2026"
REPLICATION_PASSWORD = "replication-secret-2026"
MAX_LAG = 2.0
LOGIN_RATE = 5  # per minute: small, so the shared throttle shows within one run
PACKAGES = {
    "postgresql-15": PG_BIN / "postgres",
    "pgbouncer": Path("/usr/sbin/pgbouncer"),
    "nginx-light": Path("/usr/sbin/nginx"),
}

STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def ip(name: str) -> str:
    return f"{NET}.{HOSTS[name]}"


def run(*args, check=True, capture=False, env=None, timeout=300, input=None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        input=input,
    )
    if check and result.returncode != 0:
        raise SystemExit(
            f"cluster-test: command failed ({result.returncode}): {' '.join(map(str, args))}\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result


def in_ns(name: str, *args) -> list:
    return ["ip", "netns", "exec", PREFIX + name, *args]


def as_postgres(*args) -> list:
    return ["runuser", "-u", "postgres", "--", *args]


class Cluster:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="fa-cluster-"))
        self.work.chmod(0o755)
        self.processes: dict[str, subprocess.Popen] = {}
        self.namespaces: list[str] = []

    # --- preflight ---------------------------------------------------------------------

    @staticmethod
    def preflight() -> None:
        if os.geteuid() != 0:
            raise SystemExit("cluster-test: run as root (it creates network namespaces): sudo make cluster-test")
        if not PY.exists():
            raise SystemExit("cluster-test: no .venv; run `make install` first")
        missing = [name for name, path in PACKAGES.items() if not path.exists()]
        if shutil.which("ip") is None:
            missing.append("iproute2")
        if missing:
            log(f"installing Debian packages: {' '.join(missing)}")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            run("apt-get", "update", env=env, timeout=600)
            run("apt-get", "install", "-y", "--no-install-recommends", *missing, env=env, timeout=900)

    # --- network -----------------------------------------------------------------------

    def network_up(self) -> None:
        for stale in run("ip", "netns", "list", capture=True).stdout.split("\n"):
            name = stale.split(" ")[0]
            if name.startswith(PREFIX):  # a previous run of this script that was killed
                self._kill_namespace_processes(name)
                run("ip", "netns", "del", name, check=False)
        switch = PREFIX + "sw"
        run("ip", "netns", "add", switch)
        self.namespaces.append(switch)
        run(*in_ns("sw", "ip", "link", "add", "br0", "type", "bridge"))
        run(*in_ns("sw", "ip", "link", "set", "br0", "up"))
        for index, (name, octet) in enumerate(HOSTS.items()):
            ns = PREFIX + name
            run("ip", "netns", "add", ns)
            self.namespaces.append(ns)
            host_end, switch_end = f"fa{index}h", f"fa{index}s"
            run("ip", "link", "add", host_end, "netns", ns, "type", "veth", "peer", "name", switch_end, "netns", switch)
            run(*in_ns("sw", "ip", "link", "set", switch_end, "master", "br0", "up"))
            run(*in_ns(name, "ip", "addr", "add", f"{NET}.{octet}/24", "dev", host_end))
            run(*in_ns(name, "ip", "link", "set", host_end, "up"))
            run(*in_ns(name, "ip", "link", "set", "lo", "up"))
        log(f"network: {len(HOSTS)} namespaces on {NET}.0/24 through a bridge in {switch}")

    # --- PostgreSQL --------------------------------------------------------------------

    def _pg_dir(self, name: str) -> Path:
        return self.work / name

    def pg_ctl(self, name: str, *args, check=True):
        data = self._pg_dir(name) / "data"
        return run(
            *in_ns(name, *as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", self._pg_dir(name) / "log", *args)),
            check=check,
        )

    def psql(self, name: str, sql: str, database: str = "app") -> str:
        socket = self._pg_dir(name) / "socket"
        result = run(
            *as_postgres(PG_BIN / "psql", "-h", socket, "-d", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql)
        )
        return result.stdout.strip()

    def primary_up(self) -> None:
        root = self._pg_dir("pg1")
        (root / "socket").mkdir(parents=True)
        shutil.chown(root, "postgres")
        shutil.chown(root / "socket", "postgres")
        pwfile = root / "pw"
        pwfile.write_text(PASSWORD)
        shutil.chown(pwfile, "postgres")
        run(
            *as_postgres(
                PG_BIN / "initdb",
                "-D",
                root / "data",
                "-U",
                "postgres",
                "-A",
                "peer",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        )
        with (root / "data" / "postgresql.conf").open("a") as conf:
            conf.write(
                textwrap.dedent(f"""
                listen_addresses = '{ip("pg1")}'
                unix_socket_directories = '{root / "socket"}'
                max_connections = 100
                shared_buffers = 64MB
                wal_level = replica
                max_wal_senders = 5
                wal_keep_size = 256MB
                hot_standby = on
                timezone = 'UTC'
                log_timezone = 'UTC'
                """)
            )
        with (root / "data" / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all app {NET}.0/24 scram-sha-256\nhost replication replicator {NET}.0/24 scram-sha-256\n")
        self.pg_ctl("pg1", "-w", "-t", "60", "start")
        self.psql(
            "pg1",
            f"CREATE ROLE app LOGIN PASSWORD '{PASSWORD}'; "
            f"CREATE ROLE replicator LOGIN REPLICATION PASSWORD '{REPLICATION_PASSWORD}'; "
            "GRANT pg_monitor TO app;",
            database="postgres",
        )
        self.psql("pg1", "CREATE DATABASE app OWNER app", database="postgres")
        log(f"primary: PostgreSQL {self.psql('pg1', 'SHOW server_version', database='postgres')} on {ip('pg1')}:5432")

    def standby_up(self) -> None:
        root = self._pg_dir("pg2")
        (root / "socket").mkdir(parents=True)
        shutil.chown(root, "postgres")
        shutil.chown(root / "socket", "postgres")
        passfile = root / "pgpass"
        passfile.write_text(f"{ip('pg1')}:5432:*:replicator:{REPLICATION_PASSWORD}\n")
        passfile.chmod(0o600)
        shutil.chown(passfile, "postgres")
        env = {**os.environ, "PGPASSFILE": str(passfile)}
        run(
            *in_ns(
                "pg2",
                *as_postgres(
                    "env",
                    f"PGPASSFILE={passfile}",
                    PG_BIN / "pg_basebackup",
                    "-h",
                    ip("pg1"),
                    "-U",
                    "replicator",
                    "-D",
                    root / "data",
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                ),
            ),
            env=env,
        )
        with (root / "data" / "postgresql.auto.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{ip('pg2')}'\nunix_socket_directories = '{root / 'socket'}'\n"
                f"primary_conninfo = 'host={ip('pg1')} port=5432 user=replicator passfile={passfile} application_name=pg2'\n"
            )
        self.pg_ctl("pg2", "-w", "-t", "60", "start")
        log(
            f"standby: streaming from the primary on {ip('pg2')}:5432 (in recovery: {self.psql('pg2', 'SELECT pg_is_in_recovery()')})"
        )

    def business_scans(self, name: str) -> int:
        """Sequential + index scans of the business tables (not users, auth, sessions, cache)."""
        return int(
            self.psql(
                name,
                "SELECT COALESCE(sum(seq_scan + COALESCE(idx_scan, 0)), 0) FROM pg_stat_user_tables "
                "WHERE relname !~ '^(accounts_user|accounts_company|auth_|django_)'",
            )
        )

    def standby_lag(self) -> float:
        value = self.psql(
            "pg1",
            "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag), 0) FROM pg_stat_replication WHERE application_name = 'pg2'",
        )
        return float(value or "nan")

    # --- PgBouncer, nginx -----------------------------------------------------------------

    def pgbouncer_up(self) -> None:
        root = self.work / "pgb"
        root.mkdir()
        (root / "userlist.txt").write_text(f'"app" "{PASSWORD}"\n')
        (root / "pgbouncer.ini").write_text(
            textwrap.dedent(f"""
            [databases]
            app = host={ip("pg1")} port=5432 dbname=app
            [pgbouncer]
            listen_addr = {ip("pgb")}
            listen_port = 6432
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {root / "userlist.txt"}
            pool_mode = transaction
            default_pool_size = 20
            max_client_conn = 500
            server_reset_query =
            logfile = {root / "pgbouncer.log"}
            pidfile = {root / "pgbouncer.pid"}
            """)
        )
        for path in (root, root / "userlist.txt", root / "pgbouncer.ini"):
            shutil.chown(path, "postgres")
        self.spawn(
            "pgb", in_ns("pgb", *as_postgres("/usr/sbin/pgbouncer", root / "pgbouncer.ini")), root / "stdout.log"
        )
        self.wait_tcp("pgb", 6432)
        log(f"pgbouncer: transaction pooling on {ip('pgb')}:6432 → primary")

    def nginx_up(self) -> None:
        root = self.work / "lb"
        root.mkdir()
        for sub in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
            (root / sub).mkdir()
            (root / sub).chmod(0o777)
        (root / "nginx.conf").write_text(nginx_config(root))
        self.spawn(
            "lb",
            in_ns(
                "lb",
                "/usr/sbin/nginx",
                "-p",
                root,
                "-c",
                root / "nginx.conf",
                "-e",
                root / "error.log",
                "-g",
                "daemon off;",
            ),
            root / "stdout.log",
        )
        self.wait_tcp("lb", 80)
        log(f"nginx: {ip('lb')}:80 → 3 nodes, :81 → node 1; retries idempotent requests on error/timeout/502/503")

    # --- the project --------------------------------------------------------------------

    def app_env(self, *, direct: bool = False) -> dict:
        database = (
            f"postgres://app:{PASSWORD}@{ip('pg1')}:5432/app"
            if direct
            else f"postgres://app:{PASSWORD}@{ip('pgb')}:6432/app"
        )
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.work),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "cluster-test-secret-key-" + "s" * 40,
            "JWT_SIGNING_KEY": "cluster-test-jwt-key-" + "j" * 40,  # the same on every node
            "DATABASE_URL": database,
            "DATABASE_REPLICA_URLS": "" if direct else f"postgres://app:{PASSWORD}@{ip('pg2')}:5432/app",
            "DATABASE_TRANSACTION_POOLING": "0" if direct else "1",
            "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
            "CONN_MAX_AGE": "60",
            "ALLOWED_HOSTS": "*",
            "NUM_PROXIES": "1",
            "LOGIN_THROTTLE_RATE": f"{LOGIN_RATE}/minute",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DEMO_PASSWORD": "demo-password-2026",
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "warning",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def migrate_and_seed(self) -> None:
        script = (
            "import django; django.setup()\n"
            "from django.core.management import call_command\n"
            "call_command('migrate', interactive=False, verbosity=0)\n"
            "call_command('createcachetable', verbosity=0)\n"
            "for name in ('init_account_roles', 'init_report_types', 'init_formula_catalogs', 'seed_demo'):\n"
            "    call_command(name, verbosity=0)\n"
        )
        # Migrations go straight to the primary (as an operator would), the nodes through PgBouncer.
        # The demo data is this test's fixture: seeded with the development settings, since
        # seed_demo refuses production settings; the nodes serve it with production ones.
        env = {**self.app_env(direct=True), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
        run(*in_ns("app1", PY, "-c", script), env=env, timeout=600)
        log("migrated and seeded (demo data of the five apps), directly on the primary")

    def app_up(self, name: str) -> None:
        env = {**self.app_env(), "HOST": ip(name), "PORT": "8000"}
        cmd = in_ns(
            name,
            "env",
            "-i",
            *(f"{k}={v}" for k, v in env.items()),
            PY,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "config.wsgi:application",
        )
        self.spawn(name, cmd, self.work / f"{name}.log")

    def app_kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)  # the node dies: master and workers at once
        process.wait(timeout=10)

    # --- processes --------------------------------------------------------------------

    def spawn(self, name: str, cmd: list, logfile: Path) -> None:
        handle = open(logfile, "ab")  # noqa: SIM115 (kept open for the child)
        self.processes[name] = subprocess.Popen(
            [str(c) for c in cmd], stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )

    def wait_tcp(self, name: str, port: int, timeout: float = 60) -> None:
        check = f"import socket; socket.create_connection(('{ip(name)}', {port}), 1).close()"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if run(*in_ns("cli", sys.executable, "-c", check), check=False).returncode == 0:
                return
            time.sleep(0.3)
        raise SystemExit(f"cluster-test: {name} never listened on {ip(name)}:{port} (logs in {self.work})")

    def load(self, *args, timeout=300) -> dict:
        result = subprocess.run(
            in_ns("cli", PY, ROOT / "cluster" / "load.py", *args),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            raise SystemExit(f"cluster-test: load.py {' '.join(args)} failed:\n{result.stdout[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _kill_namespace_processes(self, namespace: str) -> None:
        pids = run("ip", "netns", "pids", namespace, check=False).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)

    def down(self) -> None:
        for name in ("pg2", "pg1"):
            if (self._pg_dir(name) / "data" / "postmaster.pid").exists():
                self.pg_ctl(name, "-m", "fast", "-w", "stop", check=False)
        for process in list(self.processes.values()):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for namespace in reversed(self.namespaces):
            self._kill_namespace_processes(namespace)  # only processes inside our own namespaces
            run("ip", "netns", "del", namespace, check=False)
        shutil.rmtree(self.work, ignore_errors=True)


def nginx_config(root: Path) -> str:
    """nginx in front of the three nodes (:80) and of node 1 alone (:81, the one-node baseline)."""
    nodes = "\n".join(f"        server {ip(n)}:8000 max_fails=1 fail_timeout=3s;" for n in APP_NODES)
    proxy = textwrap.dedent("""
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
            # Idempotent requests (GET, HEAD...) go to the next node on a failure or a 502/503;
            # POST, PATCH... only when the node was never reached (non_idempotent not set).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 3;
            add_header X-Upstream $upstream_addr always;
    """)
    return textwrap.dedent(f"""
        worker_processes 1;
        pid {root}/nginx.pid;
        error_log {root}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {root}/client;
            proxy_temp_path {root}/proxy;
            fastcgi_temp_path {root}/fastcgi;
            uwsgi_temp_path {root}/uwsgi;
            scgi_temp_path {root}/scgi;
            upstream three {{
        {nodes}
            }}
            upstream one {{
                server {ip("app1")}:8000;
            }}
            server {{
                listen {ip("lb")}:80;
                location / {{
                    proxy_pass http://three;
        {textwrap.indent(proxy, "            ")}
                }}
            }}
            server {{
                listen {ip("lb")}:81;
                location / {{
                    proxy_pass http://one;
        {textwrap.indent(proxy, "            ")}
                }}
            }}
        }}
        """)


# --- the scenario -------------------------------------------------------------------------


def main() -> int:
    Cluster.preflight()
    cluster = Cluster()

    def on_signal(signum, frame):
        raise SystemExit(f"cluster-test: interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    failures: list[str] = []
    try:
        base = cluster_up(cluster)
        token = cluster.load("login", base)
        failures += read_benchmark(cluster, base, token["demo"])
        failures += mixed_load_with_faults(cluster, base, token["demo"])
        failures += report_shared(cluster.load("shared", base, str(LOGIN_RATE), token["viewer"]))
    finally:
        log("stopping every process and removing the namespaces")
        cluster.down()
    wall = time.monotonic() - STARTED
    print(f"wall time: {wall:.0f} s")
    if failures:
        print("CLUSTER TEST FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("CLUSTER TEST PASSED")
    return 0


def cluster_up(cluster: Cluster) -> str:
    """Databases, pooler, three app nodes and the balancer; the balancer's base URL."""
    cluster.network_up()
    cluster.primary_up()
    cluster.standby_up()
    cluster.pgbouncer_up()
    cluster.migrate_and_seed()
    for name in APP_NODES:
        cluster.app_up(name)
    for name in APP_NODES:
        cluster.wait_tcp(name, 8000, timeout=120)
    cluster.nginx_up()
    base = f"http://{ip('lb')}"
    ready = cluster.load("wait", f"{base}/account/system/version")
    log(f"3 gunicorn nodes (2 sync workers each) answer through nginx ({ready['seconds']:.1f}s)")
    return base


def read_benchmark(cluster: Cluster, base: str, token: str) -> list[str]:
    """One node against three, reads only; the standby must serve the business reads."""
    before = {name: cluster.business_scans(name) for name in ("pg1", "pg2")}
    bench = cluster.load("bench", f"{base}:81", f"{base}:80", token)
    time.sleep(1.5)  # backends flush their statistics at most once a second
    served = {name: cluster.business_scans(name) - before[name] for name in ("pg1", "pg2")}
    log(
        f"throughput (reads, 6 clients, {bench['seconds']:.0f}s each): 1 node {bench['one']:.1f} req/s, "
        f"3 nodes {bench['three']:.1f} req/s (x{bench['three'] / max(bench['one'], 0.001):.2f})"
    )
    share = served["pg2"] / max(served["pg1"] + served["pg2"], 1)
    log(
        f"scans of business tables during the read benchmark: primary {served['pg1']}, "
        f"standby {served['pg2']} ({share:.0%} on the standby; token checks stay on the primary)"
    )
    if share < 0.9:
        return [f"the read benchmark read {share:.0%} of its business rows from the standby"]
    return []


#: (seconds after the load started, what to do, what to log): the faults of the mixed load.
def app_node_killed(cluster: Cluster) -> None:
    cluster.app_kill("app2")


FAULTS = (
    (8, app_node_killed, "app node 2 killed (SIGKILL, master and workers)"),
    (16, lambda c: c.app_up("app2"), "app node 2 restarted"),
    (26, lambda c: c.pg_ctl("pg2", "-m", "immediate", "-w", "stop"), "standby killed (immediate stop)"),
    (34, lambda c: c.pg_ctl("pg2", "-w", "-t", "60", "start"), "standby restarted"),
    (
        42,
        lambda c: c.psql("pg2", "SELECT pg_wal_replay_pause()"),
        f"standby replay paused for 6 s (lag bound {MAX_LAG:.0f} s)",
    ),
    (48, lambda c: c.psql("pg2", "SELECT pg_wal_replay_resume()"), "standby replay resumed"),
)


def mixed_load_with_faults(cluster: Cluster, base: str, token: str) -> list[str]:
    """The mixed load from the client namespace, with FAULTS injected by this process meanwhile."""
    lag_before = cluster.standby_lag()
    load = subprocess.Popen(
        in_ns("cli", PY, ROOT / "cluster" / "load.py", "mixed", base, str(MAX_LAG), token),
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert load.stdout is not None
    line = load.stdout.readline()
    if not line.startswith("STARTED"):
        raise SystemExit(f"cluster-test: the load generator did not start: {line}{load.stdout.read()}")
    t0 = time.monotonic()
    lags: list[float] = []
    kills: list[float] = []  # when an app node died (the same monotonic clock as the load's)
    for seconds, fault, description in FAULTS:
        while time.monotonic() - t0 < seconds:  # sample the standby's lag until the fault is due
            lag = cluster.standby_lag()
            if lag == lag:  # not NaN: the standby is connected
                lags.append(lag)
            time.sleep(0.5)
        if fault is app_node_killed:
            kills.append(time.monotonic())
        fault(cluster)
        log(f"fault: {description}")
    output, _ = load.communicate(timeout=180)
    if load.returncode != 0:
        raise SystemExit(f"cluster-test: the load generator failed:\n{output[-3000:]}")
    mixed = json.loads(output.strip().splitlines()[-1])
    return report_mixed(mixed, lags, lag_before) + check_cuts(mixed["cuts"], kills) + check_writes(cluster, mixed)


#: How long after a node's SIGKILL an answer it was sending may still arrive cut.
CUT_WINDOW = 2.0


def check_cuts(cuts: list, kills: list[float]) -> list[str]:
    """Idempotent reads whose answer was cut (the client asked again once, and got it).

    nginx retries a request on another node only while the dead node had sent nothing; one
    killed between its headers and its body leaves a short answer, which the client detects
    by its Content-Length. That may happen at a node kill and at no other time.
    """
    kill = kills[0] if kills else 0.0
    seen = [f"{kind} {at - kill:+.2f} s" for at, kind, _ in cuts]
    print(
        "  idempotent answers cut by the node kill (asked again once by the client, then answered): "
        + (f"{len(cuts)} ({', '.join(seen)} from the kill)" if cuts else "0")
    )
    stray = [
        f"{kind} at {at - kill:+.2f} s from the kill: {cls}"
        for at, kind, cls in cuts
        if not any(0 <= at - k <= CUT_WINDOW for k in kills)
    ]
    if stray:
        return [f"answers were cut outside {CUT_WINDOW:.0f} s after a node kill: {stray[:5]}"]
    return []


def report_mixed(mixed: dict, lags: list[float], lag_before: float) -> list[str]:
    failures = []
    print(
        f"mixed load: {mixed['requests']} requests in {mixed['seconds']:.1f} s "
        f"({mixed['requests'] / mixed['seconds']:.1f} req/s, {mixed['clients']} clients)"
    )
    print("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(mixed["by_kind"].items())))
    print("  failures by class: " + (", ".join(f"{k} {v}" for k, v in sorted(mixed["failures"].items())) or "none"))
    print(f"  failed idempotent requests: {mixed['failed_idempotent']}")
    print(f"  failed non-idempotent requests (not retried by design): {mixed['failed_writes']}")
    print(f"  requests nginx retried on another node: {mixed['retried']}")
    print(f"  longest gap without a successful answer: {mixed['longest_gap']:.2f} s")
    print(f"  nodes that answered: {', '.join(sorted(mixed['upstreams']))}")
    print(
        f"  staleness of probe reads: max {mixed['max_staleness']:.3f} s over {mixed['probe_reads']} reads "
        f"(bound {MAX_LAG:.0f} s); stale reads seen: {mixed['stale_reads']}"
    )
    if lags:
        print(
            f"  standby replay lag seen by the primary: before {lag_before:.3f} s, max {max(lags):.3f} s, median {sorted(lags)[len(lags) // 2]:.3f} s"
        )
    if mixed["failed_idempotent"]:
        failures.append(f"{mixed['failed_idempotent']} idempotent requests failed: {mixed['failure_samples'][:5]}")
    if mixed["max_staleness"] > MAX_LAG:
        failures.append(f"a read was {mixed['max_staleness']:.3f} s old (> {MAX_LAG} s)")
    if len(mixed["upstreams"]) < 3:
        failures.append(f"only {mixed['upstreams']} answered")
    return failures


def check_writes(cluster: Cluster, mixed: dict) -> list[str]:
    failures = []
    acked = mixed["acked"]
    terminals = acked["terminals"]
    chats = acked["chats"]
    calculations = acked["calculations"]  # [guid, number]

    def counts(sql: str) -> dict[str, int]:
        rows = cluster.psql("pg1", sql)
        return {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if line}

    quoted = ",".join(f"'{t}'" for t in terminals) or "''"
    stored_terminals = counts(
        f"SELECT terminal_id, count(*) FROM terminals_terminal WHERE terminal_id IN ({quoted}) GROUP BY 1"
    )
    ids = ",".join(str(c) for c in chats) or "0"
    stored_chats = counts(f"SELECT chat_id, count(*) FROM routes_telegramchat WHERE chat_id IN ({ids}) GROUP BY 1")
    guids = ",".join(f"'{g}'" for g, _ in calculations) or "'00000000-0000-0000-0000-000000000000'"
    stored_calcs = counts(
        f"SELECT guid::text || ':' || number, count(*) FROM calculations_calculation WHERE guid IN ({guids}) GROUP BY 1"
    )
    duplicates = cluster.psql(
        "pg1",
        "SELECT count(*) FROM (SELECT number FROM calculations_calculation GROUP BY number HAVING count(*) > 1) d",
    )
    numbers = [n for _, n in calculations]
    print(
        f"acknowledged writes on the primary: terminal upserts {sum(stored_terminals.get(t, 0) == 1 for t in terminals)}/{len(terminals)}, "
        f"routes chats {sum(stored_chats.get(str(c), 0) == 1 for c in chats)}/{len(chats)}, "
        f"formula calculations {sum(stored_calcs.get(f'{g}:{n}', 0) == 1 for g, n in calculations)}/{len(calculations)} "
        f"(numbers {min(numbers, default='-')}..{max(numbers, default='-')}, duplicate numbers: {duplicates})"
    )
    if any(stored_terminals.get(t, 0) != 1 for t in terminals):
        failures.append("an acknowledged terminal upsert is missing or duplicated")
    if any(stored_chats.get(str(c), 0) != 1 for c in chats):
        failures.append("an acknowledged routes chat is missing or duplicated")
    if any(stored_calcs.get(f"{g}:{n}", 0) != 1 for g, n in calculations):
        failures.append("an acknowledged formula calculation is missing, duplicated or renumbered")
    if duplicates != "0" or len(set(numbers)) != len(numbers):
        failures.append("two calculations share a number")
    if not (terminals and chats and calculations):
        failures.append("a kind of write was never acknowledged")
    return failures


def report_shared(shared: dict) -> list[str]:
    failures = []
    throttle = shared["throttle"]
    revocation = shared["revocation"]
    print(
        f"shared throttle: {throttle['attempts']} wrong-password logins over nodes {', '.join(sorted(throttle['upstreams']))}: "
        f"{throttle['refused']} refused with 429 after {throttle['accepted']} answered (rate {LOGIN_RATE}/minute)"
    )
    print(
        f"shared revocation: old token before the password change {revocation['before']} "
        f"over {', '.join(sorted(revocation['upstreams_before']))}; after {revocation['after']} over {', '.join(sorted(revocation['upstreams_after']))}"
    )
    if throttle["accepted"] > LOGIN_RATE or not throttle["refused"] or len(throttle["upstreams"]) < 2:
        failures.append(f"the login throttle is not shared across nodes: {throttle}")
    if (
        set(revocation["before"]) != {200}
        or set(revocation["after"]) != {401}
        or len(revocation["upstreams_after"]) < 2
    ):
        failures.append(f"token revocation is not shared across nodes: {revocation}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
