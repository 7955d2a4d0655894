"""Maximum-size bodies against gunicorn: RSS of each worker before and after (issue 11, item 4).

Starts gunicorn (2 sync workers) on the ``bench`` database, warms every endpoint with a small
body, then sends BODIES (default 20) bodies of ``[{},{},…]`` at each endpoint's own limit
(the cheapest body to send and the dearest to parse), one connection each, to: VRt token
validation (anonymous) and login, the Feecc login, a routes access-code PATCH (trusted
network), a formula write and a Datawiz bulk upsert (with a token). Prints each worker's RSS
after the warm-up (baseline), after each endpoint's round, and the growth. Goal: every worker
back within 50 MB of its baseline. Run: ``.venv/bin/python -m bench.abuse_memory``
(``BENCH_PORT`` chooses the port; ``ABUSE_BODY_BYTES`` sends that size instead of each
endpoint's limit, ``ABUSE_ENDPOINTS=token,terminals`` only the matching paths).
"""

from __future__ import annotations

import os
import time
from collections import Counter

BODIES = int(os.environ.get("ABUSE_BODIES", "20"))
BODY_BYTES = int(os.environ.get("ABUSE_BODY_BYTES", "0"))
ONLY = [part for part in os.environ.get("ABUSE_ENDPOINTS", "").split(",") if part]
GOAL_MB = 50

ENDPOINTS = [
    # (method, path, needs a token)
    ("POST", "/account/token/validation", False),
    ("POST", "/account/token/generation", False),
    ("POST", "/token", False),
    ("PATCH", "/routes/roles/users/1/", False),
    ("POST", "/formula/calculations/write", True),
    ("POST", "/api/v1/terminals/", True),
]


def body_limit(method: str, path: str) -> int:
    """The largest body the server accepts there (the project's own rule, read from its code)."""
    from django.conf import settings
    from django.test import RequestFactory
    from django.urls import resolve

    try:
        from common.middleware import body_limit as limit_of
    except ImportError:  # an older checkout: one limit for everything
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = RequestFactory().generic(method, path)
    return limit_of(request, resolve(path).func)


def flat_objects(size: int) -> bytes:
    count = (size - 1) // 3
    body = "[" + ",".join(["{}"] * count) + "]"
    return (body + " " * (size - len(body))).encode()


def main() -> None:
    from bench._django import setup

    setup()
    import io

    import requests
    from django.core.management import call_command

    from accounts.models import User
    from bench._server import gunicorn_process, rss_mb, worker_pids
    from common.auth import issue_access_token

    call_command("seed_demo", stdout=io.StringIO())
    token = issue_access_token(User.objects.get(username="demo"))
    rates = {"LOGIN_THROTTLE_RATE": "100000/minute", "ACCESS_CODE_THROTTLE_RATE": "100000/minute"}

    def send(base: str, method: str, path: str, with_token: bool, body: bytes) -> int:
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if with_token:
            headers["Authorization"] = f"Bearer {token}"
        # A new connection each time, so the kernel spreads them over both workers.
        return requests.request(method, base + path, data=body, headers=headers, timeout=120).status_code

    with gunicorn_process(workers=2, extra_env=rates) as (base, master):
        for method, path, with_token in ENDPOINTS * 4:  # warm-up: imports, URL resolvers, connections
            send(base, method, path, with_token, b"[{}]")
        time.sleep(1)
        pids = worker_pids(master.pid)
        baseline = {pid: rss_mb(pid) for pid in pids}
        print(f"{BODIES} bodies per endpoint, gunicorn {len(pids)} workers (pids {', '.join(map(str, pids))})")
        print(f"{'endpoint':<38} {'body':>9} {'statuses':<16} " + " ".join(f"{f'RSS {p}':>10}" for p in pids))
        print(f"{'baseline (after warm-up)':<38} {'':>9} {'':<16} " + " ".join(f"{baseline[p]:>8.0f}MB" for p in pids))
        started = time.monotonic()
        for method, path, with_token in ENDPOINTS:
            if ONLY and not any(part in path for part in ONLY):
                continue
            size = BODY_BYTES or body_limit(method, path)
            body = flat_objects(size)
            statuses = Counter(send(base, method, path, with_token, body) for _ in range(BODIES))
            shown = ",".join(f"{code}×{n}" for code, n in sorted(statuses.items()))
            after = " ".join(f"{rss_mb(p):>8.0f}MB" for p in pids)
            print(f"{method + ' ' + path:<38} {size / 2**20:>7.2f}MB {shown:<16} {after}")
        elapsed = time.monotonic() - started
        time.sleep(1)
        final = {pid: rss_mb(pid) for pid in pids}
        print(f"sent the bodies in {elapsed:.1f} s")
        for pid in pids:
            growth = final[pid] - baseline[pid]
            verdict = "ok" if growth <= GOAL_MB else "over the goal"
            print(
                f"worker {pid}: RSS before {baseline[pid]:.0f} MB, after {final[pid]:.0f} MB, "
                f"growth {growth:+.0f} MB (goal ≤ {GOAL_MB} MB: {verdict})"
            )


if __name__ == "__main__":
    main()
