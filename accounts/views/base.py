"""The accounts views' base: VRt errors, operationIds, JSON only, binary answers ignoring Accept."""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

from common.api_styles import vrt_account
from common.drf import StyledAPIView, TaggedAutoSchema
from common.parsers import JSONParser  # a too deeply nested body is a 400, not a RecursionError

STYLE = vrt_account.STYLE
AUTHED_ERRORS = (400, 401, 403, 404, 500)


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """Binary and HTML answers ignore ``Accept`` (the clients always send application/json)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class AccountsAutoSchema(TaggedAutoSchema):
    """The operationId is the view's VRt operation, the same name its errors' tracedata carry."""

    def get_operation_id(self):
        return vrt_account.operation_of(type(self.view), self.method) or super().get_operation_id()


class RequiredBodySchema(AccountsAutoSchema):
    """The operations whose body the server needs (token, validation, password) say so."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body


class AccountsAPIView(StyledAPIView):
    """Base of every accounts view: errors in the vrt_account style with the view's operationId."""

    api_style = STYLE
    api_tag = "accounts"
    # The VRt operation (or ``vrt_operations`` per method): operationId and tracedata both.
    vrt_operation = "unknown"
    parser_classes = [JSONParser]  # the VRt API speaks JSON only; a form body is a 415
    schema = AccountsAutoSchema()
