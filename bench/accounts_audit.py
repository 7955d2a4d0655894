"""One audit page of 2001 actions (the 7.46 maximum): latency, query count and the floor.

The floor (issue 15, goal 2: ours within 3x of it) is the same request's SQL run raw (every
captured query, rows turned into dicts) plus orjson encoding the same body, no HTTP stack;
both are medians of interleaved runs in this process."""

from __future__ import annotations

import statistics
import time

from bench import _django

ACTIONS = 2500


def main() -> None:
    _django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from bench._accounts_data import PROCESS_TYPES, SERVICES, STATUSES, array, bench_user, insert_processes
    from common.auth import issue_access_token

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    user = bench_user("bench_audit", timezone=0)
    if insert_processes(
        user,
        count=ACTIONS,
        select_sql=f"""SELECT timestamptz '2026-01-10 00:00:00+00' + (i * interval '30 s') AS created_at,
            ({array(SERVICES[:2])})[1 + i %% 2] AS service,
            ({array(PROCESS_TYPES)})[1 + i %% 8] AS process_type,
            ({array(STATUSES)})[1 + i %% 10] AS status""",
    ):
        with connection.cursor() as cursor:  # two requests and an INPUT file per action
            cursor.execute(
                """INSERT INTO accounts_processrequest (process_id, request_code, username, company, service,
                       operation, env, pod, time)
                   SELECT p.id, gen_random_uuid(), 'bench_audit', 'bench_company', p.service, op, 'bench', 'pod-1',
                          p.created_at
                   FROM accounts_process p, unnest(ARRAY['run_planning', 'read_result']) AS op
                   WHERE p.user_id = %s""",
                [user.pk],
            )
            cursor.execute(
                """INSERT INTO accounts_processdata (process_id, flow_type, flow_stage, content, created_at)
                   SELECT id, 'INPUT', 'RAW', convert_to('{"points": []}', 'UTF8'), now()
                   FROM accounts_process WHERE user_id = %s""",
                [user.pk],
            )
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)}")
    query = {"from": "2026-01-10T00:00:00Z", "to": "2026-01-11T00:00:00Z", "limit": 2001, "sort_direction": "DESC"}
    timings, floors = [], []
    for _ in range(7):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get("/account/audit", query)
            timings.append(time.perf_counter() - start)
        body = response.json()
        assert response.status_code == 200, response.content[:300]
        floors.append(floor_seconds(list(queries.captured_queries), body))
    ours, base = statistics.median(timings) * 1000, statistics.median(floors) * 1000
    print(
        f"GET /account/audit limit=2001: {len(body['actions'])} actions of {body['counters']['filter']['total']}, "
        f"{len(response.content) / 2**20:.1f} MB; median {ours:.0f} ms (min {min(timings) * 1000:.0f}); "
        f"{len(queries)} queries"
    )
    print(
        f"floor (the {len(queries)} queries raw + orjson of the body): {base:.0f} ms; ratio x{ours / base:.2f} (goal <= 3)"
    )
    for captured in queries:
        print(f"    {float(captured['time']) * 1000:7.1f} ms  {captured['sql'][:110]}")


def floor_seconds(captured: list[dict], body) -> float:
    import orjson
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for query in captured:
            cursor.execute(query["sql"])
            names = [column.name for column in cursor.description]
            [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    orjson.dumps(body)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
