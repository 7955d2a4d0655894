"""Logs an operator can use (issue 12, item 3).

Every line (Django's and gunicorn's, master and workers) starts with a UTC ISO-8601 time, the
level, the logger and the request id, as text or as JSON lines (``LOG_FORMAT=json``). An
incoming well-formed ``X-Request-ID`` is kept, returned and logged; anything else is replaced.
The access line is gunicorn's: status, duration and the request id, no query string, no secret.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.conf import settings

from common.logs import JsonFormatter, TextFormatter, formatter_class
from tests.common.servers import free_port

pytestmark = pytest.mark.django_db

UTC_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
TEXT_LINE = re.compile(rf"^(?P<time>{UTC_TIME}) (?P<level>[A-Z]+) (?P<logger>[\w.]+) \[(?P<rid>[^\]]+)\] (?P<msg>.*)$")
SECRET = "Secret-Bearer-Value-4471"


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _record(created: float, message: str = "hello %s", args=("world",), name="app.test", level=logging.WARNING):
    record = logging.LogRecord(name, level, __file__, 1, message, args, None)
    record.created = created
    return record


@pytest.fixture
def moscow_time():
    """The process in Moscow time, as Django's TIME_ZONE puts a gunicorn worker."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Moscow"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_text_line_has_utc_time_level_logger_and_request_id(moscow_time):
    created = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC).timestamp()
    record = _record(created)
    record.request_id = "trace-1"
    assert TextFormatter().format(record) == "2026-03-01T09:30:15.250Z WARNING app.test [trace-1] hello world"
    assert TextFormatter().format(_record(created)).endswith(" WARNING app.test [-] hello world")


def test_json_line_has_utc_time_level_logger_and_request_id(moscow_time):
    created = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC).timestamp()
    record = _record(created)
    record.request_id = "trace-1"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-03-01T09:30:15.250Z",
        "level": "WARNING",
        "logger": "app.test",
        "request_id": "trace-1",
        "message": "hello world",
    }


def test_json_line_carries_the_traceback_in_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("app.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    body = json.loads(line)
    assert body["level"] == "ERROR" and body["message"] == "failed"
    assert "ValueError: boom" in body["exc_info"]


def test_log_format_setting_chooses_the_formatter(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    assert formatter_class() is JsonFormatter
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert formatter_class() is TextFormatter
    monkeypatch.delenv("LOG_FORMAT")
    assert formatter_class() is TextFormatter
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    with pytest.raises(ValueError, match="LOG_FORMAT='yaml': use 'text' or 'json'"):
        formatter_class()


def test_unknown_log_format_stops_manage_py_with_one_line():
    env = {**os.environ, "LOG_FORMAT": "yaml", "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "error: LOG_FORMAT='yaml': use 'text' or 'json'"


@pytest.fixture
def django_request_log():
    """What the django.request logger writes, through the project's text and JSON formatters."""
    text, jsonl = io.StringIO(), io.StringIO()
    handlers = []
    for stream, formatter in ((text, TextFormatter()), (jsonl, JsonFormatter())):
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handlers.append(handler)
    logger = logging.getLogger("django.request")
    for handler in handlers:
        logger.addHandler(handler)
    yield text, jsonl
    for handler in handlers:
        logger.removeHandler(handler)


def test_well_formed_request_id_is_kept_returned_and_logged(client, django_request_log):
    text, jsonl = django_request_log
    rid = "edge-7f3a.91:b/c+d="
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=rid)
    assert response.status_code == 404
    assert response["X-Request-ID"] == rid
    line = TEXT_LINE.match(text.getvalue().strip())
    assert line, text.getvalue()
    assert (line["level"], line["logger"], line["rid"], line["msg"]) == (
        "WARNING",
        "django.request",
        rid,
        "Not Found: /no-such-page/",
    )
    assert abs(_parse_time(line["time"]) - datetime.now(UTC)) < timedelta(minutes=1)
    body = json.loads(jsonl.getvalue())
    assert (body["level"], body["logger"], body["request_id"]) == ("WARNING", "django.request", rid)
    assert body["message"] == "Not Found: /no-such-page/"
    assert "request" not in body  # the request object is never serialised


@pytest.mark.parametrize(
    "incoming",
    ["", "has space", 'quote"d', "x" * 129, "ünïcode", "a\tb", "semi;colon", "<script>"],
)
def test_malformed_or_over_long_request_id_is_replaced(client, django_request_log, incoming):
    text, _ = django_request_log
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=incoming)
    rid = response["X-Request-ID"]
    assert rid != incoming
    uuid.UUID(rid)
    assert f"[{rid}]" in text.getvalue()
    if incoming:
        assert incoming not in text.getvalue()


def test_request_id_is_a_new_uuid_per_request_without_the_header(client):
    first = client.get("/no-such-page/")["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]
    assert first != second
    uuid.UUID(first), uuid.UUID(second)


def test_longest_accepted_request_id_is_128_characters(client):
    rid = "a" * 128
    assert client.get("/no-such-page/", HTTP_X_REQUEST_ID=rid)["X-Request-ID"] == rid


def test_vrt_tracedata_request_code_is_the_request_id_when_it_is_a_uuid(client):
    rid = str(uuid.uuid4())
    response = client.get("/account/info", HTTP_X_REQUEST_ID=rid)
    assert response.status_code == 401
    assert response.json()["tracedata"]["request_code"] == rid
    other = client.get("/account/info", HTTP_X_REQUEST_ID="not-a-uuid")
    assert other["X-Request-ID"] == "not-a-uuid"
    uuid.UUID(other.json()["tracedata"]["request_code"])  # VRt's request_code stays a UUID


# --- gunicorn: the real access line, master and worker lines --------------------------------


def _serve_and_log(log_format: str, requests_to_send):
    """Run gunicorn with the project's gunicorn.conf.py, send requests, stop it; (responses, lines)."""
    from common.embedded_pg import database_url

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "LOG_FORMAT": log_format,
        "LOG_LEVEL": "info",
        "TIME_ZONE": "Europe/Moscow",
        "TZ": "Europe/Moscow",
        "GUNICORN_CONTROL_SOCKET": "none",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    responses = []
    try:
        for _ in range(300):
            try:
                requests.get(base + "/__warm__/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.1)
        for path, headers in requests_to_send:
            responses.append(requests.get(base + path, headers=headers, timeout=10))
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    return responses, out.splitlines()


def test_gunicorn_text_lines_and_access_line_carry_the_request_id():
    responses, lines = _serve_and_log(
        "text",
        [
            ("/routes/no-such-thing/?password=" + SECRET, {"X-Request-ID": "ops-trace-42", "Authorization": SECRET}),
            ("/no-such-page/", {"X-Request-ID": "bad id"}),
        ],
    )
    kept, replaced = responses
    assert kept.headers["X-Request-ID"] == "ops-trace-42"
    new_id = replaced.headers["X-Request-ID"]
    uuid.UUID(new_id)
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    now = datetime.now(UTC)
    for match in parsed:  # master and worker alike, although the worker runs in Moscow time
        assert abs(_parse_time(match["time"]) - now) < timedelta(minutes=2), match.group(0)
    loggers = {m["logger"] for m in parsed}
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= loggers
    access = [m for m in parsed if m["logger"] == "gunicorn.access" and "/__warm__/" not in m["msg"]]
    assert [m["rid"] for m in access] == ["ops-trace-42", new_id]
    assert re.fullmatch(
        r'127\.0\.0\.1 "GET /routes/no-such-thing/" 404 \d+ \d+ms "python-requests/[\d.]+"', access[0]["msg"]
    )
    assert re.fullmatch(r'127\.0\.0\.1 "GET /no-such-page/" 404 \d+ \d+ms "python-requests/[\d.]+"', access[1]["msg"])
    assert not any(SECRET in line for line in lines)
    assert not any("bad id" in line for line in lines)


def test_gunicorn_json_lines_and_access_fields():
    responses, lines = _serve_and_log("json", [("/no-such-page/", {"X-Request-ID": "ops-trace-43"})])
    assert responses[0].headers["X-Request-ID"] == "ops-trace-43"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    for record in records:
        assert {"time", "level", "logger", "request_id", "message"} <= set(record)
        assert re.fullmatch(UTC_TIME, record["time"])
    access = [r for r in records if r["logger"] == "gunicorn.access" and r["path"] == "/no-such-page/"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "ops-trace-43"
    assert (line["method"], line["status"], line["remote_addr"]) == ("GET", 404, "127.0.0.1")
    assert isinstance(line["duration_ms"], int) and line["duration_ms"] >= 0
    assert isinstance(line["bytes"], int)
    not_found = [r for r in records if r["logger"] == "django.request" and "/no-such-page/" in r["message"]]
    assert [r["request_id"] for r in not_found] == ["ops-trace-43"]
    assert not_found[0]["status_code"] == 404
    starting = [r for r in records if r["logger"] == "gunicorn.error" and r["message"].startswith("Starting gunicorn")]
    assert starting and starting[0]["request_id"] is None and starting[0]["level"] == "INFO"
