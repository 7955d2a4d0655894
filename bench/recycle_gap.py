"""Does worker recycling take the whole server away? (issue 12, item 4)

For each gunicorn configuration, LOAD_SECONDS (default 60) of read load from LOAD_THREADS
(default 8) client threads while the workers are recycled every RECYCLE_MAX_REQUESTS (default 300)
requests; prints the longest gap with no completed request (goal < 1 s), p50/p99 latency,
errors and how many workers were recycled. All configurations run in the same run, one after
the other, against the same database:

* ``main``: the configuration before issue 12 (no preloading, jitter 10 % of max_requests);
* ``now``: ``gunicorn.conf.py`` as it is (preloaded, its jitter ratio);
* ``now-3w``: the same with 3 workers.

``max_requests`` is scaled down so that recycling happens many times a minute; each
configuration keeps its own jitter ratio. Choose or add configurations with arguments
``NAME:setting=value,setting=value`` (``NAME:`` alone: the file as it is), for example::

    .venv/bin/python -m bench.recycle_gap main:preload_app=False,max_requests_jitter=80 now:
"""

from __future__ import annotations

import ast
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
THREADS = int(os.environ.get("LOAD_THREADS", "8"))
MAX_REQUESTS = int(os.environ.get("RECYCLE_MAX_REQUESTS", "300"))
BASE_DIR = Path(__file__).resolve().parent.parent
CONF = BASE_DIR / "gunicorn.conf.py"


def _conf_values() -> dict:
    """The settings gunicorn.conf.py gives with the current environment."""
    import runpy

    return runpy.run_path(str(CONF))


def default_scenarios() -> dict[str, dict]:
    conf = _conf_values()
    ratio = conf["max_requests_jitter"] / conf["max_requests"] if conf["max_requests"] else 0
    return {
        "main": {"preload_app": False, "max_requests": MAX_REQUESTS, "max_requests_jitter": MAX_REQUESTS // 10},
        "now": {"max_requests": MAX_REQUESTS, "max_requests_jitter": int(MAX_REQUESTS * ratio)},
        "now-3w": {"max_requests": MAX_REQUESTS, "max_requests_jitter": int(MAX_REQUESTS * ratio), "workers": 3},
    }


def parse_scenarios(args: list[str]) -> dict[str, dict]:
    scenarios = {}
    for arg in args:
        name, _, spec = arg.partition(":")
        overrides = {}
        for item in filter(None, spec.split(",")):
            key, _, value = item.partition("=")
            overrides[key.strip()] = ast.literal_eval(value.strip())
        scenarios[name] = overrides
    return scenarios


def write_config(overrides: dict) -> str:
    """A config file: gunicorn.conf.py, then the overrides (gunicorn's own module loader runs it)."""
    lines = [f"exec(compile(open({str(CONF)!r}).read(), {str(CONF)!r}, 'exec'))"]
    lines += [f"{key} = {value!r}" for key, value in overrides.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".py", prefix="gunicorn-bench-", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    return handle.name


def run_load(base: str, token: str) -> dict:
    import requests

    plan = [
        f"{base}/account/info",
        f"{base}/routes/report-types/",
        f"{base}/api/v1/employees",
        f"{base}/api/v1/shops/",
        f"{base}/formula/catalogs/list/users",
    ]
    done: list[float] = []
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + SECONDS

    def worker(offset: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        i = offset
        local_done, local_lat, local_err = [], [], Counter()
        while time.monotonic() < deadline:
            url = plan[i % len(plan)]
            i += 1
            start = time.monotonic()
            try:
                response = session.get(url, timeout=30)
                if response.status_code >= 500:
                    local_err[f"{response.status_code} {url}"] += 1
                else:
                    local_done.append(time.monotonic())
                    local_lat.append(local_done[-1] - start)
            except requests.RequestException as exc:
                local_err[f"connection error: {type(exc).__name__}"] += 1
        with lock:
            done.extend(local_done)
            latencies.extend(local_lat)
            errors.update(local_err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    finished = time.monotonic()
    done.sort()
    marks = [started, *done, min(finished, deadline)]
    gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    latencies.sort()
    total = len(latencies)
    return {
        "requests": total,
        "elapsed": finished - started,
        "gap": max(gaps) if gaps else SECONDS,
        "gaps_over_1s": sum(1 for g in gaps if g >= 1.0),
        "p50": statistics.median(latencies) if total else 0.0,
        "p99": latencies[min(total - 1, int(total * 0.99))] if total else 0.0,
        "errors": errors,
    }


def main(argv: list[str]) -> None:
    from bench._django import setup

    setup()
    import io

    from django.core.management import call_command

    from accounts.models import User
    from bench._server import gunicorn
    from common.auth import issue_access_token

    call_command("seed_demo", stdout=io.StringIO())
    token = issue_access_token(User.objects.get(username="demo"))
    scenarios = parse_scenarios(argv) if argv else default_scenarios()
    print(
        f"recycle_gap: {SECONDS:.0f} s per configuration, {THREADS} client threads, "
        f"{os.cpu_count()} CPUs; max_requests scaled to {MAX_REQUESTS} so workers recycle often"
    )
    results = {}
    for name, overrides in scenarios.items():
        workers = int(overrides.pop("workers", 2))
        config = write_config(overrides)
        env = {"LOG_LEVEL": "info", "GUNICORN_CONTROL_SOCKET": "none"}
        with tempfile.TemporaryFile("w+", suffix=".log", prefix="gunicorn-bench-") as log:
            try:
                with gunicorn(workers=workers, extra_env=env, config=config, stderr=log) as base:
                    result = run_load(base, token)
            finally:
                os.unlink(config)
            log.seek(0)
            boots = len(re.findall(r"Booting worker with pid", log.read()))
        result["recycled"] = max(0, boots - workers)
        results[name] = result
        settings = ", ".join(f"{k}={v}" for k, v in {"workers": workers, **overrides}.items())
        print(f"=== {name}: {settings}")
        print(
            f"  {result['requests']} requests in {result['elapsed']:.1f} s "
            f"({result['requests'] / result['elapsed']:.0f} req/s); workers recycled: {result['recycled']}"
        )
        print(
            f"  longest gap with no completed request: {result['gap'] * 1000:.0f} ms "
            f"(gaps >= 1 s: {result['gaps_over_1s']}); p50 {result['p50'] * 1000:.1f} ms; "
            f"p99 {result['p99'] * 1000:.1f} ms"
        )
        errors = result["errors"]
        print(
            f"  5xx and connection errors: {sum(errors.values())}"
            + "".join(f"\n    {n} x {w}" for w, n in errors.most_common(5))
        )
        sys.stdout.flush()
    if len(results) > 1:
        first, *rest = results
        for name in rest:
            a, b = results[first], results[name]
            print(
                f"{name} vs {first}: longest gap {a['gap'] * 1000:.0f} -> {b['gap'] * 1000:.0f} ms "
                f"({a['gap'] / b['gap']:.1f}x shorter), p99 {a['p99'] * 1000:.1f} -> {b['p99'] * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
