"""The base views every routes endpoint derives from, and the schema pieces they share."""

from __future__ import annotations

from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from common.api_styles import unit_routes
from common.api_styles.unit_routes import EndOfListPagination, LimitOffsetInputSerializer, query_data
from common.drf import StyledAPIView, TaggedAutoSchema
from routes.models import INT64_MAX, INT64_MIN
from routes.permissions import IsAuthenticatedOrTrustedNetwork


class RoutesAutoSchema(TaggedAutoSchema):
    """Documents that credentials are optional from ``ROUTES_TRUSTED_NETWORKS`` (Decision 13)."""

    def get_auth(self):
        auth = super().get_auth()
        return [*auth, {}] if auth and {} not in auth else auth

    def map_parsers(self):
        """Document the JSON bodies only (issue 13 item 4).

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


class RoutesAPIView(StyledAPIView):
    """Base of every routes view: errors in the unit_routes style; token or trusted network."""

    api_style = unit_routes.STYLE
    api_tag = "routes"
    permission_classes = [IsAuthenticatedOrTrustedNetwork]
    schema = RoutesAutoSchema()

    def validated_query(self, serializer_class=LimitOffsetInputSerializer) -> dict:
        data, errors = query_data(self.request.query_params, serializer_class)
        serializer = serializer_class(data=data, context={"text_input": True})
        if not serializer.is_valid() or errors:
            raise serializers.ValidationError({**errors, **serializer.errors})
        return serializer.validated_data

    def validated_body(self, serializer_class) -> dict:
        data = self.request.data
        # Form bodies are text; a JSON body must use JSON types.
        serializer = serializer_class(data=data, context={"text_input": isinstance(data, QueryDict)})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class RoutesListAPIView(RoutesAPIView):
    """A list in the original's ``{"<key>": [...], "is_end_of_list_reached": ...}`` envelope."""

    results_key: str

    def paginated(self, queryset, query: dict, transform=None):
        paginator = EndOfListPagination(self.results_key)
        rows, is_end = paginator.paginate(queryset, limit=query["limit"], offset=query["offset"])
        if transform is not None:
            rows = [transform(row) for row in rows]
        return paginator.get_paginated_response(rows, is_end)


def chat_id_in_range(chat_id: int) -> int:
    """Path ``chat_id``s match ``-?\\d+``; beyond int64 is a 400, not the original's 500."""
    if not INT64_MIN <= chat_id <= INT64_MAX:
        raise serializers.ValidationError({"chat_id": [f"Ensure this value is between {INT64_MIN} and {INT64_MAX}."]})
    return chat_id


# The query serializers themselves document the query (limit 1..100, offset ≥ 0, ids ≥ 1, …):
# the rules the server applies are the ones the schema states (issue 13 item 4).
LIMIT_OFFSET_PARAMETERS = [LimitOffsetInputSerializer]
CHAT_ID_PATH = OpenApiParameter(
    "chat_id",
    {"type": "integer", "format": "int64", "minimum": INT64_MIN, "maximum": INT64_MAX},
    OpenApiParameter.PATH,
    description="Telegram chat id (may be negative).",
)

ERROR = unit_routes.RoutesErrorSerializer
VALIDATION_ERROR = unit_routes.RoutesValidationErrorSerializer


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an operation (401 on every one)."""
    described = {
        400: OpenApiResponse(VALIDATION_ERROR, description="Validation error (or malformed JSON)."),
        401: OpenApiResponse(ERROR, description="No valid Bearer token and not from a trusted network."),
        403: OpenApiResponse(ERROR, description="Refused by the chat's role."),
        404: OpenApiResponse(ERROR, description="Not found."),
        409: OpenApiResponse(ERROR, description="Already exists."),
        429: OpenApiResponse(ERROR, description="Too many requests."),
    }
    return {code: described[code] for code in sorted({*codes, 401})}
