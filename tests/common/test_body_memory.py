"""Nothing keeps a request's body or its parsed data alive after the response (issue 11, item 4).

A parsed ``[{},{},…]`` is mostly empty dicts the cyclic GC does not track, so garbage cycles
holding it are collected rarely: each request used to leave ~25 MB per MiB of body in a
gunicorn worker. The GC is disabled in these tests, so only what the project itself does
frees memory; requests go through a real server (``live_server``), which drops the response
once it is sent (the test client keeps it).
"""

from __future__ import annotations

import gc
import logging
import threading

import pytest
import requests
from django.core.handlers.wsgi import WSGIRequest

from common.auth import issue_access_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_gc(caplog):
    # pytest's log capture would keep the "Bad Request" records, and with them the requests.
    caplog.set_level(logging.ERROR, logger="django.request")
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


def flat_objects(count: int) -> bytes:
    return ("[" + ",".join(["{}"] * count) + "]").encode()


def post(live_server, path: str, body: bytes, token: str | None = None) -> requests.Response:
    # The server closes the connection once it answered, and its thread ends (see served()).
    headers = {"Content-Type": "application/json", "Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(live_server.url + path, data=body, headers=headers, timeout=60)


def served() -> None:
    """Wait for the live server's request threads to finish.

    The client has the whole response before the thread that sent it returns and drops the
    request: counting before then races with it (4 of 40 runs of this file saw the last
    body alive, always the formula write). A leak still fails: without release_drf_request
    5 of the 6 paths do."""
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)
            assert not thread.is_alive(), f"{thread.name} still serving after 10 s"


def parsed_lists_alive(length: int) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is list and len(o) == length)


def requests_holding_a_body(size: int) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is WSGIRequest and len(o.__dict__.get("_body", b"")) >= size)


@pytest.mark.parametrize(
    "path",
    [
        "/account/token/validation",
        "/token",
        "/formula/calculations/write",
        "/api/v1/terminals/",  # a viewset: it holds bound methods of itself
        "/api/v1/passports",
        "/routes/units/",
    ],
)
def test_the_parsed_body_is_freed_with_the_response(path, live_server, demo_user, no_gc):
    items = 20_000  # 60 kB bodies: nowhere near the bytes that trigger a collection
    body = flat_objects(items)
    for _ in range(3):
        response = post(live_server, path, body, issue_access_token(demo_user))
        assert 400 <= response.status_code < 500, response.content[:200]
    served()
    assert parsed_lists_alive(items) == 0


def test_request_bodies_are_freed_after_every_gc_after_body_bytes(live_server, no_gc, monkeypatch):
    """Django's own request is cyclic garbage too (``request.user``, the messages storage) and
    holds the raw body: once GC_AFTER_BODY_BYTES of bodies came in, a collection frees them."""
    import common.middleware

    items = 50_000
    body = flat_objects(items)  # 150 kB
    monkeypatch.setattr(common.middleware, "GC_AFTER_BODY_BYTES", 2 * len(body))
    for _ in range(8):
        assert post(live_server, "/account/token/validation", body).status_code == 400
    served()
    # Two since the last collection, at most, and the one whose response was closing then.
    assert requests_holding_a_body(len(body)) <= 3
    assert parsed_lists_alive(items) == 0
