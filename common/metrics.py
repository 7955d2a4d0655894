"""Prometheus metrics: requests, latency, database errors, logins, throttling.

``prometheus-client`` counts in this process, or, when ``PROMETHEUS_MULTIPROC_DIR`` is set
(``gunicorn.conf.py`` sets it for every run), in memory-mapped files that ``/metrics`` adds up
over every gunicorn worker, living or recycled. Label values come from bounded sets: the API
style of the path prefix, the resolved URL pattern's name (never the raw path), the method
and the status code.
"""

from __future__ import annotations

import contextvars
import os
import time

from django.contrib.auth.signals import user_login_failed
from django.db import DatabaseError
from django.dispatch import receiver
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from common.api_styles import style_for_path

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by API, operation (URL pattern name), method and status code.",
    ["api", "operation", "method", "status"],
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by API, operation and method.",
    ["api", "operation", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
DATABASE_ERRORS = Counter(
    "db_errors_total",
    "Database errors met while answering a request, by API and exception class.",
    ["api", "error"],
)
LOGIN_FAILURES = Counter(
    "login_failures_total",
    "Logins refused for a wrong username or password, by API.",
    ["api"],
)
THROTTLED = Counter(
    "throttled_requests_total",
    "Requests refused with 429 by a throttle (logins, access codes), by API and operation.",
    ["api", "operation"],
)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Paths outside the five APIs, by prefix; anything else is "other".
_OTHER_AREAS = (("/admin/", "admin"), ("/api/schema/", "docs"), ("/api/docs/", "docs"), ("/api/redoc/", "docs"))
_STATIC_PREFIX = "/static/"

_current_api: contextvars.ContextVar[str] = contextvars.ContextVar("metrics_api", default="other")


def api_of(path: str) -> str:
    """The API label of a path: its API style's name, or admin/docs/static/other."""
    style = style_for_path(path)
    if style is not None:
        return style.name
    for prefix, area in _OTHER_AREAS:
        if path.startswith(prefix):
            return area
    if path.startswith(_STATIC_PREFIX):
        return "static"
    return "other"


def operation_of(request) -> str:
    """The resolved URL pattern's name (``namespace:name``), else its route; ``none`` if unresolved."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "none"
    if match.url_name:
        return match.view_name
    return match.route or "none"


def record_database_error(exc: BaseException) -> None:
    """Count a database error once, whichever handler meets it first."""
    if not isinstance(exc, DatabaseError) or getattr(exc, "_metrics_counted", False):
        return
    exc._metrics_counted = True
    DATABASE_ERRORS.labels(api=_current_api.get(), error=type(exc).__name__).inc()


def record_throttled(request, view) -> None:
    THROTTLED.labels(api=_current_api.get(), operation=operation_of(request)).inc()


def record_login_failure() -> None:
    LOGIN_FAILURES.labels(api=_current_api.get()).inc()


@receiver(user_login_failed, dispatch_uid="common.metrics.login_failed")
def _on_login_failed(sender, credentials=None, request=None, **kwargs):
    # Django's authenticate() sends it (Feecc /token, Datawiz /api/o/token/, the admin);
    # the VRt login sends it from accounts.services.token_generate.
    record_login_failure()


class RequestMetricsMiddleware:
    """Counts and times every request; outermost but for ``common.ops`` (probes are not counted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = api_of(request.path_info)
        token = _current_api.set(api)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _current_api.reset(token)
        method = request.method if request.method in METHODS else "other"
        operation = operation_of(request)
        LATENCY.labels(api=api, operation=operation, method=method).observe(time.perf_counter() - start)
        REQUESTS.labels(api=api, operation=operation, method=method, status=str(response.status_code)).inc()
        return response

    def process_exception(self, request, exception):
        # Errors that escape a view (the admin, the docs); DRF views count theirs in
        # common.api_styles.base.normalize.
        record_database_error(exception)


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric, added up over the workers in multiprocess mode."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
