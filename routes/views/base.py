"""The base views every routes endpoint derives from, and the schema pieces they share."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from common.api_styles.unit_routes import STYLE
from common.drf import StyledAPIView, TaggedAutoSchema
from routes.models import INT64_MAX, INT64_MIN
from routes.permissions import IsAuthenticatedOrTrustedNetwork


class RoutesAutoSchema(TaggedAutoSchema):
    """Documents that credentials are optional from ``ROUTES_TRUSTED_NETWORKS`` (Decision 13)."""

    def get_auth(self):
        auth = super().get_auth()
        return [*auth, {}] if auth and {} not in auth else auth

    def map_parsers(self):
        """Document the JSON bodies only.

        The server also parses form bodies, as the original did, but a form cannot carry a
        body's ``null`` or its integer lists faithfully, so the schema does not offer them.
        """
        return ["application/json"]

    def _get_request_for_media_type(self, serializer, direction="request"):
        """A routes PATCH body is whole: the view validates it non-partially (not "Patched…")."""
        method, self.method = self.method, "PUT" if self.method == "PATCH" else self.method
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = method

    def get_paginated_name(self, serializer_name: str) -> str:
        """``UnitOutput`` → ``UnitPageOutput``: the page components keep the names clients know."""
        return f"{serializer_name.removesuffix('Output').removesuffix('ListItem')}PageOutput"


class RoutesAPIView(StyledAPIView):
    """Base of every routes view: the unit_routes style; a token or a trusted network."""

    api_style = STYLE
    api_tag = "routes"
    permission_classes = [IsAuthenticatedOrTrustedNetwork]
    schema = RoutesAutoSchema()


class RoutesListAPIView(RoutesAPIView):
    """A list a page at a time (the style's ``EndOfListPagination``) under ``results_key``.

    Its schema documents the 200 response as ``ItemSerializer(many=True)``: the paginator
    documents the page around it and the ``limit``/``offset`` parameters.
    """

    results_key: ClassVar[str]


def chat_id_in_range(chat_id: int) -> int:
    """Path ``chat_id``s match ``-?\\d+``; beyond int64 is a 400, not the original's 500."""
    if not INT64_MIN <= chat_id <= INT64_MAX:
        raise serializers.ValidationError({"chat_id": [f"Ensure this value is between {INT64_MIN} and {INT64_MAX}."]})
    return chat_id


CHAT_ID_PATH = OpenApiParameter(
    "chat_id",
    {"type": "integer", "format": "int64", "minimum": INT64_MIN, "maximum": INT64_MAX},
    OpenApiParameter.PATH,
    description="Telegram chat id (may be negative).",
)
