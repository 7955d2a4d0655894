"""VRt.Account: ``General4xx`` bodies with ``tracedata`` (accounts.md, Decision 12)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from common.api_styles.base import ApiStyle, auth_headers, flatten_errors, message_of, normalize, status_of

SERVICE = "ACCOUNT"


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


def tracedata(request=None, view=None) -> dict:
    user = _caller(request)
    authenticated = user is not None
    return {
        "process_code": str(uuid.uuid4()),
        "request_code": _request_code(request),
        "username": user.username if authenticated else "anonymous",
        "company": user.company.key if authenticated else "unknown",
        "service": SERVICE,
        "operation": _operation(request, view),
        "env": settings.ENV_NAME if len(settings.ENV_NAME) >= 2 else "env",
        "pod": settings.POD_NAME,
        "time": timezone.now().isoformat(),
    }


def _operation(request, view) -> str:
    """The operationId: from the view, or (outside DRF, e.g. a 500) from the resolved URL's view class.

    A view serving several operations on one path names them in ``vrt_operations`` by method.
    """
    operation = getattr(view, "vrt_operation", None)
    if view is None and request is not None:
        match = getattr(request, "resolver_match", None)
        view_class = getattr(getattr(match, "func", None), "view_class", None)
        operation = (getattr(view_class, "vrt_operations", None) or {}).get(request.method) or getattr(
            view_class, "vrt_operation", None
        )
    return operation if isinstance(operation, str) and len(operation) >= 3 else "unknown"


def error_body(exc: Exception, request=None, view=None) -> dict:
    code = status_of(exc)
    trace = tracedata(request, view)
    if code == 404:
        return {"resource_key": getattr(exc, "resource_key", None), "detail": {"tracedata": trace}}
    body = {"tracedata": trace, "message": message_of(exc)[:2048] or None}
    if code == 400:
        detail = getattr(exc, "detail", None)
        if isinstance(exc, exceptions.ValidationError):
            body["message"] = "Validation error"
            body["schema_errors"] = [
                {"entity": entity or None, "message": message[:2048]} for entity, message in flatten_errors(detail)
            ]
        else:
            body["schema_errors"] = []
    return body


def exception_handler(exc, context):
    exc = normalize(exc)
    if exc is None:
        return None
    request, view = context.get("request"), context.get("view")
    return Response(error_body(exc, request, view), status=status_of(exc), headers=auth_headers(exc))


def page_not_found(request, exception=None):
    return JsonResponse(error_body(exceptions.NotFound(), request), status=404)


def server_error(request):
    from common.api_styles.base import ServerError

    return JsonResponse(error_body(ServerError(), request), status=500)


def _request_code(request) -> str:
    """The request id when it is a UUID (ours always is; a client's may not be): VRt's is a UUID."""
    try:
        return str(uuid.UUID(str(getattr(request, "request_id", None))))
    except ValueError:
        return str(uuid.uuid4())


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


STYLE = ApiStyle("vrt_account", ("/account/",), exception_handler, page_not_found, server_error)
