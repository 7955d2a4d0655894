"""What every API style module shares: the record type and exception normalisation.

A style module renders errors; this module only decides *which* error an arbitrary
exception is (Django's, DRF's, the database's, or a domain one), so that no style can
end up answering a traceback or an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error

from common.exceptions import ApplicationError

logger = logging.getLogger("common.api_styles")


@dataclass(frozen=True)
class ApiStyle:
    """One external API's error conventions, looked up by path prefix outside DRF."""

    name: str
    prefixes: tuple[str, ...]
    exception_handler: Callable
    page_not_found: Callable[[HttpRequest], HttpResponse]
    server_error: Callable[[HttpRequest], HttpResponse]


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable; try again later."
    default_code = "service_unavailable"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is too large."
    default_code = "payload_too_large"


class ServerError(exceptions.APIException):
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail = "Internal server error."
    default_code = "error"


def normalize(exc: Exception) -> Exception | None:
    """Map Django/database exceptions onto DRF ones; keep DRF and domain exceptions.

    Returns ``None`` for an exception no style should answer (a real bug: it is logged and
    becomes that style's 500 through ``handler500``).
    """
    if isinstance(exc, (exceptions.APIException, ApplicationError)):
        return exc
    if isinstance(exc, DatabaseError):
        from common.metrics import record_database_error  # issue 12: db_errors_total

        record_database_error(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(str(exc) or "Bad request.")
    if isinstance(exc, IntegrityError):
        logger.info("integrity error answered as 409: %s", exc)
        return Conflict()
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("database unavailable: %s", exc)
        return ServiceUnavailable()
    if isinstance(exc, DatabaseError):
        logger.exception("database error", exc_info=exc)
        return ServerError()
    return None


def auth_headers(exc: Exception) -> dict[str, str]:
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        headers["WWW-Authenticate"] = "Bearer"
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return headers


def status_of(exc: Exception) -> int:
    if isinstance(exc, ApplicationError):
        return exc.status
    return getattr(exc, "status_code", 500)


def message_of(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    detail = getattr(exc, "detail", None)
    if isinstance(detail, (list, dict)):
        return str(exc.__class__.default_detail) if hasattr(exc.__class__, "default_detail") else "Error"
    return str(detail) if detail is not None else str(exc)


def flatten_errors(detail, prefix: str = "") -> list[tuple[str, str]]:
    """``{"a": {"b": ["msg"]}, "c": [["m"], {}]}`` → ``[("a.b", "msg"), ("c[0]", "m")]``."""
    out: list[tuple[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and prefix:
                name = prefix
            out.extend(flatten_errors(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.extend((prefix, str(item)) for item in detail)
        else:
            for index, item in enumerate(detail):
                out.extend(flatten_errors(item, f"{prefix}[{index}]"))
    else:
        out.append((prefix, str(detail)))
    return out
