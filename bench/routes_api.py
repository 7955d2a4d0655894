"""Routes API: ``GET /routes/units/`` (100 per page, 10,000 units) and ``POST /routes/report-routes/``
with 100 unit ids — latency and SQL query count (goal: constant, no per-row query).

In-process through Django's full request stack (middleware, DRF, JSON rendering), then over
HTTP against gunicorn (2 workers). The baseline is the same page read with ``.values()`` and
``json.dumps`` without DRF, measured in the same run. Run: ``.venv/bin/python -m bench.routes_api``.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
import uuid

UNITS = 10_000
ROUNDS = 300


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"median {statistics.median(samples) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def _ensure_data():
    from routes.models import ChatRole, Department, Pizzeria, Region, ReportRoute, ReportType, TelegramChat
    from routes.services import report_types_init

    report_types_init()
    department, _ = Department.objects.get_or_create(id=900, defaults={"name": "Bench", "uuid": uuid.uuid4()})
    regions = [Region.objects.get_or_create(name=f"Bench region {i}")[0] for i in range(20)]
    Pizzeria.objects.bulk_create(
        [
            Pizzeria(
                id=100_000 + i,
                name=f"Bench unit {i}",
                uuid=uuid.UUID(int=100_000 + i),
                region=regions[i % 20],
                department=department,
                office_manager_account_name=f"om_{i}",
                dodo_is_api_account_name=f"api_{i}",
            )
            for i in range(UNITS)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    statistics_type = ReportType.objects.get(name="STATISTICS")
    role, _ = ChatRole.objects.get_or_create(access_code="bench-code", defaults={"name": "Bench"})
    role.units.add(*Pizzeria.objects.filter(id__gte=100_000).values_list("id", flat=True)[:200])
    role.report_types.add(statistics_type)
    chat, _ = TelegramChat.objects.get_or_create(
        chat_id=-900, defaults={"title": "Bench group", "type": TelegramChat.ChatType.GROUP, "role": role}
    )
    ReportRoute.objects.filter(telegram_chat=chat).delete()
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics after the bulk insert, as autovacuum would
        cursor.execute("ANALYZE routes_unit; ANALYZE routes_region")
    return statistics_type.id, list(role.units.order_by("id").values_list("id", flat=True)[:100])


def _timed(call, rounds: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], set()
    for i in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call(i)
            samples.append(time.perf_counter() - start)
        queries.add(len(ctx))
    return samples, max(queries) if len(queries) == 1 else queries


def main() -> None:
    from bench._django import setup

    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.demo import demo_actors_ensure
    from common.auth import issue_access_token
    from routes.models import Pizzeria, ReportRoute
    from routes.selectors import pizzeria_list, pizzeria_row

    settings.ROUTES_TRUSTED_NETWORKS = ["127.0.0.0/8"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the deliberate 409 is not news
    type_id, unit_ids = _ensure_data()
    pages = UNITS // 100
    print(f"routes: {Pizzeria.objects.count()} units in the database, {pages} pages of 100")

    client = Client(HTTP_HOST="127.0.0.1")
    token_client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION="Bearer " + issue_access_token(demo_actors_ensure(password="bench-password-2026").demo),
    )

    def get_page(c):
        def call(i):
            response = c.get(f"/routes/units/?limit=100&offset={(i % pages) * 100}")
            assert response.status_code == 200 and len(response.json()["units"]) == 100

        return call

    def baseline(i):
        rows = list(pizzeria_list()[(i % pages) * 100 : (i % pages) * 100 + 101])
        json.dumps(
            {"units": [pizzeria_row(r) for r in rows[:100]], "is_end_of_list_reached": len(rows) <= 100}, default=str
        )

    for label, call in (
        ("GET /routes/units/?limit=100 (trusted network)", get_page(client)),
        ("GET /routes/units/?limit=100 (Bearer token)", get_page(token_client)),
        ("baseline: .values() + json.dumps, no HTTP stack", baseline),
    ):
        call(0)
        samples, queries = _timed(call, ROUNDS)
        print(f"  {label}: {_ms(samples)}; {queries} SQL queries per request")

    create_queries = []

    def create_only(i):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                "/routes/report-routes/",
                {"report_type_id": type_id, "chat_id": -900, "unit_ids": unit_ids},
                content_type="application/json",
            )
        create_queries.append(len(ctx))
        assert response.status_code == 201

    samples = []
    for i in range(100):
        start = time.perf_counter()
        create_only(i)
        samples.append(time.perf_counter() - start)
        ReportRoute.objects.filter(telegram_chat__chat_id=-900).delete()
    print(
        f"  POST /routes/report-routes/ with 100 unit ids: {_ms(samples)}; "
        f"{sorted(set(create_queries))} SQL queries per request (savepoint/release included)"
    )
    conflict = client.post(
        "/routes/report-routes/",
        {"report_type_id": type_id, "chat_id": -900, "unit_ids": unit_ids},
        content_type="application/json",
    )
    again = client.post(
        "/routes/report-routes/",
        {"report_type_id": type_id, "chat_id": -900, "unit_ids": unit_ids},
        content_type="application/json",
    )
    print(f"  repeat POST: {conflict.status_code} then {again.status_code} (409 = all or nothing)")
    ReportRoute.objects.filter(telegram_chat__chat_id=-900).delete()

    with connection.cursor() as cursor:
        sql, params = pizzeria_list()[9900:10001].query.sql_with_params()
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    print("  EXPLAIN ANALYZE of the last page (offset 9900):")
    for line in plan:
        print("    " + line)

    _http(pages)


def _http(pages: int, seconds: float = 5.0) -> None:
    import requests

    from bench._server import gunicorn

    # Upper case: the settings' LOGGING wants a logging level name; gunicorn accepts either.
    with gunicorn(workers=2, extra_env={"LOG_LEVEL": "WARNING"}) as base:
        session = requests.Session()
        samples = []
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            response = session.get(f"{base}/routes/units/", params={"limit": 100, "offset": (i % pages) * 100})
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            i += 1
        print(f"  over HTTP (gunicorn, 1 client, trusted loopback): {len(samples) / seconds:.0f} req/s; {_ms(samples)}")


if __name__ == "__main__":
    main()
