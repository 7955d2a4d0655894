"""A write of a calculation with 30 components × 10 indicators: latency and SQL queries.

NEW (create + requirements from the template + 300 indicator rows + engine), EDIT (full
replacement of the same rows, row identities kept, values sent without ids) and, for
information, EDIT with the ids of the rows and of their values where each request changes
every value and every other percentage. Goal (issue 15, goal 6): the 30 × 10 NEW and
EDIT each under 60 ms (median) and under 15 queries, the same number of queries whatever the
size (issue 6); the last lines print whether it is met.
Run: ``.venv/bin/python -m bench.calculations_write``.
"""

from __future__ import annotations

import statistics
import time

from bench import _django

RUNS = 20
GOAL_MS, GOAL_QUERIES = 60, 15  # strictly under both


def payload(components: int, indicators: int) -> dict:
    from calculations import reference as ref

    codes = ["PEN25", "PEN0", "SP", "FRAASS", "DSP", "FLASH", "SBS", "VISC135", "THIGH", "TLOW", "MASSLOSS"][
        :indicators
    ]
    guid = {row[11]: str(row[1]) for row in ref.INDICATORS}
    rows = []
    for n in range(components):
        rows.append(
            {
                "componentID": str(ref.S(7) if n % 2 else ref.S(8)),
                "type": "EQUAL" if n else "RANGE",
                "massPercent": 3 if n else 5,
                "massPercentMax": 20 if not n else None,
                "indicators": [
                    {"indicatorID": guid[code], "type": "MANDATORY", "value": 10 + n + i}
                    for i, code in enumerate(codes)
                ],
            }
        )
    return {
        "productID": str(ref.S(38)),
        "specificationID": str(ref.X(701)),
        "normTechDocID": str(ref.X(801)),
        "components": rows,
    }


def measure(client, body, edit_of=None, other=None):
    """Median and p95 of ``RUNS`` requests, then the queries of one more; ``other`` alternates with ``body``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def data(run: int) -> dict:
        sent = other if other is not None and run % 2 else body
        return dict(sent, guid=edit_of) if edit_of else sent

    times = []
    for run in range(RUNS):
        began = time.perf_counter()
        response = client.post("/formula/calculations/write", data(run), format="json")
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.content[:300]
    with CaptureQueriesContext(connection) as captured:
        result = client.post("/formula/calculations/write", data(RUNS), format="json").json()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(captured), result


def changed(rows: list[dict], stored: list[dict]) -> list[dict]:
    """The rows with their stored ids and their values' ids, every value and every other percentage changed."""
    return [
        dict(
            row,
            id=kept["id"],
            massPercent=row["massPercent"] + n % 2,
            indicators=[dict(value, value=value["value"] + 1) for value in kept["indicators"]],
        )
        for n, (row, kept) in enumerate(zip(rows, stored, strict=True))
    ]


def main() -> None:
    _django.setup()
    from datetime import timedelta

    from rest_framework.test import APIClient

    from accounts.demo import demo_actors_ensure
    from calculations.services.access import formula_roles_ensure
    from calculations.services.catalogs import formula_catalogs_ensure
    from common.auth import issue_access_token

    formula_roles_ensure()
    formula_catalogs_ensure()
    user = demo_actors_ensure(password="bench-password-2026").demo
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user, timedelta(hours=1))}")
    print(
        f"median / p95 of {RUNS} requests (in-process, DRF + PostgreSQL), queries of one request incl. auth and response"
    )
    print(f"{'write':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    results = {}
    for components, indicators in ((3, 10), (30, 10)):
        body = payload(components, indicators)
        median, p95, queries, created = measure(client, body)
        results["NEW", components] = (median, queries)
        print(f"{f'NEW  {components} × {indicators}':34} {median:>10.1f} {p95:>8.1f} {queries:>8}")
        rows = [
            dict(row, id=stored["id"]) for row, stored in zip(body["components"], created["components"], strict=True)
        ]
        median, p95, queries, edited = measure(client, dict(body, components=rows), edit_of=created["guid"])
        results["EDIT", components] = (median, queries)
        print(f"{f'EDIT {components} × {indicators} (same ids)':34} {median:>10.1f} {p95:>8.1f} {queries:>8}")
        values = dict(
            body,
            components=[
                dict(row, indicators=c["indicators"]) for row, c in zip(rows, edited["components"], strict=True)
            ],
        )
        other = dict(body, components=changed(rows, edited["components"]))
        median, p95, queries, _ = measure(client, values, edit_of=created["guid"], other=other)
        print(f"{f'EDIT {components} × {indicators} (values changed)':34} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    print(f"peak RSS {_django.peak_rss_mb():.0f} MB")
    for line in goal_lines(results):
        print(line)


def goal_lines(results: dict) -> list[str]:
    """The goal check of the 30 × 10 writes, and whether the query count depends on the size."""
    lines = []
    for kind in ("NEW", "EDIT"):
        median, queries = results[kind, 30]
        met = median < GOAL_MS and queries < GOAL_QUERIES
        lines.append(
            f"goal {kind:4} 30 × 10 <{GOAL_MS} ms and <{GOAL_QUERIES} queries: {'met' if met else 'not met'}"
            f" ({median:.1f} ms, {queries} queries)"
        )
    same = all(results[kind, 3][1] == results[kind, 30][1] for kind in ("NEW", "EDIT"))
    lines.append(f"queries independent of the size (3 and 30 rows): {'yes' if same else 'no'}")
    return lines


if __name__ == "__main__":
    main()
