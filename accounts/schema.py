"""The account API's own OpenAPI document (behind the offline Redoc page, Decision 13)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


def account_paths_only(endpoints):
    """drf-spectacular preprocessing hook: keep the ``/account/`` operations only."""
    return [
        endpoint for endpoint in endpoints if endpoint[0].startswith("/account/") and endpoint[0] != "/account/schema"
    ]


class UniqueListFieldExtension(OpenApiSerializerFieldExtension):
    """``attributes`` items are unique (the seed's "items unique")."""

    target_class = "accounts.serializers.UniqueListField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "uniqueItems": True}
