"""What every API style shares: the ``ApiStyle`` adapter, its error pipeline and input policy.

An ``ApiStyle`` is everything that is "how this API talks" (issue 14): how an error is
answered (``answer``/``body``, behind the one ``exception_handler`` pipeline), how a list is
paged (``pagination_class``, a DRF ``BasePagination``), how query strings and bodies are read
(``input_policy``: repeated parameters, blanks, integers as text, NUL, where an error is
located), and which error responses the schema documents (``responses(...)``). Each app's
base view binds one style and nothing else varies per app.

``normalize`` decides *which* error an arbitrary exception is (Django's, DRF's, the
database's, or a domain one), so that no style can end up answering a traceback or HTML.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Literal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from common import exceptions as domain
from common.exceptions import ApplicationError

logger = logging.getLogger("common.api_styles")


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
        from common.metrics import record_database_error  # the db_errors_total counter

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


# --- statuses and headers of domain errors ----------------------------------------------

#: The HTTP status of each domain error class (the most specific class in the MRO wins). A
#: style that answers one differently overrides ``ApiStyle.statuses``.
DOMAIN_STATUSES: Mapping[type, int] = {
    domain.FieldErrors: 400,
    domain.ItemErrors: 400,
    domain.NotFoundError: 404,
    domain.ConflictError: 409,
    domain.NotAllowedError: 403,
    domain.InvalidCredentialsError: 401,
    domain.RateLimitedError: 429,
    domain.UpstreamError: 502,
    domain.ApplicationError: 400,
}


def status_of(exc: Exception, statuses: Mapping[type, int] = DOMAIN_STATUSES) -> int:
    """The HTTP status of a normalized exception: a DRF one's own, a domain one's by class."""
    if isinstance(exc, ApplicationError):
        for klass in type(exc).__mro__:
            if klass in statuses:
                return statuses[klass]
        return 400
    return getattr(exc, "status_code", 500)


def auth_headers(exc: Exception) -> dict[str, str]:
    """``WWW-Authenticate`` for a refused login, ``Retry-After`` for a throttled request."""
    headers: dict[str, str] = {}
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, domain.InvalidCredentialsError)):
        headers["WWW-Authenticate"] = "Bearer"
    wait = exc.retry_after if isinstance(exc, domain.RateLimitedError) else getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    return headers


@dataclass(frozen=True)
class Answer:
    """An error answer before it becomes a response: status, JSON body, extra headers."""

    status: int
    body: Any
    headers: Mapping[str, str]


# --- paginators -------------------------------------------------------------------------


class QuerySetNotOrdered(Exception):
    """A paginated queryset without ``ORDER BY``: its pages would overlap (NetBox's guard)."""


def ensure_ordered(queryset) -> None:
    """Refuse to page an unordered queryset; lists and ``.values()`` of ordered ones pass."""
    if getattr(queryset, "ordered", True) is False:
        raise QuerySetNotOrdered(f"cannot paginate an unordered queryset of {queryset.model.__name__}")


class StylePagination(BasePagination, abc.ABC):
    """Base of each style's paginator (a DRF ``pagination_class``).

    ``paginate_queryset`` refuses an unordered queryset and remembers the view; subclasses
    implement the style's page protocol in ``page`` and ``get_paginated_response``. The view
    is also bound when drf-spectacular documents it (``common.drf.TaggedAutoSchema``), so a
    page's schema may depend on the view (e.g. routes' ``results_key``).
    """

    view = None

    def paginate_queryset(self, queryset, request, view=None):
        ensure_ordered(queryset)
        self.request, self.view = request, view
        return self.page(queryset, request)

    @abc.abstractmethod
    def page(self, queryset, request) -> list:
        """The rows of the requested page (the style reads its page parameters from ``request``)."""


# --- input policy -----------------------------------------------------------------------


@dataclass(frozen=True)
class InputPolicy:
    """How an API reads its query strings, bodies and path values.

    * ``repeated``: a scalar parameter sent twice (``?limit=1&limit=2``) is refused
      ("Expected a single value.") or the last value wins; list fields take every value.
    * ``blank``: an empty parameter (``?page=``) is the empty string (the field decides), as
      if it were not sent, or (``"refuse"``) refused with ``blank_message`` unless the field
      allows blanks (``allow_blank=True``), whatever its type.
    * Integers as text: query strings and form bodies are text, so the serializer's context
      has ``text_input=True`` for them (``common.fields.StrictIntegerField`` reads it); a
      JSON body must send JSON integers.
    * ``query_error``/``body_error``/``path_error``: the ``ValidationError`` class raised,
      which tells the style where the bad value was (Feecc's ``loc``).
    * ``refuse_nul_in_path``: a NUL in a path value is a validation error of the path, not a
      driver error (PostgreSQL text cannot hold it).
    """

    repeated: Literal["refuse", "last"] = "refuse"
    blank: Literal["value", "absent", "refuse"] = "value"
    query_error: type[exceptions.ValidationError] = exceptions.ValidationError
    body_error: type[exceptions.ValidationError] = exceptions.ValidationError
    path_error: type[exceptions.ValidationError] = exceptions.ValidationError
    refuse_nul_in_path: bool = False
    repeated_message: str = "Expected a single value."
    nul_message: str = ProhibitNullCharactersValidator.message
    blank_message: str = serializers.CharField.default_error_messages["blank"]


def _forget_context(serializer) -> None:
    """Drop a validated serializer's context (the request, the view).

    A serializer whose fields were bound is a reference cycle (``fields`` ↔ ``field.parent``),
    freed only by a full GC collection; with the request in its context it would keep the
    parsed body alive that long (``tests/common/test_body_memory.py``).
    """
    serializer._context = {}
    serializer._kwargs.pop("context", None)  # DRF keeps its init kwargs (for ``many=True`` copies)


# What a query serializer's fields are is a property of its class (the fields are built without
# a context): worked out once per class, not by building the serializer on every request.
@cache
def _list_fields(serializer_class) -> frozenset[str]:
    return frozenset(
        {
            name
            for name, field in serializer_class().fields.items()
            if isinstance(field, (serializers.ListField, serializers.MultipleChoiceField))
        }
    )


@cache
def _blank_refused(serializer_class) -> frozenset[str]:
    fields = serializer_class().fields.items()
    return frozenset({name for name, field in fields if not getattr(field, "allow_blank", False)})


# --- the adapter ------------------------------------------------------------------------


class ApiStyle(abc.ABC):
    """One external API's conventions. Subclass per API; ``STYLE = TheStyle()`` is its instance.

    Subclasses set ``name``, ``prefixes``, ``pagination_class``, ``input_policy`` and
    ``error_responses`` and implement ``body`` (or ``answer``, when the status or headers differ
    from ``DOMAIN_STATUSES``/``auth_headers`` too).
    """

    name: ClassVar[str] = ""
    prefixes: ClassVar[tuple[str, ...]] = ()
    pagination_class: ClassVar[type[BasePagination] | None] = None
    input_policy: ClassVar[InputPolicy] = InputPolicy()
    statuses: ClassVar[Mapping[type, int]] = DOMAIN_STATUSES
    #: ``status → OpenApiResponse`` for ``responses(...)``; ``always_documented`` are added to
    #: every operation's list (e.g. routes' 401).
    error_responses: ClassVar[Mapping[int, OpenApiResponse]] = {}
    always_documented: ClassVar[tuple[int, ...]] = ()

    def __repr__(self) -> str:
        return f"<ApiStyle {self.name}>"

    # -- errors: one pipeline, the body per style -----------------------------------------

    def exception_handler(self, exc: Exception, context: dict) -> Response | None:
        """DRF's ``EXCEPTION_HANDLER`` for the style's views (``common.drf.StyledViewMixin``).

        Normalizes ``exc``; an exception no style answers (a bug) returns ``None`` so that DRF
        re-raises it and ``handler500`` answers the style's 500 after logging it.
        """
        known = normalize(exc)
        if known is None:
            return None
        set_rollback()
        answer = self.answer(known, context)
        if answer.status >= 500:
            logger.error("%s answered %s: %s", self.name, answer.status, known, exc_info=exc)
        return Response(answer.body, status=answer.status, headers=dict(answer.headers))

    def answer(self, exc: Exception, context: dict) -> Answer:
        code = status_of(exc, self.statuses)
        return Answer(code, self.body(exc, code, context), auth_headers(exc))

    @abc.abstractmethod
    def body(self, exc: Exception, status: int, context: dict) -> Any:
        """The error body in this API's shape."""

    def json_answer(self, exc: Exception, request: HttpRequest) -> JsonResponse:
        """The answer outside DRF (handler404/500, middleware), in the same shape."""
        answer = self.answer(exc, {"request": request, "view": None})
        response = JsonResponse(answer.body, status=answer.status, safe=False)
        for key, value in answer.headers.items():
            response[key] = value
        return response

    def page_not_found(self, request: HttpRequest, exception=None) -> HttpResponse:
        return self.json_answer(exceptions.NotFound(), request)

    def server_error(self, request: HttpRequest) -> HttpResponse:
        return self.json_answer(ServerError(), request)

    # -- schema -----------------------------------------------------------------------------

    def responses(self, *codes: int) -> dict[int, OpenApiResponse]:
        """The documented error responses of an operation, for ``@extend_schema(responses=...)``."""
        return {code: self.error_responses[code] for code in sorted({*codes, *self.always_documented})}

    # -- input --------------------------------------------------------------------------------

    def query_data(self, query_params: QueryDict, serializer_class) -> tuple[dict, dict]:
        """A query string as serializer input, by the policy: ``(data, errors)``."""
        policy = self.input_policy
        list_fields = _list_fields(serializer_class)
        blank_refused = _blank_refused(serializer_class) if policy.blank == "refuse" else frozenset()
        data: dict = {}
        errors: dict = {}
        for key in query_params:
            values = query_params.getlist(key)
            if key in list_fields:
                data[key] = values
                continue
            if len(values) > 1 and policy.repeated == "refuse":
                errors[key] = [policy.repeated_message]
                continue
            value = values[-1]
            if value == "" and policy.blank == "absent":
                continue
            if value == "" and key in blank_refused:
                errors[key] = [policy.blank_message]
                continue
            data[key] = value
        return data, errors

    def parse_query(self, request, serializer_class, **context) -> dict:
        """Validated query parameters, or the policy's ``query_error`` naming each bad one."""
        data, errors = self.query_data(request.query_params, serializer_class)
        serializer = serializer_class(data=data, context={"request": request, "text_input": True, **context})
        try:
            if not serializer.is_valid() or errors:
                raise self.input_policy.query_error({**errors, **serializer.errors})
            return serializer.validated_data
        finally:
            _forget_context(serializer)

    def parse_body(self, request, serializer_class, *, data: Any = None, **kwargs) -> Any:
        """The validated body (``data`` instead of ``request.data`` when given)."""
        data = request.data if data is None else data
        context = {"request": request, "text_input": isinstance(data, QueryDict), **kwargs.pop("context", {})}
        serializer = serializer_class(data=data, context=context, **kwargs)
        try:
            if not serializer.is_valid():
                raise self.input_policy.body_error(serializer.errors)
            return serializer.validated_data
        finally:
            _forget_context(serializer)

    def check_path(self, kwargs: Mapping[str, Any]) -> None:
        """Refuse a NUL in a path value as the policy's ``path_error``."""
        if not self.input_policy.refuse_nul_in_path:
            return
        bad = [name for name, value in kwargs.items() if isinstance(value, str) and "\x00" in value]
        if bad:
            raise self.input_policy.path_error({name: [self.input_policy.nul_message] for name in bad})
