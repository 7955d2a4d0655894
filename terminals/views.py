"""HTTP interface of the terminals app: thin views over services and selectors."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.api_styles import datawiz
from common.drf import StyledAPIView, StyledViewMixin, TaggedAutoSchema
from common.parsers import DatawizJSONParser
from common.throttling import LoginThrottleMixin
from terminals import oauth, selectors, services
from terminals.serializers import (
    OAuthTokenRequestSerializer,
    OAuthTokenResponseSerializer,
    ResourceLinks,
    ShopListQuerySerializer,
    ShopSerializer,
    TerminalListQuerySerializer,
    TerminalSerializer,
    UpsertResultSerializer,
    shop_representation,
    terminal_representation,
)

#: The Datawiz client sends pandas' ``NaN``/``Infinity`` for empty CSV cells: read them as null.
DATAWIZ_PARSERS = (DatawizJSONParser, FormParser, MultiPartParser)


class DatawizAPIView(StyledAPIView):
    """Base of every terminals view: errors in the datawiz style."""

    api_style = datawiz.STYLE
    api_tag = "terminals"
    parser_classes = DATAWIZ_PARSERS


class DatawizAutoSchema(TaggedAutoSchema):
    """A create or replace needs its body (an empty POST is a 400): the schema says so."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body and self.method in ("POST", "PUT"):
            body["required"] = True
        return body


class DatawizViewSet(StyledViewMixin, GenericViewSet):
    """Base of the resource viewsets: datawiz errors, page/page_size, DRF 2 OPTIONS bodies."""

    api_style = datawiz.STYLE
    api_tag = "terminals"
    # issue 11: the bulk upsert (POST) takes up to DATAWIZ_UPLOAD_MAX_MEMORY_SIZE (4 MiB): the
    # official client's 2000-item chunks; every other body keeps the 1 MiB default.
    body_limit_settings = {"post": "DATAWIZ_UPLOAD_MAX_MEMORY_SIZE"}
    parser_classes = DATAWIZ_PARSERS
    schema = DatawizAutoSchema()
    pagination_class = datawiz.DatawizPagination
    metadata_class = datawiz.DatawizMetadata
    filter_backends = ()  # filtering is the selectors' job (query serializers validate it)
    #: OPTIONS ``description`` per view (the seed prints these).
    descriptions = {"List": "", "Instance": ""}

    def get_view_description(self, html=False):
        return self.descriptions.get(self.suffix or "", "")

    def query(self, serializer_class) -> dict:
        params = serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return {name: value for name, value in params.validated_data.items() if value != ""}

    def posted_items(self) -> tuple[list, bool]:
        """The body as a list of items, and whether it was a single object (gets a ``Location``)."""
        data = self.request.data
        if isinstance(data, QueryDict):
            # A form (the browsable API's) has no null: an empty field means "no value", as in DRF.
            data = {key: (value if value != "" else None) for key, value in data.items()}
        return (data, False) if isinstance(data, list) else ([data], True)


ERRORS_401 = OpenApiResponse(datawiz.DatawizErrorSerializer, description="Not authenticated")
ERRORS_404 = OpenApiResponse(datawiz.DatawizErrorSerializer, description='`{"detail": "Not found"}`')
ERRORS_400 = OpenApiResponse(
    datawiz.VALIDATION_ERRORS_SCHEMA,
    description=(
        "Field errors of one object, or for a list one dict per item (`{}` when valid, plus `index` when"
        " another item failed the same way, so no two entries are equal); nothing written"
    ),
)
ERRORS_400_QUERY = OpenApiResponse(datawiz.FIELD_ERRORS_SCHEMA, description="A malformed query parameter")
ERRORS_409 = OpenApiResponse(datawiz.DatawizErrorSerializer, description="Conflict")
ERRORS_415 = OpenApiResponse(datawiz.DatawizErrorSerializer, description="Unsupported media type")
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="Single-object POST only"
)


def _upsert_request(name: str, serializer):
    """JSON: one object or a list. (Forms are accepted for the browsable API but not part of the
    documented contract: they cannot tell null from "null".)"""
    single_or_list = PolymorphicProxySerializer(
        component_name=name,
        serializers=[serializer, serializer(many=True)],
        resource_type_field_name=None,
        many=False,
    )
    return {"application/json": single_or_list}


class TerminalViewSet(DatawizViewSet):
    """Cash terminals of the company's shops (seed sections 3 and 4)."""

    serializer_class = TerminalSerializer
    descriptions = {"List": "Terminals", "Instance": "my Terminal doc"}

    def get_queryset(self):
        return selectors.terminal_list(company=self.request.user.company)

    def get_object(self):
        return selectors.terminal_get(company=self.request.user.company, terminal_id=self.kwargs["terminal_id"])

    @extend_schema(
        operation_id="terminals_list",
        parameters=[TerminalListQuerySerializer],
        responses={200: TerminalSerializer(many=True), 400: ERRORS_400_QUERY, 401: ERRORS_401, 404: ERRORS_404},
    )
    def list(self, request, *args, **kwargs):
        query = self.query(TerminalListQuerySerializer)
        rows = selectors.terminal_list(company=request.user.company, **query)
        links = ResourceLinks(request)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([terminal_representation(links, row) for row in page])

    @extend_schema(
        operation_id="terminals_upsert",
        description="Insert or replace by `terminal_id`: one object, or a list (all or nothing).",
        request=_upsert_request("TerminalUpsertRequest", TerminalSerializer),
        parameters=[LOCATION],
        responses={201: UpsertResultSerializer, 400: ERRORS_400, 401: ERRORS_401, 409: ERRORS_409, 415: ERRORS_415},
    )
    def create(self, request, *args, **kwargs):
        items, single = self.posted_items()
        result = services.terminals_upsert(company=request.user.company, items=items, single=single)
        headers = {"Location": ResourceLinks(request).terminal(str(items[0]["terminal_id"]).strip())} if single else {}
        return Response(result.as_dict(), status=status.HTTP_201_CREATED, headers=headers)

    @extend_schema(responses={200: TerminalSerializer, 401: ERRORS_401, 404: ERRORS_404})
    def retrieve(self, request, *args, **kwargs):
        return Response(TerminalSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(
        description="Replace the terminal; a new `terminal_id` renames it in place (links kept, URL changes).",
        request={"application/json": TerminalSerializer},
        responses={
            200: TerminalSerializer,
            400: ERRORS_400,
            401: ERRORS_401,
            404: ERRORS_404,
            409: ERRORS_409,
            415: ERRORS_415,
        },
    )
    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        terminal = services.terminal_update(
            company=request.user.company, terminal=self.get_object(), data=request.data, partial=partial
        )
        return Response(TerminalSerializer(terminal, context={"request": request}).data)

    @extend_schema(
        request={"application/json": TerminalSerializer(partial=True)},
        responses={
            200: TerminalSerializer,
            400: ERRORS_400,
            401: ERRORS_401,
            404: ERRORS_404,
            409: ERRORS_409,
            415: ERRORS_415,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None, 401: ERRORS_401, 404: ERRORS_404, 409: ERRORS_409})
    def destroy(self, request, *args, **kwargs):
        services.terminal_delete(terminal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShopViewSet(DatawizViewSet):
    """The company's shops (seed section 1): read, and upsert by ``shop_id``; no PUT/PATCH/DELETE."""

    serializer_class = ShopSerializer
    descriptions = {"List": "Shops", "Instance": "my Shop doc"}

    def get_queryset(self):
        return selectors.shop_list(company=self.request.user.company)

    @extend_schema(
        operation_id="shops_list",
        parameters=[ShopListQuerySerializer],
        responses={200: ShopSerializer(many=True), 400: ERRORS_400_QUERY, 401: ERRORS_401, 404: ERRORS_404},
    )
    def list(self, request, *args, **kwargs):
        rows = selectors.shop_list(company=request.user.company, **self.query(ShopListQuerySerializer))
        links = ResourceLinks(request)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([shop_representation(links, row) for row in page])

    @extend_schema(
        operation_id="shops_upsert",
        description="Insert or replace by `shop_id`: one object, or a list (all or nothing).",
        request=_upsert_request("ShopUpsertRequest", ShopSerializer),
        parameters=[LOCATION],
        responses={201: UpsertResultSerializer, 400: ERRORS_400, 401: ERRORS_401, 409: ERRORS_409, 415: ERRORS_415},
    )
    def create(self, request, *args, **kwargs):
        items, single = self.posted_items()
        result = services.shops_upsert(company=request.user.company, items=items, single=single)
        headers = {"Location": ResourceLinks(request).shop(str(items[0]["shop_id"]).strip())} if single else {}
        return Response(result.as_dict(), status=status.HTTP_201_CREATED, headers=headers)

    @extend_schema(responses={200: ShopSerializer, 401: ERRORS_401, 404: ERRORS_404})
    def retrieve(self, request, *args, **kwargs):
        row = selectors.shop_get(company=request.user.company, shop_id=self.kwargs["shop_id"])
        return Response(shop_representation(ResourceLinks(request), row))


# issue 8: an error report of the token endpoint never shows the credentials of its form.
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
        responses={
            200: OAuthTokenResponseSerializer,
            400: OpenApiResponse(datawiz.DatawizOAuthErrorSerializer, description="RFC 6749, 5.2"),
            429: OpenApiResponse(datawiz.DatawizErrorSerializer, description="Too many attempts"),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        body = oauth.oauth_token_issue(request=request, data=request.data)
        return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
