"""``POST /api/o/token/``: the official client's OAuth2 token endpoint."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from common.api_styles.datawiz import OAUTH_ERRORS, STYLE
from common.throttling import LoginThrottleMixin
from terminals import oauth
from terminals.serializers import OAuthTokenRequestSerializer, OAuthTokenResponseSerializer
from terminals.views.base import DatawizAPIView


# An error report of the token endpoint never shows the credentials of its form.
@method_decorator(sensitive_post_parameters("password", "refresh_token", "client_secret"), name="dispatch")
class OAuthTokenView(LoginThrottleMixin, DatawizAPIView):
    """OAuth2 token endpoint of the official client: password and refresh_token grants.

    Client credentials (HTTP Basic or ``client_id``/``client_secret``) are accepted and not
    checked: they identify the client program, not a user.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (FormParser, MultiPartParser)

    @extend_schema(
        operation_id="oauth_token",
        request={"application/x-www-form-urlencoded": OAuthTokenRequestSerializer},
        responses={200: OAuthTokenResponseSerializer, 400: OAUTH_ERRORS, **STYLE.responses(429)},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        body = oauth.oauth_token_issue(request=request, data=request.data)
        return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
