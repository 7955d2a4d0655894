"""Bulk upsert of terminals: HTTP end to end vs the bare SQL upsert, in the same run.

100,000 terminals in 2000-item chunks (the official client's chunk size), first all new,
then a second 100,000 of which half already exist (renamed) and half are new. The HTTP
path is a gunicorn started here (``bench._server``) on the bench database, called with a
token from ``/api/o/token/``; its time covers JSON encoding on the client, the request,
auth, validation (2 queries), the upsert and the answer. The baseline runs the very same
upsert statement (``terminals.services._terminals_upsert_rows``) from this process, one
transaction per chunk, for a second company with the same data; the two paths alternate
chunk by chunk so that both see the same load on a shared machine. Times are the sums of
the per-chunk times (client JSON encoding included for HTTP). Goal (issue 15, goal 4): HTTP at
least 80 % of the SQL rate in each phase; each phase's line says whether it is met.

Run: ``.venv/bin/python -m bench.terminals_bulk`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import time

TOTAL = int(os.environ.get("TERMINALS_BENCH_ROWS", "100000"))
CHUNK = 2000
SHOPS = 100
GOAL = 0.80  # HTTP rows/s at least this share of the bare SQL upsert's, in each phase
WORKERS = 2
PASSWORD = "bench-password-2026"


def phase_items(phase: int) -> list[dict]:
    """Phase 1: ids 0..TOTAL-1, all new. Phase 2: ids TOTAL/2..1.5*TOTAL-1: half renamed, half new."""
    if phase == 1:
        return [{"terminal_id": f"t{i:07}", "shop_id": f"s{i % SHOPS}", "name": f"Kassa {i}"} for i in range(TOTAL)]
    start = TOTAL // 2
    return [
        {"terminal_id": f"t{i:07}", "shop_id": f"s{i % SHOPS}", "name": f"Kassa {i}" + (" v2" if i < TOTAL else "")}
        for i in range(start, start + TOTAL)
    ]


def chunks(items: list) -> list[list]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def fresh_company(key: str):
    from accounts.models import Company
    from terminals.models import Shop, Terminal
    from terminals.services import shops_upsert

    company, _ = Company.objects.get_or_create(key=key, defaults={"name": key})
    Terminal.objects.filter(company=company).delete()
    Shop.objects.filter(company=company).delete()
    shops_upsert(company=company, items=[{"shop_id": f"s{n}", "name": f"Shop {n}"} for n in range(SHOPS)])
    return company


def http_sender(base: str, username: str):
    """A function that POSTs one chunk through HTTP and returns ``(seconds, answer)``."""
    import requests

    session = requests.Session()
    answer = session.post(
        f"{base}/api/o/token/",
        data={"grant_type": "password", "username": username, "password": PASSWORD},
        auth=("bench-client", "bench-secret"),
    )
    answer.raise_for_status()
    session.headers.update(
        {"Authorization": f"Bearer {answer.json()['access_token']}", "Content-Type": "application/json"}
    )
    # Warm every worker (its database connection): a sync worker takes one connection per
    # request, whichever worker accepts it, so a few requests reach them all.
    for _ in range(4 * WORKERS):
        session.get(f"{base}/api/v1/terminals/?page_size=1").raise_for_status()

    def send(batch: list[dict]) -> tuple[float, dict]:
        started = time.perf_counter()
        response = session.post(f"{base}/api/v1/terminals/", data=json.dumps(batch))
        elapsed = time.perf_counter() - started
        if response.status_code != 201:
            raise SystemExit(f"HTTP bulk failed: {response.status_code} {response.text[:300]}")
        return elapsed, response.json()

    return send


def sql_sender(company):
    """A function that runs the bare upsert statement for one chunk (own transaction)."""
    from django.db import transaction

    from terminals.models import Shop
    from terminals.services import _terminals_upsert_rows

    shop_pks = dict(Shop.objects.filter(company=company).values_list("shop_id", "pk"))

    def send(batch: list[dict]) -> tuple[float, dict]:
        ids = [d["terminal_id"] for d in batch]
        shops = [shop_pks[d["shop_id"]] for d in batch]
        names = [d["name"] for d in batch]
        started = time.perf_counter()
        with transaction.atomic():
            updated, inserted = _terminals_upsert_rows(
                company_id=company.pk, terminal_ids=ids, shop_pks=shops, names=names
            )
        return time.perf_counter() - started, {"updated": updated, "inserted": inserted}

    return send


def run(senders: dict) -> dict[str, list[tuple[float, dict]]]:
    """Both paths chunk by chunk, alternating, so both see the same machine load (2 shared cores)."""
    results: dict[str, list] = {name: [] for name in senders}
    for phase in (1, 2):
        totals = {name: [0.0, {"updated": 0, "inserted": 0}] for name in senders}
        for batch in chunks(phase_items(phase)):
            for name, send in senders.items():
                elapsed, answer = send(batch)
                totals[name][0] += elapsed
                for key, value in answer.items():
                    totals[name][1][key] += value
        for name in senders:
            results[name].append(tuple(totals[name]))
    return results


def verdict(ratio: float) -> str:
    return "met" if ratio >= GOAL else "NOT met"


def main() -> None:
    from bench._django import peak_rss_mb, setup

    setup()
    from accounts.models import User
    from bench._server import gunicorn
    from terminals.models import Terminal

    http_company = fresh_company("bench_terminals_http")
    sql_company = fresh_company("bench_terminals_sql")
    user = User.objects.filter(username="bench_terminals").first() or User(username="bench_terminals")
    user.company = http_company
    user.set_password(PASSWORD)
    user.save()

    with gunicorn(workers=WORKERS) as base:
        results = run({"http": http_sender(base, user.username), "sql": sql_sender(sql_company)})
    http, sql = results["http"], results["sql"]

    print(f"terminals bulk upsert: {TOTAL:,} rows per phase, chunks of {CHUNK}, {SHOPS} shops")
    print(
        f"{'phase':<28}{'HTTP rows/s':>14}{'SQL rows/s':>14}{'ratio':>9}   goal >= {GOAL:.0%}   HTTP counts / SQL counts"
    )
    overall = [0.0, 0.0]
    for label, (h_time, h_counts), (s_time, s_counts) in zip(
        ("1: all new", "2: half existing"), http, sql, strict=True
    ):
        overall[0] += h_time
        overall[1] += s_time
        h_rate, s_rate = TOTAL / h_time, TOTAL / s_time
        print(
            f"{label:<28}{h_rate:>14,.0f}{s_rate:>14,.0f}{h_rate / s_rate:>9.0%}   {verdict(h_rate / s_rate):<13}{h_counts} / {s_counts}"
        )
    h_rate, s_rate = 2 * TOTAL / overall[0], 2 * TOTAL / overall[1]
    print(f"{'both phases':<28}{h_rate:>14,.0f}{s_rate:>14,.0f}{h_rate / s_rate:>9.0%}   {verdict(h_rate / s_rate)}")
    rows = [Terminal.objects.filter(company=c).count() for c in (http_company, sql_company)]
    print(f"rows stored: HTTP company {rows[0]:,}, SQL company {rows[1]:,} (expected {TOTAL * 3 // 2:,} each)")
    print(f"peak RSS of the bench process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
