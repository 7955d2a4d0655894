"""A bulk upsert outside a transaction is one implicit transaction of one round trip.

In autocommit the terminals' lock, constraints and upsert, and the shops' upsert, are sent as
one query of several statements, which PostgreSQL runs as one transaction: no ``BEGIN`` or
``COMMIT`` round trip, and a failure in the last statement (a concurrent writer's clash, made
here by a trigger) still leaves nothing written, no lock held and the connection ready.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terminals.models import Shop, Terminal
from terminals.services import CONCURRENT_CHANGE, shops_upsert
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client(demo_user, company):
    shops_upsert(company=company, items=[{"shop_id": "1", "name": "Shop 1"}])
    return bearer_client(demo_user)


@pytest.fixture
def clash():
    """Writing a terminal or a shop named "Clash" meets a unique violation, as when another
    transaction committed a clashing row after this request's checks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_clash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " IF NEW.name = 'Clash' THEN RAISE unique_violation USING MESSAGE = 'duplicate key value'; END IF;"
            " RETURN NEW; END $$"
        )
        for table in ("terminals_terminal", "terminals_shop"):
            cursor.execute(
                f"CREATE TRIGGER test_clash BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION test_clash()"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP FUNCTION test_clash() CASCADE")


def round_trips(queries) -> list[str]:
    """What each captured statement starts with: the token's user, the probe, the upsert..."""
    return [q["sql"].split(None, 1)[0].rstrip(";") for q in queries.captured_queries]


def idle_without_locks() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        (advisory,) = cursor.fetchone()
    return advisory == 0 and connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_a_terminals_upsert_is_two_round_trips_and_its_clash_writes_nothing(client, company, clash):
    body = [{"terminal_id": "a", "shop_id": "1", "name": "A"}, {"terminal_id": "b", "shop_id": "1", "name": "B"}]
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/terminals/", body, format="json")
    assert (response.status_code, response.json()) == (201, {"updated": 0, "inserted": 2})
    assert round_trips(queries) == ["SELECT", "SELECT", "SET"]  # the user, the probe, lock + upsert
    assert idle_without_locks()

    clashing = [
        {"terminal_id": "c", "shop_id": "1", "name": "C"},
        {"terminal_id": "d", "shop_id": "1", "name": "Clash"},
    ]
    response = client.post(
        "/api/v1/terminals/", [*clashing, {"terminal_id": "a", "shop_id": "1", "name": "A2"}], format="json"
    )
    assert (response.status_code, response.json()) == (409, {"detail": CONCURRENT_CHANGE})
    assert sorted(Terminal.objects.values_list("terminal_id", "name")) == [
        ("a", "A"),
        ("b", "B"),
    ]  # c not written, a unchanged
    assert idle_without_locks()
    again = client.post("/api/v1/terminals/", clashing[:1], format="json")
    assert (again.status_code, again.json()) == (201, {"updated": 0, "inserted": 1})


def test_a_shops_upsert_is_one_round_trip_and_its_clash_writes_nothing(client, company, clash):
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/shops/", [{"shop_id": "2", "name": "Shop 2"}], format="json")
    assert response.status_code == 201 and response.json() == {"updated": 0, "inserted": 1}
    assert round_trips(queries) == ["SELECT", "WITH"]  # the user, the upsert
    response = client.post(
        "/api/v1/shops/", [{"shop_id": "1", "name": "Renamed"}, {"shop_id": "3", "name": "Clash"}], format="json"
    )
    assert (response.status_code, response.json()) == (409, {"detail": CONCURRENT_CHANGE})
    assert sorted(Shop.objects.values_list("shop_id", "name")) == [("1", "Shop 1"), ("2", "Shop 2")]
    assert idle_without_locks()
