"""Operational endpoints: ``/healthz``, ``/readyz`` and ``/metrics``.

Answered by the first middleware, before ``SecurityMiddleware`` and host validation: a load
balancer or Prometheus probes the process by its address (``Host: 10.0.0.5:8000``) over
plain HTTP, so these paths are exempt from ``ALLOWED_HOSTS``, the production SSL redirect,
sessions and CSRF; they build no URL from the Host header. Not part of any API and not in
the OpenAPI schema (docs/decisions.md).

- ``/healthz``: the process answers (no database access); always 200.
- ``/readyz``: the database answers and no migration is unapplied; 200, else 503.
- ``/metrics``: Prometheus text; 404 unless ``METRICS_ALLOWED_NETWORKS`` or
  ``METRICS_BEARER_TOKEN`` is set, then only to a client that passes every guard that is set.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse, JsonResponse

from common.networks import address_in, networks

logger = logging.getLogger("common.ops")

PATHS = ("/healthz", "/readyz", "/metrics")
_NO_STORE = {"Cache-Control": "no-store"}


def healthz(request) -> HttpResponse:
    return JsonResponse({"status": "ok"}, headers=_NO_STORE)


@lru_cache(maxsize=1)
def _migrations_on_disk() -> tuple[tuple[str, str], ...]:
    """Every migration of this code, in dependency order; read once (the files do not change
    under a running process), so a probe costs two small queries, not a graph build."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return tuple(dict.fromkeys(key for leaf in graph.leaf_nodes() for key in graph.forwards_plan(leaf)))


def readiness(alias: str = DEFAULT_DB_ALIAS) -> tuple[bool, dict[str, str]]:
    """``(ready, checks)``: the database answers a query and every migration on disk is applied."""
    connection = connections[alias]
    checks = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        applied = set(MigrationRecorder(connection).applied_migrations())
    except DatabaseError as exc:
        logger.warning("readyz: database unreachable: %s", exc)
        # The connection may be broken; the next request opens a new one.
        connection.close_if_unusable_or_obsolete()
        checks.update(database="unreachable", migrations="unknown")
        return False, checks
    unapplied = [key for key in _migrations_on_disk() if key not in applied]
    if unapplied:
        names = ", ".join(f"{app}.{name}" for app, name in unapplied[:5])
        logger.warning("readyz: %d unapplied migration(s): %s; run manage.py migrate", len(unapplied), names)
        checks["migrations"] = f"{len(unapplied)} unapplied"
        return False, checks
    return True, checks


def readyz(request) -> HttpResponse:
    ready, checks = readiness()
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
        headers=_NO_STORE,
    )


def metrics(request) -> HttpResponse:
    allowed = tuple(settings.METRICS_ALLOWED_NETWORKS or ())
    token = settings.METRICS_BEARER_TOKEN or ""
    if not allowed and not token:
        return HttpResponse("Not Found\n", status=404, content_type="text/plain")
    # The socket peer, never a header the client controls (like ROUTES_TRUSTED_NETWORKS).
    if allowed and not address_in(request.META.get("REMOTE_ADDR"), networks("METRICS_ALLOWED_NETWORKS", allowed)):
        return HttpResponse(
            "Forbidden: your address is not in METRICS_ALLOWED_NETWORKS\n", status=403, content_type="text/plain"
        )
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            response = HttpResponse(
                "Unauthorized: send Authorization: Bearer METRICS_BEARER_TOKEN\n", status=401, content_type="text/plain"
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    from common.metrics import exposition

    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type, headers=_NO_STORE)


_VIEWS = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}


class OpsEndpointsMiddleware:
    """First in ``MIDDLEWARE``: answers the three paths (GET/HEAD) before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = _VIEWS.get(request.path_info.rstrip("/") or "/")
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse("Method Not Allowed\n", status=405, content_type="text/plain")
            response["Allow"] = "GET, HEAD"
            return response
        response = view(request)
        if request.method == "HEAD":
            response.content = b""
        return response


def check_metrics_settings(app_configs=None, **kwargs):
    """System check (run by ``check`` and ``migrate``): a bad CIDR is named before any request."""
    from django.core import checks

    errors = []
    for entry in settings.METRICS_ALLOWED_NETWORKS or ():
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError as exc:
            errors.append(
                checks.Error(
                    f"METRICS_ALLOWED_NETWORKS: {exc}",
                    hint="List networks in CIDR form, comma-separated, e.g. 10.0.0.0/8,127.0.0.1/32.",
                    id="common.E001",
                )
            )
    return errors
