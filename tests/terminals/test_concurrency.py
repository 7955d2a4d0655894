"""Parallel bulk upserts of overlapping terminals: nothing lost, no duplicate,
every answer a 201 or a clean 4xx in the Datawiz shape — never a 500/503."""

from __future__ import annotations

import base64
import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from common.auth import user_for_token
from common.models import RevokedTokenFamily
from terminals.models import RevokedRefreshToken, Shop, Terminal
from terminals.services import CONCURRENT_CHANGE, _shop_names_lock, shops_upsert, terminals_upsert
from tests.concurrency import run_parallel, statuses
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
IDS = [f"T-{n:03d}" for n in range(60)]


@pytest.fixture
def shops(company):
    shops_upsert(company=company, items=[{"shop_id": str(n), "name": f"Shop {n}"} for n in range(1, 4)])


def stored(company):
    return sorted(Terminal.objects.filter(company=company).values_list("terminal_id", "shop__shop_id", "name"))


def test_overlapping_bulk_upserts_in_opposite_orders_all_succeed(demo_user, company, shops):
    # Each thread posts an overlapping window of ids, half of them in reverse order: unsorted
    # upserts of the same keys in opposite orders deadlock in PostgreSQL.
    def post(index):
        ids = IDS[index * 5 : index * 5 + 30]
        if index % 2:
            ids = ids[::-1]
        body = [{"terminal_id": tid, "shop_id": str(index % 3 + 1), "name": f"Kassa {tid}"} for tid in ids]
        client = bearer_client(demo_user)
        return lambda: client.post("/api/v1/terminals/", body, format="json")

    for _ in range(3):
        responses = run_parallel([post(index) for index in range(THREADS)])
        assert statuses(responses) == [201] * THREADS, [r.content for r in responses]
        for response in responses:
            assert response.json()["updated"] + response.json()["inserted"] == 30

    rows = stored(company)
    covered = IDS[: (THREADS - 1) * 5 + 30]
    assert [row[0] for row in rows] == covered  # sorted, so no id twice and none lost
    assert all(name == f"Kassa {tid}" for tid, _shop, name in rows)


def test_racing_writers_of_one_name_get_201_or_a_clean_409(demo_user, company, shops):
    # Different terminal_ids claiming the same (shop, name): only one may hold it; the others
    # pass validation before the winner commits, so they must end in a Datawiz-shaped 409.
    def post(index):
        client = bearer_client(demo_user)
        body = [{"terminal_id": f"R-{index}-{n}", "shop_id": "1", "name": f"Shared {n}"} for n in range(5)]
        return lambda: client.post("/api/v1/terminals/", body, format="json")

    responses = run_parallel([post(index) for index in range(THREADS)])
    codes = statuses(responses)
    assert set(codes) <= {201, 400, 409}, [r.content for r in responses]
    assert codes.count(201) == 1
    for response in responses:
        if response.status_code == 409:
            assert response.json() == {"detail": CONCURRENT_CHANGE}
        elif response.status_code == 400:
            # five items fail alike: each entry names its position (the client finds them by equality)
            taken = ["Terminal with this Shop and Name already exists."]
            assert response.json() == [{"non_field_errors": taken, "index": n} for n in range(5)]
    rows = stored(company)
    assert len(rows) == 5
    assert {name for *_, name in rows} == {f"Shared {n}" for n in range(5)}
    assert len({tid.rsplit("-", 1)[0] for tid, *_ in rows}) == 1  # all five from the one winner


def test_a_bulk_that_passed_its_checks_before_a_rival_committed_its_name_gets_a_409(demo_user, company, shops):
    """terminals.md Decision 6: a bulk is checked (shops, the names other terminals hold) before
    it writes. A rival that commits the same name while the bulk waits for the shop's names
    lock is a concurrent change, a 409, not a per-item 400 (which the real client answers by
    re-POSTing the valid items to its production host, terminals.md note 5)."""
    shop = Shop.objects.get(company=company, shop_id="1")
    holding, release = threading.Event(), threading.Event()

    def rival():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(*_shop_names_lock([shop.pk]))
                Terminal.objects.create(company=company, shop=shop, terminal_id="rival", name="Contested")
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    answers = []

    def bulk():
        try:
            body = [{"terminal_id": "mine", "shop_id": "1", "name": "Contested"}]
            answers.append(bearer_client(demo_user).post("/api/v1/terminals/", body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=rival)]
    threads[0].start()
    assert holding.wait(30)
    threads.append(threading.Thread(target=bulk))
    threads[1].start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the bulk checked its items and waits for the lock
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.01)
    else:
        pytest.fail("the bulk never waited for the shop's names lock")
    release.set()
    for thread in threads:
        thread.join(30)
    (answer,) = answers
    assert (answer.status_code, answer.json()) == (409, {"detail": CONCURRENT_CHANGE})
    assert stored(company) == [("rival", "1", "Contested")]


def test_overlapping_bulk_shop_upserts_in_opposite_orders_all_succeed(demo_user, company):
    def post(index):
        ids = [f"S-{n:03d}" for n in range(index * 5, index * 5 + 30)]
        if index % 2:
            ids = ids[::-1]
        body = [{"shop_id": sid, "name": f"Shop {sid}"} for sid in ids]
        client = bearer_client(demo_user)
        return lambda: client.post("/api/v1/shops/", body, format="json")

    for _ in range(3):
        responses = run_parallel([post(index) for index in range(THREADS)])
        assert statuses(responses) == [201] * THREADS, [r.content for r in responses]
    rows = list(Shop.objects.filter(company=company).order_by("shop_id").values_list("shop_id", "name"))
    assert rows == [(f"S-{n:03d}", f"Shop S-{n:03d}") for n in range((THREADS - 1) * 5 + 30)]


def test_writers_claiming_the_same_names_in_crossed_orders_get_201_or_a_clean_409(demo_user, company, shops):
    # Each writer inserts new ids holding names another writer also claims, in another order:
    # the deferred (shop, name) checks of the two transactions wait on each other.
    def post(index):
        client = bearer_client(demo_user)
        names = [f"Crossed {n}" for n in range(4)]
        if index % 2:
            names = names[::-1]
        body = [{"terminal_id": f"X-{index}-{n}", "shop_id": "2", "name": name} for n, name in enumerate(names)]
        return lambda: client.post("/api/v1/terminals/", body, format="json")

    for round_ in range(4):
        Terminal.objects.filter(company=company, shop__shop_id="2").delete()
        responses = run_parallel([post(index) for index in range(4)])
        codes = statuses(responses)
        assert set(codes) <= {201, 400, 409}, [r.content for r in responses]
        assert codes.count(201) == 1, (round_, [r.content for r in responses])
        winner = codes.index(201)
        rows = stored(company)
        assert {tid for tid, *_ in rows} == {f"X-{winner}-{n}" for n in range(4)}


def test_one_refresh_token_spent_at_once_by_several_clients_is_exchanged_once(demo_user, password):
    url, basic = "/api/o/token/", "Basic " + base64.b64encode(b"client-id:client-secret").decode()
    login = {"grant_type": "password", "username": "demo", "password": password}
    first = APIClient().post(url, login, HTTP_AUTHORIZATION=basic).json()
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    clients = [APIClient() for _ in range(4)]
    responses = run_parallel([lambda c=c: c.post(url, refresh, HTTP_AUTHORIZATION=basic) for c in clients])
    assert sorted(statuses(responses)) == [200, 400, 400, 400], [r.content for r in responses]
    for response in responses:
        if response.status_code == 400:
            assert response.json() == {
                "error": "invalid_grant",
                "error_description": "Refresh token has already been used.",
            }
    assert RevokedRefreshToken.objects.filter(user=demo_user).count() == 1
    # A concurrent second use is a reuse: the family is revoked, the winner's pair too.
    assert RevokedTokenFamily.objects.filter(user=demo_user).count() == 1
    winner = next(r.json() for r in responses if r.status_code == 200)
    assert user_for_token(winner["access_token"]) is None
    again = APIClient().post(url, {**refresh, "refresh_token": winner["refresh_token"]}, HTTP_AUTHORIZATION=basic)
    assert again.status_code == 400


def test_a_rename_racing_a_delete_is_as_if_one_ran_first(demo_user, company, shops):
    # PUT renames P-1 to P-2 while DELETE removes P-1: either the delete runs first (PUT 404,
    # nothing left) or the rename does (DELETE 404, P-2 left) — never a 500, never both 2xx.
    for _ in range(8):
        Terminal.objects.filter(company=company).delete()
        terminals_upsert(company=company, items=[{"terminal_id": "P-1", "shop_id": "1", "name": "Kassa P"}])
        renamer, deleter = bearer_client(demo_user), bearer_client(demo_user)
        body = {"terminal_id": "P-2", "shop_id": "1", "name": "Kassa P"}
        renamed, deleted = run_parallel(
            [
                lambda c=renamer, b=body: c.put("/api/v1/terminals/P-1/", b, format="json"),
                lambda c=deleter: c.delete("/api/v1/terminals/P-1/"),
            ]
        )
        codes = (renamed.status_code, deleted.status_code)
        assert codes in ((200, 404), (404, 204)), [renamed.content, deleted.content]
        loser = renamed if codes[0] == 404 else deleted
        assert loser.json() == {"detail": "Not found"}
        assert [row[0] for row in stored(company)] == (["P-2"] if codes[0] == 200 else [])
