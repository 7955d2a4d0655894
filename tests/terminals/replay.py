"""Replay of the official client's request sequence (terminals.md, notes 6.3).

The client (``python-dwapi``) is GPLv3 and only on GitHub, so it is not a dependency; this
module makes the same library calls it makes (``requests-oauthlib``'s
``LegacyApplicationClient`` password grant with HTTP Basic client credentials, then
``requests`` with its fixed headers, a JSON body even on GET, chunked bulk POSTs, the retry
of the valid items after a 400 list, and ``?page=N`` loops while ``next`` is truthy).

Used by ``tests/terminals/test_client_replay.py`` against ``live_server`` and runnable
against a running server (``make serve``)::

    OAUTHLIB_INSECURE_TRANSPORT=1 python -m tests.terminals.replay http://127.0.0.1:8000 demo demo-password-2026
"""

from __future__ import annotations

import json
import sys
import uuid
from urllib.parse import urlsplit

from oauthlib.oauth2 import LegacyApplicationClient
from requests_oauthlib import OAuth2Session

# Stand-ins for the client's public constants (their values are not copied here): the server
# accepts any client credentials.
CLIENT_ID = "dwapi-client-id"
CLIENT_SECRET = "dwapi-client-secret"
FIXED_DATE = "Tue, 10 Nov 2015 18:11:05 GMT"
CHUNK_SIZE = 2000


class ReplayError(AssertionError):
    pass


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise ReplayError(message)


class Client:
    """The requests the client sends, in the client's way."""

    def __init__(self, base_url: str, username: str, password: str):
        self.base_url = base_url.rstrip("/")
        self.api_url = f"{self.base_url}/api/v1"
        self.headers = {
            "Host": urlsplit(self.base_url).netloc,
            "Accept": "application/json",
            "Date": FIXED_DATE,
            "Content-Type": "application/json",
        }
        self.session = OAuth2Session(client=LegacyApplicationClient(client_id=CLIENT_ID))
        self.token = self.session.fetch_token(
            token_url=f"{self.base_url}/api/o/token/",
            username=username,
            password=password,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
        self.log: list[tuple[str, str, int]] = []

    def post(self, resource: str, data) -> tuple[int, object]:
        headers = {**self.headers, "content-type": "application/json"}
        response = self.session.post(f"{self.api_url}/{resource}/?", data=json.dumps(data), headers=headers)
        self.log.append(("POST", response.request.path_url, response.status_code))
        return response.status_code, response.json()

    def upload(self, resource: str, items: list) -> list[list]:
        """``_send_chunk_data``: chunks of 2000; after a 400 list, re-send the items whose entry is ``{}``."""
        failures = []
        for start in range(0, len(items), CHUNK_SIZE):
            chunk = items[start : start + CHUNK_SIZE]
            status, body = self.post(resource, chunk)
            if status in (200, 201, 202):
                continue
            _expect(isinstance(body, list) and len(body) == len(chunk), f"{resource}: not a per-item list: {body!r}")
            failures.append(body)
            retry = [item for item, error in zip(chunk, body, strict=True) if not error]
            status, body = self.post(resource, retry)
            _expect(status == 201, f"{resource}: retry of the valid items answered {status} {body!r}")
        return failures

    def pages(self, resource: str) -> list[dict]:
        """``_get_raw_data``: ``?page=1, 2, …`` while ``next`` is truthy, a ``{}`` JSON body each time."""
        rows, page = [], 1
        while True:
            response = self.session.get(
                f"{self.api_url}/{resource}/?page={page}", data=json.dumps({}), headers=self.headers
            )
            self.log.append(("GET", response.request.path_url, response.status_code))
            _expect(
                response.status_code == 200, f"GET {resource} page {page}: {response.status_code} {response.text[:200]}"
            )
            data = response.json()
            rows.extend(data["results"])
            if not data.get("next"):
                return rows
            page += 1


def replay(base_url: str, username: str, password: str, *, run: str | None = None) -> dict:
    """Run the sequence; raise ``ReplayError`` on any deviation. Returns what was sent and read."""
    run = run or uuid.uuid4().hex[:8]
    client = Client(base_url, username, password)
    _expect(client.token.get("token_type") == "Bearer", f"token answer {client.token!r}")
    shops = [
        {
            "shop_id": f"{run}-s{n}",
            "name": f"Shop {n}",
            "address": None,
            "open_date": None,
            "group_id": None,
            "format_id": None,
        }
        for n in range(3)
    ]
    _expect(client.upload("shops", shops) == [], "shops upload failed")
    terminals = [{"terminal_id": f"{run}-t{i}", "shop_id": f"{run}-s{i % 3}", "name": f"Kassa {i}"} for i in range(150)]
    terminals[7] = {"terminal_id": f"{run}-t7", "shop_id": f"{run}-missing", "name": "Kassa 7"}
    failures = client.upload("terminals", terminals)
    expected_errors = [{} for _ in terminals]
    expected_errors[7] = {"shop_id": [f"Shop with id={run}-missing does not exist"]}
    _expect(failures == [expected_errors], f"bulk errors {failures!r}")
    listed_terminals = [t for t in client.pages("terminals") if t["terminal_id"].startswith(f"{run}-")]
    listed_shops = [s for s in client.pages("shops") if s["shop_id"].startswith(f"{run}-")]
    sent = [t for i, t in enumerate(terminals) if i != 7]
    _expect(
        sorted((t["terminal_id"], t["shop_id"], t["name"]) for t in listed_terminals)
        == sorted((t["terminal_id"], t["shop_id"], t["name"]) for t in sent),
        "the terminals read back differ from the valid ones sent",
    )
    _expect(sorted(s["shop_id"] for s in listed_shops) == sorted(s["shop_id"] for s in shops), "shops differ")
    return {"run": run, "log": client.log, "terminals": listed_terminals, "shops": listed_shops}


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    result = replay(*sys.argv[1:4])
    for method, path, status in result["log"]:
        print(f"{method} {path} → {status}")
    print(f"ok: run {result['run']}, {len(result['terminals'])} terminals and {len(result['shops'])} shops read back")
    return 0


if __name__ == "__main__":
    sys.exit(main())
