"""``/api/v1/shops/``: the company's shops (seed section 1): read, and upsert by ``shop_id``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from common.api_styles.datawiz import QUERY_ERRORS, STYLE
from terminals import selectors, services
from terminals.links import ResourceLinks
from terminals.serializers import ShopListQuerySerializer, ShopSerializer, UpsertResultSerializer, shop_representation
from terminals.views.base import LOCATION, DatawizUpsertMixin, DatawizViewSet, upsert_request


@extend_schema_view(
    create=extend_schema(
        operation_id="shops_upsert",
        description="Insert or replace by `shop_id`: one object, or a list (all or nothing).",
        request=upsert_request("ShopUpsertRequest", ShopSerializer),
        parameters=[LOCATION],
        responses={201: UpsertResultSerializer, **STYLE.responses(400, 401, 409, 415)},
    )
)
class ShopViewSet(DatawizUpsertMixin, DatawizViewSet):
    """The company's shops (seed section 1): read, and upsert by ``shop_id``; no PUT/PATCH/DELETE."""

    serializer_class = ShopSerializer
    descriptions = {"List": "Shops", "Instance": "my Shop doc"}
    upsert_service = staticmethod(services.shops_upsert)
    resource = "shop"

    def get_queryset(self):
        return selectors.shop_list(company=self.request.user.company)

    @extend_schema(
        operation_id="shops_list",
        parameters=[ShopListQuerySerializer],
        responses={200: ShopSerializer(many=True), 400: QUERY_ERRORS, **STYLE.responses(401, 404)},
    )
    def list(self, request, *args, **kwargs):
        rows = selectors.shop_page_source(company=request.user.company, **self.query(ShopListQuerySerializer))
        links = ResourceLinks(request)
        return self.page(rows, lambda row: shop_representation(links, row), plain=True)  # text and nulls

    @extend_schema(responses={200: ShopSerializer, **STYLE.responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        row = selectors.shop_get(company=request.user.company, shop_id=self.kwargs["shop_id"])
        return Response(shop_representation(ResourceLinks(request), row))
