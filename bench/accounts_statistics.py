"""Statistics over a year for a user with 1,000,000 processes (goal: < 50 ms, one query).

Prints, in the same run, the rollup the statistics read (``ProcessUsage``, kept by triggers)
and the same rows aggregated from the processes, which the rollup must equal."""

from __future__ import annotations

import statistics
import time

from bench import _django

ROWS = 1_000_000


def main() -> None:
    _django.setup()
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from accounts.selectors import STATISTICS_FROM_PROCESSES_SQL, statistics_rows, statistics_sql
    from bench._accounts_data import PROCESS_TYPES, SERVICES, STATUSES, array, bench_user, insert_processes
    from common.auth import issue_access_token

    user = bench_user("bench_statistics")
    started = time.perf_counter()
    # A year of rows, 1 every ~31.5 s, over 8 services x 8 process types and mixed statuses.
    added = insert_processes(
        user,
        count=ROWS,
        select_sql=f"""SELECT timestamptz '2025-01-01 00:00:00+00' + (i * interval '31.536 s') AS created_at,
            ({array(SERVICES)})[1 + (i / 7) %% 8] AS service,
            ({array(PROCESS_TYPES)})[1 + i %% 8] AS process_type,
            ({array(STATUSES)})[1 + (i / 3) %% 10] AS status""",
    )
    if added:
        print(f"inserted {added:,} processes in {time.perf_counter() - started:.1f} s")
    period = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}

    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            rows = list(statistics_rows(user=user, **period))
            timings.append(time.perf_counter() - start)
    rollup_ms = statistics.median(timings) * 1000
    print(f"selector (rollup): {len(rows):,} day x service x type rows; median {rollup_ms:.1f} ms "
          f"(min {min(timings) * 1000:.1f}); {len(queries)} query")  # fmt: skip

    sql, params = statistics_sql(user=user, **period, source=STATISTICS_FROM_PROCESSES_SQL)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            aggregated = [tuple(row) for row in cursor.fetchall()]
        timings.append(time.perf_counter() - start)
    aggregate_ms = statistics.median(timings) * 1000
    same = [tuple(row) for row in rows] == aggregated
    print(f"the same rows aggregated from the processes: median {aggregate_ms:.0f} ms; "
          f"rollup x{aggregate_ms / max(rollup_ms, 1e-9):.0f} faster; identical rows: {same}")  # fmt: skip
    assert same, "the rollup differs from the processes' aggregate"

    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)}")
    timings = []
    for _ in range(9):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get("/account/statistics", {"from": "2025-01-01", "to": "2025-12-31"})
            timings.append(time.perf_counter() - start)
    assert response.status_code == 200, response.content[:300]
    days = response.json()["dates"]
    print(f"GET /account/statistics (a year, {len(days)} days): median {statistics.median(timings) * 1000:.0f} ms "
          f"(max {max(timings) * 1000:.0f}, of 9); "
          f"{len(queries)} queries (1 token user + {len(queries) - 1} aggregate)")  # fmt: skip

    sql, params = _statistics_sql(user, period)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [line for (line,) in cursor.fetchall()]
    print("EXPLAIN ANALYZE:")
    for line in plan:
        print("   ", line)


def _statistics_sql(user, period):
    from accounts.selectors import statistics_sql

    return statistics_sql(user=user, **period)


if __name__ == "__main__":
    main()
