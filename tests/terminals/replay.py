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
import re
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


def split(items: list, size: int = CHUNK_SIZE) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class CsvChunks(list):
    """The record chunks the client makes of a CSV file (its ``upload_*("file.csv")`` path)."""


def csv_chunks(path, columns: list[str], *, sep: str = ";", skip_rows: int = 1) -> CsvChunks:
    """What the client sends for a CSV file, without pandas (not a dependency here).

    The client reads the file with ``pandas.read_csv(header=None, names=columns, sep=';',
    skiprows=1, chunksize=2000)``, then ``chunk.where(pandas.notnull(chunk), None)`` and
    ``to_dict('records')``. Per chunk and column, pandas infers the type: a column of integers
    becomes ``int`` (``float`` if it has empty cells), anything else text. ``where(..., None)``
    turns the empty cells of a text column into ``None`` but leaves a float column's ``NaN``,
    so an empty numeric or all-empty column (one the file lacks, too) arrives as ``NaN``.
    """
    with open(path, encoding="utf8") as handle:
        rows = [line.rstrip("\r\n").split(sep) for line in handle.read().splitlines()[skip_rows:] if line]
    chunks = CsvChunks()
    for chunk in split(rows):
        cells = {
            name: [row[i] if i < len(row) and row[i] != "" else None for row in chunk] for i, name in enumerate(columns)
        }
        for name, values in cells.items():
            present = [value for value in values if value is not None]
            if all(re.fullmatch(r"-?\d+", value) for value in present):
                convert = int if len(present) == len(values) else float
                cells[name] = [convert(value) if value is not None else float("nan") for value in values]
        chunks.append([{name: cells[name][n] for name in columns} for n in range(len(chunk))])
    return chunks


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
        #: the whole 400 lists, and what each retry was answered (the client itself never looks)
        self.refusals: list[list] = []
        self.retries: list[tuple[int, object]] = []

    def post(self, resource: str, data, *, retry: bool = False) -> tuple[int, object]:
        """``_post``: ``…/resource/?`` (an empty urlencoded query); the retry goes to ``…/resource/``.

        The body is ``json.dumps(data)`` with its default ``allow_nan=True``: a float NaN is the
        token ``NaN``, an infinity ``Infinity``.
        """
        headers = {**self.headers, "content-type": "application/json"}
        url = f"{self.api_url}/{resource}/" + ("" if retry else "?")
        response = self.session.post(url, data=json.dumps(data), headers=headers)
        self.log.append(("POST", response.request.path_url, response.status_code))
        return response.status_code, response.json()

    def post_chunk(self, resource: str, chunk: list) -> list:
        """``_post(..., chunk=True)``: after a non-2xx list, re-send what its index lookups keep.

        The client marks ``errors.index(entry)`` for each non-empty entry (the position of the
        *first equal* entry, not of that one), keeps the items whose ``chunk.index(item)`` (again
        the first equal item) is not marked, POSTs them once without looking at the answer, and
        returns the entries whose first position is marked. Replayed as written, equal entries
        and equal items included.
        """
        status, body = self.post(resource, chunk)
        if status in (200, 201, 202):
            return []
        _expect(isinstance(body, list) and len(body) == len(chunk), f"{resource}: not a per-item list: {body!r}")
        self.refusals.append(body)
        marked = [body.index(entry) for entry in body if entry]
        kept = [item for item in chunk if chunk.index(item) not in marked]
        failed = [entry for entry in body if body.index(entry) in marked]
        status, answer = self.post(resource, kept, retry=True)
        self.retries.append((status, answer))
        return failed

    def upload(self, resource: str, items) -> list[list]:
        """``_send_chunk_data``: a list in chunks of 2000, or the chunks of ``csv_chunks``; the
        failed entries of each chunk that had some."""
        chunks = items if isinstance(items, CsvChunks) else split(items)
        return [failed for failed in (self.post_chunk(resource, chunk) for chunk in chunks) if failed]

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
    _expect(client.refusals == [expected_errors], f"bulk errors {client.refusals!r}")
    _expect(failures == [[expected_errors[7]]], f"failed entries {failures!r}")
    _expect([status for status, _ in client.retries] == [201], f"retries answered {client.retries!r}")
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
