"""Passport list with 100,000 units: latency and query count of the default page, a name
search and a types filter, plus the EXPLAIN of each unit query (every filter on an index).

Run: ``.venv/bin/python -m bench.passports_list`` (or ``make bench``). Uses its own
``bench`` database; the data set is created once and reused.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from bench._django import peak_rss_mb, setup

UNITS = 100_000
SCHEMAS = 40
RUNS = 30


def populate() -> None:
    from django.db import connection

    from passports.models import ProductionSchema, Unit

    if Unit.objects.count() >= UNITS:
        return
    Unit.objects.all().delete()
    ProductionSchema.objects.all().delete()
    types = ["Boards", "Sensors", "Robots", "Cables", "Motors", "Cameras", "Batteries", "Testing"]
    parent = ProductionSchema.objects.create(schema_id="bench_root", unit_name="Bench Robot", schema_type="Robots")
    schemas = ProductionSchema.objects.bulk_create(
        ProductionSchema(
            schema_id=f"bench_{i}",
            unit_name=f"Model {i} {'Controller' if i % 5 == 0 else 'Part'}",
            schema_type=types[i % len(types)],
            parent_schema=parent if i % 2 else None,
        )
        for i in range(SCHEMAS)
    )
    start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    statuses = ["production", "built", "revision", "finalized", "built"]
    batch = []
    for n in range(UNITS):
        batch.append(
            Unit(
                schema_id=schemas[n % SCHEMAS].schema_id,
                uuid=f"{n:032x}",
                internal_id=f"{460000000000 + n:013d}",
                creation_time=start + dt.timedelta(minutes=7 * n),
                status=statuses[n % len(statuses)],
                serial_number=f"SN-{n}",
                model=f"Custom widget {n}" if n % 50 == 0 else None,  # 2% carry their own model
                passport_short_url=f"https://url.today/{n:x}",
            )
        )
        if len(batch) == 10_000:
            Unit.objects.bulk_create(batch)
            batch = []
    if batch:
        Unit.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map, so counts can be index-only scans.
        cursor.execute("VACUUM ANALYZE passports_unit")
        cursor.execute("VACUUM ANALYZE passports_productionschema")


def measure(client, path: str) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.content[:300]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return statistics.median(timings), max(timings), len(queries), response.json()["count"]


def explain(filters: dict) -> str:
    """EXPLAIN of the two queries the list runs: the page and the count (as Django sends it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from passports.selectors import unit_list

    queryset = unit_list(**filters)
    page = queryset[:11].explain()
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        count = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- page\n{page}\n-- count\n{count}"


def main() -> None:
    setup()
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from accounts.models import Company, User
    from common.auth import issue_access_token

    populate()
    company, _ = Company.objects.get_or_create(key="bench_company", defaults={"name": "Bench"})
    user, _ = User.objects.get_or_create(username="bench_reader", defaults={"company": company})
    user.groups.add(*Group.objects.filter(name__in=["feecc_write", "feecc_approve"]))
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)}")

    cases = [
        ("default page (frontend)", "/api/v1/passports/?page=1&items=11&status=&sort_by_date=asc&status=", {}),
        ("deep page 500", "/api/v1/passports/?page=500&items=11&sort_by_date=asc", {}),
        ("name search 'controller'", "/api/v1/passports/?name=controller&sort_by_date=asc", {"name": "controller"}),
        ("name search 'widget 4'", "/api/v1/passports/?name=widget%204", {"name": "widget 4"}),
        ("types Boards,Sensors", "/api/v1/passports/?types=Boards,Sensors&sort_by_date=asc", {}),
        ("status built + date", "/api/v1/passports/?status=built&date=2022-06-01", {}),
        ("internal id", "/api/v1/passports/?name=0460000012345", {}),
    ]
    print(f"passports list over {UNITS:,} units, {SCHEMAS + 1} schemas; {RUNS} runs each (median / max ms)")
    for label, path, _ in cases:
        median, worst, queries, count = measure(client, path)
        print(f"  {label:28s} {median:7.1f} / {worst:7.1f} ms  queries={queries}  count={count}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")

    from django.db.models import Q

    from passports.selectors import _schema_ids

    boards = ["Boards", "Sensors"]
    plans = [
        ("default page, sort_by_date=asc", {"sort_by_date": "asc"}),
        ("name search 'controller' (schema ids + own model)", {"name": "controller", "sort_by_date": "asc"}),
        ("name search 'widget 4'", {"name": "widget 4"}),
        ("types Boards,Sensors", {"types": boards, "sort_by_date": "asc"}),
        ("status built", {"status": "built"}),
        (
            "date 2022-06-01",
            {"date": (dt.datetime(2022, 6, 1, tzinfo=dt.UTC), dt.datetime(2022, 6, 2, tzinfo=dt.UTC))},
        ),
    ]
    print(f"schema ids resolved for types: {len(_schema_ids(Q(schema_type__in=boards)))}")
    for label, filters in plans:
        print(f"\nEXPLAIN {label}\n{explain(filters)}")


if __name__ == "__main__":
    main()
