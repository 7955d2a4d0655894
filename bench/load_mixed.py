"""Mixed read/write load against gunicorn for LOAD_SECONDS (default 60) from a second process.

Prints requests/s, p50/p99 latency and the count of 5xx answers and connection errors
(goal: zero of both). Run: ``make bench`` or ``.venv/bin/python -m bench.load_mixed``.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import Counter

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
THREADS = int(os.environ.get("LOAD_THREADS", "8"))


def workload(base: str, token: str):
    """(method, url, json body) tuples cycled by every thread: reads of all five APIs, a few writes."""
    return [
        ("GET", f"{base}/account/info", None),
        ("GET", f"{base}/account/quota", None),
        ("GET", f"{base}/account/audit?limit=20", None),
        ("GET", f"{base}/routes/units/?limit=100", None),
        ("GET", f"{base}/routes/report-types/", None),
        ("GET", f"{base}/api/v1/passports?page=1&items=20", None),
        ("GET", f"{base}/api/v1/employees", None),
        ("GET", f"{base}/formula/catalogs/list/users", None),
        ("POST", f"{base}/formula/calculations/list", {"currentQuantity": 1, "defaultQuantity": 20}),
        ("GET", f"{base}/api/v1/terminals/?page_size=50", None),
        ("POST", f"{base}/api/v1/terminals/", [{"terminal_id": "load-1", "name": "Load 1", "shop_id": "1"}]),
        ("GET", f"{base}/api/v1/shops/", None),
        ("POST", f"{base}/account/token/validation", token),
    ]


def main() -> None:
    from bench._django import setup

    setup()
    import io

    import requests
    from django.core.management import call_command

    from accounts.models import User
    from bench._server import gunicorn
    from common.auth import issue_access_token

    call_command("seed_demo", stdout=io.StringIO())
    token = issue_access_token(User.objects.get(username="demo"))
    with gunicorn(workers=2) as base:
        plan = workload(base, token)
        latencies: list[float] = []
        statuses: Counter = Counter()
        errors = Counter()
        lock = threading.Lock()
        deadline = time.monotonic() + SECONDS

        def worker(offset: int) -> None:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            i = offset
            local_lat, local_status, local_err = [], Counter(), Counter()
            while time.monotonic() < deadline:
                method, url, body = plan[i % len(plan)]
                i += 1
                start = time.perf_counter()
                try:
                    response = session.request(method, url, json=body, timeout=30)
                    local_status[response.status_code // 100 * 100] += 1
                    if response.status_code >= 500:
                        local_err[f"{method} {url} {response.status_code}"] += 1
                except requests.RequestException as exc:
                    local_err[f"connection error: {type(exc).__name__}"] += 1
                local_lat.append(time.perf_counter() - start)
            with lock:
                latencies.extend(local_lat)
                statuses.update(local_status)
                errors.update(local_err)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started

    latencies.sort()
    total = len(latencies)
    p99 = latencies[min(total - 1, int(total * 0.99))] if total else 0
    print(f"load: {total} requests in {elapsed:.1f} s with {THREADS} client threads, 2 gunicorn workers")
    print(
        f"  throughput {total / elapsed:.0f} req/s; p50 {statistics.median(latencies) * 1000:.1f} ms; "
        f"p99 {p99 * 1000:.1f} ms"
    )
    print(f"  by class: {dict(sorted(statuses.items()))}")
    server_errors = sum(v for k, v in statuses.items() if k >= 500)
    connection_errors = sum(v for k, v in errors.items() if k.startswith("connection error"))
    print(f"  5xx: {server_errors}; connection errors: {connection_errors}")
    for what, count in errors.most_common(10):
        print(f"    {count} × {what}")


if __name__ == "__main__":
    main()
