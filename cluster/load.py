"""The bounded load generator of ``make cluster-test`` (stdlib only; runs in the client namespace).

Modes (each prints one JSON line last; each stops by itself, by count and by time):

* ``wait BASE_URL_PATH``: until the URL answers 200 (60 s at most).
* ``login BASE``: access tokens of demo and viewer.
* ``bench ONE THREE TOKEN``: read throughput through the 1-node and the 3-node entry points.
* ``mixed BASE MAX_LAG TOKEN``: the mixed load of the five APIs; prints ``STARTED`` first.
* ``shared BASE RATE VIEWER_TOKEN``: token revocation and the login throttle across nodes.
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

DEMO_PASSWORD = "demo-password-2026"
TIMEOUT = 30
# The reference catalog's product and specification (calculations.reference S(38), X(702)).
CALCULATION = {
    "productID": "00000000-0000-0000-0000-000000000038",
    "specificationID": "00000000-0000-0000-0001-000000000702",
}


class Client:
    """One keep-alive connection per thread; a fresh one after any failure."""

    def __init__(self, base: str, token: str | None = None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.token = token
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body=None, token: str | None = None):
        headers = {"Accept": "application/json", "User-Agent": "cluster-load"}
        token = token or self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            self.connection.request(method, path, payload, headers)
            response = self.connection.getresponse()
            data = response.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, response.getheader("X-Upstream", ""), data


def classify(exc: Exception) -> str:
    if isinstance(exc, TimeoutError | http.client.socket.timeout):
        return "timeout"
    return f"connection error ({type(exc).__name__})"


# --- wait, login -----------------------------------------------------------------------


def wait(url: str) -> dict:
    parts = urlsplit(url)
    client = Client(f"http://{parts.netloc}")
    started = time.monotonic()
    while time.monotonic() - started < 60:
        try:
            status, _, _ = client.request("GET", parts.path)
            if status == 200:
                return {"seconds": time.monotonic() - started}
        except Exception:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} never answered 200")


def login(client: Client, username: str, password: str = DEMO_PASSWORD) -> str:
    status, _, data = client.request("POST", "/account/token/generation", {"username": username, "password": password})
    if status != 200:
        raise SystemExit(f"login of {username} answered {status}: {data[:200]!r}")
    return json.loads(data)


def tokens(base: str) -> dict:
    client = Client(base)
    return {"demo": login(client, "demo"), "viewer": login(client, "viewer")}


# --- reads and writes ------------------------------------------------------------------

READS = [
    ("terminals list", "GET", "/api/v1/terminals/"),
    ("shops head", "HEAD", "/api/v1/shops/"),
    ("routes units", "GET", "/routes/units/"),
    ("routes report types", "GET", "/routes/report-types/"),
    ("passports list", "GET", "/api/v1/passports/?status=&sort_by_date=asc"),
    ("passport schemas", "GET", "/api/v1/schemas"),
    ("vrt statistics", "GET", "/account/statistics?from=2026-11-01&to=2026-11-30"),
    ("vrt audit", "GET", "/account/audit?from=2026-11-01T00:00:00Z"),
    ("vrt report", "GET", "/account/report?from=2026-11-01&to=2026-11-30"),
    ("formula catalog", "GET", "/formula/catalogs/list/componentTypes"),
]


BENCH_READS = [READS[0], READS[2], READS[4], READS[9]]


def bench(one: str, three: str, token: str, seconds: float = 8.0, clients: int = 6) -> dict:
    def rate(base: str) -> float:
        done = Counter()
        stop = time.monotonic() + seconds

        def worker(index: int):
            client = Client(base, token)
            n = index
            while time.monotonic() < stop and done["ok"] < 20000:
                _, method, path = BENCH_READS[n % len(BENCH_READS)]
                n += 1
                try:
                    status, _, _ = client.request(method, path)
                    done["ok" if status == 200 else "bad"] += 1
                except Exception:
                    done["bad"] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if done["bad"]:
            raise SystemExit(f"bench through {base}: {done['bad']} failed requests")
        return done["ok"] / seconds

    rate(three)  # warm every node's workers (imports, connections) before measuring
    return {"seconds": seconds, "one": rate(one), "three": rate(three)}


class Mixed:
    """Readers and writers of the five APIs for ``duration`` seconds (or ``max_requests``)."""

    def __init__(self, base: str, token: str, max_lag: float, duration: float = 56.0, clients: int = 6):
        self.base, self.token, self.max_lag = base, token, max_lag
        self.duration, self.clients = duration, clients
        self.max_requests = 30000
        self.lock = threading.Lock()
        self.records: list[tuple[str, bool, bool, float, str]] = []  # kind, idempotent, ok, end, class
        self.upstreams: set[str] = set()
        self.acked = {"terminals": [], "chats": [], "calculations": []}
        self.probe_acks: list[tuple[int, float]] = []  # (seq, ack time), increasing
        self.staleness: list[float] = []
        self.stale_reads = 0
        self.samples: list[str] = []
        self.retried = 0
        self.cuts: list[tuple[float, str, str]] = []  # (monotonic time, kind, class) retried once

    def record(self, kind: str, idempotent: bool, ok: bool, failure: str = "", upstream: str = "") -> None:
        with self.lock:
            self.records.append((kind, idempotent, ok, time.monotonic(), failure))
            if upstream:
                self.upstreams.update(u.strip() for u in upstream.split(","))
                self.retried += "," in upstream
            if not ok and len(self.samples) < 20:
                self.samples.append(f"{kind}: {failure}")

    def call(self, client: Client, kind: str, method: str, path: str, body=None, expect=(200, 201)):
        idempotent = method in ("GET", "HEAD")
        try:
            status, upstream, data = client.request(method, path, body)
        except Exception as exc:
            if not idempotent or isinstance(exc, TimeoutError | http.client.socket.timeout):
                self.record(kind, idempotent, False, classify(exc))
                return None
            # A node that dies after sending its headers leaves nginx nothing to retry: the
            # answer is cut (IncompleteRead: shorter than its Content-Length), and the client
            # sees it. Like any HTTP client of an idempotent read, this one asks again once;
            # run.py checks every cut happened just after a node was killed.
            with self.lock:
                self.cuts.append((time.monotonic(), kind, classify(exc)))
            try:
                status, upstream, data = client.request(method, path, body)
            except Exception as again:
                self.record(kind, idempotent, False, f"{classify(exc)}, then on the retry {classify(again)}")
                return None
        ok = status in expect
        # An upstream list ("a, b") means nginx retried the request on another node.
        self.record(kind, method in ("GET", "HEAD"), ok, "" if ok else f"HTTP {status}", upstream)
        return data if ok else None

    def stopped(self) -> bool:
        return time.monotonic() >= self.stop_at or len(self.records) >= self.max_requests

    # --- the probe: a terminal renamed every 100 ms; reads report how old their copy is ---

    def probe_writer(self) -> None:
        client = Client(self.base, self.token)
        seq = 0
        while not self.stopped():
            seq += 1
            body = [{"terminal_id": "probe", "shop_id": "1", "name": f"probe-{seq}"}]
            if self.call(client, "probe write", "POST", "/api/v1/terminals/", body) is not None:
                with self.lock:
                    self.probe_acks.append((seq, time.monotonic()))
            time.sleep(0.1)

    def probe_read(self, client: Client) -> None:
        started = time.monotonic()
        data = self.call(client, "probe read", "GET", "/api/v1/terminals/probe/")
        if data is None:
            return
        seen = int(json.loads(data)["name"].split("-")[1])
        with self.lock:
            newer = next(((s, t) for s, t in self.probe_acks if s > seen), None)
            age = started - newer[1] if newer and newer[1] < started else 0.0
            self.staleness.append(age)
            self.stale_reads += age > 0

    # --- the workers --------------------------------------------------------------------

    def worker(self, index: int) -> None:
        client = Client(self.base, self.token)
        rng = random.Random(index)
        n = 0
        while not self.stopped():
            n += 1
            roll = rng.random()
            if roll < 0.2:
                self.probe_read(client)
            elif roll < 0.72:
                kind, method, path = rng.choice(READS)
                self.call(client, kind, method, path)
            elif roll < 0.77:
                self.call(client, "formula list (POST read)", "POST", "/formula/calculations/list", {})
            elif roll < 0.86:
                self.write_terminal(client, index, n, rng)
            elif roll < 0.93:
                chat_id = 7_000_000_000 + index * 10_000_000 + n
                body = {"chat_id": chat_id, "type": "PRIVATE", "title": f"Cluster {chat_id}", "username": None}
                if self.call(client, "routes chat create", "POST", "/routes/telegram-chats/", body) is not None:
                    with self.lock:
                        self.acked["chats"].append(chat_id)
            else:
                data = self.call(client, "formula write", "POST", "/formula/calculations/write", CALCULATION)
                if data is not None:
                    created = json.loads(data)
                    with self.lock:
                        self.acked["calculations"].append([created["guid"], created["number"]])

    def write_terminal(self, client: Client, index: int, n: int, rng: random.Random) -> None:
        with self.lock:
            mine = [t for t in self.acked["terminals"] if t.startswith(f"cl{index}-")]
        if mine and rng.random() < 0.3:
            terminal_id = rng.choice(mine)  # an upsert of an existing terminal: still one row
        else:
            terminal_id = f"cl{index}-{n}-{uuid.uuid4().hex[:6]}"
        body = [{"terminal_id": terminal_id, "shop_id": "2", "name": f"Kassa {terminal_id} {n}"}]
        if self.call(client, "terminal upsert", "POST", "/api/v1/terminals/", body) is not None:
            with self.lock:
                if terminal_id not in self.acked["terminals"]:
                    self.acked["terminals"].append(terminal_id)

    def run(self) -> dict:
        Client(self.base, self.token).request(
            "POST", "/api/v1/terminals/", [{"terminal_id": "probe", "shop_id": "1", "name": "probe-0"}]
        )
        self.probe_acks.append((0, time.monotonic()))
        started = time.monotonic()
        self.stop_at = started + self.duration
        print("STARTED", flush=True)
        threads = [threading.Thread(target=self.probe_writer)]
        threads += [threading.Thread(target=self.worker, args=(i,)) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        ends = [started] + sorted(end for _, _, ok, end, _ in self.records if ok) + [started + seconds]
        failures = Counter(
            f"{'idempotent' if idem else 'non-idempotent'} {cls}" for _, idem, ok, _, cls in self.records if not ok
        )
        return {
            "seconds": seconds,
            "clients": self.clients + 1,
            "requests": len(self.records),
            "by_kind": dict(Counter(kind for kind, *_ in self.records)),
            "failures": dict(failures),
            "failed_idempotent": sum(1 for _, idem, ok, _, _ in self.records if idem and not ok),
            "failed_writes": sum(1 for _, idem, ok, _, _ in self.records if not idem and not ok),
            "failure_samples": self.samples,
            "retried": self.retried,
            "cuts": self.cuts,
            "longest_gap": max(b - a for a, b in zip(ends, ends[1:], strict=False)),
            "upstreams": sorted(u for u in self.upstreams if u),
            "max_staleness": max(self.staleness, default=0.0),
            "probe_reads": len(self.staleness),
            "stale_reads": self.stale_reads,
            "acked": self.acked,
        }


# --- state shared across nodes ----------------------------------------------------------


def shared(base: str, rate: int, viewer_token: str) -> dict:
    client = Client(base)

    def spread(count: int, method: str, path: str, body=None, token=None) -> tuple[list[int], set[str]]:
        statuses, upstreams = [], set()
        for _ in range(count):
            status, upstream, _ = Client(base).request(method, path, body, token=token)
            statuses.append(status)
            upstreams.add(upstream)
        return statuses, upstreams

    before, up_before = spread(6, "GET", "/api/v1/terminals/", token=viewer_token)
    status, _, data = client.request(
        "POST",
        "/account/password",
        {"current_password": DEMO_PASSWORD, "new_password": "cluster-changed-2026"},
        token=viewer_token,
    )
    if status != 200:
        raise SystemExit(f"password change answered {status}: {data[:300]!r}")
    after, up_after = spread(6, "GET", "/api/v1/terminals/", token=viewer_token)

    attempts = 3 * rate  # per-node counters would let every one of these through
    username = f"throttle-{uuid.uuid4().hex[:8]}"
    statuses, upstreams = spread(
        attempts, "POST", "/account/token/generation", {"username": username, "password": "wrong-password-1"}
    )
    return {
        "revocation": {
            "before": sorted(set(before)),
            "after": sorted(set(after)),
            "upstreams_before": sorted(up_before),
            "upstreams_after": sorted(up_after),
        },
        "throttle": {
            "attempts": attempts,
            "accepted": sum(1 for s in statuses if s != 429),
            "refused": sum(1 for s in statuses if s == 429),
            "upstreams": sorted(upstreams),
        },
    }


def main(argv: list[str]) -> int:
    mode, *args = argv
    if mode == "wait":
        result = wait(args[0])
    elif mode == "login":
        result = tokens(args[0])
    elif mode == "bench":
        result = bench(args[0], args[1], args[2])
    elif mode == "mixed":
        result = Mixed(args[0], args[2], float(args[1])).run()
    elif mode == "shared":
        result = shared(args[0], int(args[1]), args[2])
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
