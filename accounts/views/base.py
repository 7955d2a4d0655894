"""The accounts views' base: VRt errors, operationIds, JSON only, binary answers ignoring Accept."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework.negotiation import DefaultContentNegotiation

from common.api_styles import vrt_account
from common.drf import StyledAPIView, TaggedAutoSchema
from common.parsers import JSONParser  # issue 8: a too deeply nested body is a 400

_ERROR_BODIES = {
    400: vrt_account.General400Serializer,
    401: vrt_account.GeneralErrorSerializer,
    402: vrt_account.GeneralErrorSerializer,
    403: vrt_account.GeneralErrorSerializer,
    404: vrt_account.General404Serializer,
    415: vrt_account.GeneralErrorSerializer,
    429: vrt_account.GeneralErrorSerializer,
    500: vrt_account.GeneralErrorSerializer,
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(_ERROR_BODIES[code]) for code in codes}


AUTHED_ERRORS = (400, 401, 403, 404, 500)


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """Binary and HTML answers ignore ``Accept`` (the clients always send application/json)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RequiredBodySchema(TaggedAutoSchema):
    """The operations whose body the server needs (token, validation, password) say so."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body


class AccountsAPIView(StyledAPIView):
    """Base of every accounts view: errors in the vrt_account style with the view's operationId."""

    api_style = vrt_account.STYLE
    api_tag = "accounts"
    vrt_operation = "unknown"
    parser_classes = [JSONParser]  # the VRt API speaks JSON only; a form body is a 415

    @staticmethod
    def validated(serializer_class, data, **context):
        serializer = serializer_class(data=data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
