"""VRt.Account: ``General4xx`` bodies with ``tracedata`` (accounts.md, Decision 12).

* Errors: ``General400 {tracedata, message, schema_errors[{entity, message}]}``;
  ``General404 {resource_key, detail: {tracedata}}`` (``resource_key`` is the key that was
  looked up, ``NotFoundError(key=...)``); every other status ``{tracedata, message}``.
* Input: JSON bodies only (the views' parser); a query parameter sent twice keeps its last
  value, and an empty one is refused unless the field allows blanks (then it means "all").
* No paginator: the audit pages with its own ``offset``/``limit`` inside its result body.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.request import Request

from common.api_styles.base import ApiStyle, InputPolicy, flatten_errors, message_of
from common.auth import claims_of
from common.exceptions import FieldErrors, NotFoundError

SERVICE = "ACCOUNT"
MESSAGE_MAX = 2048
RESOURCE_KEY_MAX = 1024


def _caller(request):
    """The authenticated user if authentication already ran; never re-runs it (it may be what failed)."""
    if request is None:
        return None
    if isinstance(request, Request):
        user = request.__dict__.get("_user")
    else:
        try:
            user = getattr(request, "user", None)
            user = user if user is not None and user.is_authenticated else None
        except Exception:  # the session lookup itself failed (e.g. the database is down)
            return None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def operation_of(view_class, method: str | None) -> str | None:
    """A view's VRt operationId for ``method``: ``vrt_operations[method]``, else ``vrt_operation``.

    The one place it is read: the errors' ``tracedata.operation`` and the OpenAPI
    ``operationId`` (``accounts.views.base.AccountsAutoSchema``) both come from here.
    """
    operations: Mapping[str, str] = getattr(view_class, "vrt_operations", None) or {}
    return operations.get(method or "") or getattr(view_class, "vrt_operation", None)


def _operation(request, view) -> str:
    """The operationId: from the view, or (outside DRF, e.g. a 500) from the resolved URL's view class."""
    if view is not None:
        view_class = type(view)
    else:
        match = getattr(request, "resolver_match", None)
        view_class = getattr(getattr(match, "func", None), "view_class", None)
    operation = operation_of(view_class, getattr(request, "method", None))
    return operation if isinstance(operation, str) and len(operation) >= 3 else "unknown"


def _request_code(request) -> str:
    """The request id when it is a UUID (ours always is; a client's may not be): VRt's is a UUID."""
    try:
        return str(uuid.UUID(str(getattr(request, "request_id", None))))
    except ValueError:
        return str(uuid.uuid4())


def tracedata(request=None, view=None) -> dict:
    user = _caller(request)
    authenticated = user is not None
    return {
        "process_code": str(uuid.uuid4()),
        "request_code": _request_code(request),
        "username": user.username if authenticated else "anonymous",
        "company": _company_key(user) if authenticated else "unknown",
        "service": SERVICE,
        "operation": _operation(request, view),
        "env": settings.ENV_NAME if len(settings.ENV_NAME) >= 2 else "env",
        "pod": settings.POD_NAME,
        "time": timezone.now().isoformat(),
    }


def _company_key(user) -> str:
    """The caller's company as its tokens name it: the style knows no field of the user model."""
    return str(claims_of(user).get("company") or "unknown")


def _resource_key(exc: Exception) -> str | None:
    if isinstance(exc, NotFoundError):
        return None if exc.key is None else str(exc.key)[:RESOURCE_KEY_MAX]
    return None


# --- schema components (drf-spectacular names them after the classes) ----------------
class TracedataSerializer(serializers.Serializer):
    process_code = serializers.UUIDField()
    request_code = serializers.UUIDField()
    username = serializers.CharField()
    company = serializers.CharField()
    service = serializers.CharField()
    operation = serializers.CharField()
    env = serializers.CharField()
    pod = serializers.CharField()
    time = serializers.DateTimeField()


class SchemaErrorSerializer(serializers.Serializer):
    entity = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class General400Serializer(serializers.Serializer):
    tracedata = TracedataSerializer()
    message = serializers.CharField(allow_null=True)
    schema_errors = SchemaErrorSerializer(many=True)


class GeneralErrorSerializer(serializers.Serializer):
    """General402/403/429/500 and the 401 body."""

    tracedata = TracedataSerializer()
    message = serializers.CharField(allow_null=True)


class General404DetailSerializer(serializers.Serializer):
    tracedata = TracedataSerializer()


class General404Serializer(serializers.Serializer):
    resource_key = serializers.CharField(allow_null=True)
    detail = General404DetailSerializer(allow_null=True)


class VrtAccountStyle(ApiStyle):
    name = "vrt_account"
    prefixes = ("/account/",)
    pagination_class = None
    input_policy = InputPolicy(repeated="last", blank="refuse")
    error_responses = {
        400: OpenApiResponse(General400Serializer),
        401: OpenApiResponse(GeneralErrorSerializer),
        402: OpenApiResponse(GeneralErrorSerializer),
        403: OpenApiResponse(GeneralErrorSerializer),
        404: OpenApiResponse(General404Serializer),
        415: OpenApiResponse(GeneralErrorSerializer),
        429: OpenApiResponse(GeneralErrorSerializer),
        500: OpenApiResponse(GeneralErrorSerializer),
    }

    def body(self, exc: Exception, status: int, context: dict) -> Any:
        trace = tracedata(context.get("request"), context.get("view"))
        if status == 404:
            return {"resource_key": _resource_key(exc), "detail": {"tracedata": trace}}
        body: dict[str, Any] = {"tracedata": trace, "message": message_of(exc)[:MESSAGE_MAX] or None}
        if status == 400:
            # Invalid values, whether DRF found them or a rule did (``FieldErrors`` in field names).
            invalid = exc.detail if isinstance(exc, exceptions.ValidationError) else getattr(exc, "fields", None)
            if isinstance(exc, (exceptions.ValidationError, FieldErrors)):
                body["message"] = "Validation error"
            body["schema_errors"] = [
                {"entity": entity or None, "message": message[:MESSAGE_MAX]}
                for entity, message in flatten_errors(invalid or [])
            ]
        return body


STYLE = VrtAccountStyle()
