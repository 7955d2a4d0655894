"""The terminals app's base views: every view binds the datawiz style and nothing else varies."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.api_styles import datawiz
from common.drf import StyledAPIView, StyledViewMixin, TaggedAutoSchema
from common.parsers import DatawizJSONParser
from terminals.links import ResourceLinks

#: The Datawiz client sends pandas' ``NaN``/``Infinity`` for empty CSV cells: read them as null.
DATAWIZ_PARSERS = (DatawizJSONParser, FormParser, MultiPartParser)
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="Single-object POST only"
)


class DatawizAPIView(StyledAPIView):
    """Base of the terminals app's plain views: the datawiz style."""

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
    """Base of the resource viewsets: the datawiz style (errors, page/page_size), DRF 2 OPTIONS."""

    api_style = datawiz.STYLE
    api_tag = "terminals"
    # The bulk upsert (POST) takes up to DATAWIZ_UPLOAD_MAX_MEMORY_SIZE (4 MiB): the official
    # client's 2000-item chunks; every other body keeps the 1 MiB default.
    body_limit_settings = {"post": "DATAWIZ_UPLOAD_MAX_MEMORY_SIZE"}
    parser_classes = DATAWIZ_PARSERS
    schema = DatawizAutoSchema()
    metadata_class = datawiz.DatawizMetadata
    filter_backends = ()  # filtering is the selectors' job (query serializers validate it)
    #: OPTIONS ``description`` per view (the seed prints these).
    descriptions = {"List": "", "Instance": ""}

    def get_view_description(self, html=False):
        return self.descriptions.get(self.suffix or "", "")


def form_item(data: QueryDict) -> dict:
    """A form body (the browsable API's) as one item: a form has no null, so an empty field
    means "no value", as in DRF."""
    return {key: (value if value != "" else None) for key, value in data.items()}


def upsert_request(name: str, serializer) -> dict:
    """JSON: one object or a list. (Forms are accepted for the browsable API but not part of the
    documented contract: they cannot tell null from "null".)"""
    single_or_list = PolymorphicProxySerializer(
        component_name=name,
        serializers=[serializer, serializer(many=True)],
        resource_type_field_name=None,
        many=False,
    )
    return {"application/json": single_or_list}


class DatawizUpsertMixin:
    """``POST`` of one object or of a list: insert or replace by id, all or nothing.

    ``upsert_service(company=, items=)`` returns an ``UpsertResult``; a single object's answer
    has a ``Location`` built from the id the service stored (``resource`` names its URL).
    """

    upsert_service: ClassVar[Callable]
    resource: ClassVar[str]

    def create(self, request, *args, **kwargs):
        data = form_item(request.data) if isinstance(request.data, QueryDict) else request.data
        bulk = isinstance(data, list)
        result = self.upsert_service(company=request.user.company, items=data if bulk else [data])
        headers = {} if bulk else {"Location": ResourceLinks(request).detail(self.resource, result.keys[0])}
        return Response(result.as_dict(), status=status.HTTP_201_CREATED, headers=headers)
