"""Serializers of the terminals app: the resources' shapes for OPTIONS, the schema and the
browsable API's forms. Input is checked by ``terminals.validation`` (bulk speed), whose
constants give these fields their lengths, bounds and patterns; output rows are built by the
``*_representation`` functions from ``.values()`` rows (tests/terminals/test_builders_match_schema.py
checks they emit exactly these serializers' fields)."""

from __future__ import annotations

import re

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from terminals import validation
from terminals.links import ResourceLinks
from terminals.models import Shop, Terminal


def terminal_representation(links: ResourceLinks, row: dict) -> dict:
    return {
        "url": links.terminal(row["terminal_id"]),
        "terminal_id": row["terminal_id"],
        "name": row["name"],
        "shop_id": row["shop_code"],
        "shop_url": links.shop(row["shop_code"]),
    }


def _chars(chars: str) -> str:
    """``chars`` inside a regex character class, NUL spelt ``\\x00`` (the schema is text)."""
    return "".join(r"\x00" if char == "\x00" else re.escape(char) for char in chars)


def _non_blank(forbidden: str) -> str:
    """Text with some non-space character and none of ``forbidden``."""
    return rf"^[^{forbidden}]*[^{forbidden}\s][^{forbidden}]*$"


#: Non-blank storable text; identifiers also without ``NOT_IN_IDENTIFIER`` (validation.py's rules).
TEXT_PATTERN = _non_blank(_chars(validation.NOT_STORABLE))
IDENTIFIER_PATTERN = _non_blank(_chars(validation.NOT_STORABLE + validation.NOT_IN_IDENTIFIER))
STORABLE_PATTERN = rf"^[^{_chars(validation.NOT_STORABLE)}]*$"


def _text_or_number(max_length: int | None, *, pattern: str = TEXT_PATTERN, nullable: bool = False) -> dict:
    text = {"type": "string", "pattern": pattern}
    if max_length is not None:
        text["maxLength"] = max_length
    schema = {"oneOf": [text, {"type": "number"}]}
    return {**schema, "nullable": True} if nullable else schema


@extend_schema_field(_text_or_number(validation.IDENTIFIER_MAX_LENGTH, pattern=IDENTIFIER_PATTERN))
class IdentifierField(serializers.CharField):
    """An id of the client's accounting system: a string, or a number (stored as its text)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=validation.IDENTIFIER_MAX_LENGTH, **kwargs)


@extend_schema_field(_text_or_number(validation.NAME_MAX_LENGTH))
class NameField(serializers.CharField):
    """A name; numbers are taken as their text, as DRF's CharField does."""

    def __init__(self, **kwargs):
        super().__init__(max_length=validation.NAME_MAX_LENGTH, **kwargs)


@extend_schema_field(_text_or_number(validation.CODE_MAX_LENGTH, pattern=STORABLE_PATTERN, nullable=True))
class CodeField(serializers.CharField):
    """An optional code (shop group, shop format): text, a number, null or blank."""

    def __init__(self, **kwargs):
        super().__init__(max_length=validation.CODE_MAX_LENGTH, **kwargs)


@extend_schema_field(_text_or_number(validation.ADDRESS_MAX_LENGTH, pattern=STORABLE_PATTERN, nullable=True))
class AddressField(serializers.CharField):
    """Free text; null is stored as blank."""


def _decimal(value) -> str | None:
    return None if value is None else f"{value:.8f}"


def shop_representation(links: ResourceLinks, row: dict) -> dict:
    return {
        "url": links.shop(row["shop_id"]),
        "shop_id": row["shop_id"],
        "name": row["name"],
        "address": row["address"],
        "open_date": row["open_date"].isoformat() if row["open_date"] else None,
        "longitude": _decimal(row["longitude"]),
        "latitude": _decimal(row["latitude"]),
        "format_id": row["format_id"],
        "group_id": row["group_id"],
    }


class TerminalSerializer(serializers.Serializer):
    """A cash terminal (seed 3.1); ``shop_id`` names one of the company's shops."""

    url = serializers.URLField(read_only=True)
    terminal_id = IdentifierField()
    name = NameField(label="name")
    shop_id = IdentifierField()
    shop_url = serializers.URLField(read_only=True)

    def to_representation(self, instance):
        if isinstance(instance, Terminal):
            instance = {"terminal_id": instance.terminal_id, "name": instance.name, "shop_code": instance.shop.shop_id}
        return terminal_representation(ResourceLinks(self.context["request"]), instance)


def _below(limit: int) -> str:
    """A regex of the integers ``0 … limit - 1`` for a limit of 10 … 190 in tens (90, 180)."""
    tens, ones = divmod(limit, 10)
    if ones or not 1 <= tens < 20:
        raise ValueError(f"no pattern for a limit of {limit}")
    if tens < 10:
        return rf"[0-{tens - 1}]?\d"
    return rf"(1[0-{tens - 11}]\d|\d?\d)" if tens > 10 else r"\d?\d"


def _degrees(limit: int) -> dict:
    """A number or a plain decimal string within ±``limit`` (``validation.coordinate``)."""
    pattern = rf"^-?({limit}(\.0+)?|{_below(limit)}(\.\d+)?)$"
    return {
        "oneOf": [
            {"type": "number", "minimum": -limit, "maximum": limit},
            {"type": "string", "pattern": pattern, "example": "49.42127200"},
        ],
        "nullable": True,
    }


class _DegreesField(serializers.DecimalField):
    """Degrees; a number or a decimal string in, a string with 8 decimals out."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=11, decimal_places=8, **kwargs)


@extend_schema_field(_degrees(validation.LATITUDE_LIMIT))
class LatitudeField(_DegreesField):
    """Degrees north; a number or a decimal string in, a string with 8 decimals out."""


@extend_schema_field(_degrees(validation.LONGITUDE_LIMIT))
class LongitudeField(_DegreesField):
    """Degrees east; a number or a decimal string in, a string with 8 decimals out."""


class ShopSerializer(serializers.Serializer):
    """A shop (seed section 1; Sphinx docs for the writable fields)."""

    url = serializers.URLField(read_only=True)
    shop_id = IdentifierField()
    name = NameField(label="name")
    address = AddressField(required=False, allow_blank=True, allow_null=True)
    open_date = serializers.DateField(required=False, allow_null=True)
    longitude = LongitudeField(required=False, allow_null=True)
    latitude = LatitudeField(required=False, allow_null=True)
    format_id = CodeField(required=False, allow_null=True, allow_blank=True)
    group_id = CodeField(required=False, allow_null=True, allow_blank=True)

    def to_representation(self, instance):
        if isinstance(instance, Shop):
            instance = {name: getattr(instance, name) for name in self.fields if name != "url"}
        return shop_representation(ResourceLinks(self.context["request"]), instance)


class UpsertResultSerializer(serializers.Serializer):
    """What a POST of one object or of a list did."""

    updated = serializers.IntegerField(min_value=0)
    inserted = serializers.IntegerField(min_value=0)


ORDERING_CHOICES = ["name", "-name", "identifier", "-identifier"]


class _QueryText(serializers.CharField):
    """A query text that may hold anything: one with a NUL matches nothing (selectors)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class ShopListQuerySerializer(serializers.Serializer):
    search = _QueryText(required=False, allow_blank=True, help_text="Only names containing this text.")
    ordering = serializers.ChoiceField(
        choices=ORDERING_CHOICES,
        required=False,
        allow_blank=True,
        help_text="`identifier` is the resource's own id; blank: by id.",
    )


class TerminalListQuerySerializer(ShopListQuerySerializer):
    shop_id = _QueryText(
        required=False, allow_blank=True, help_text="Only the terminals of this shop (blank: every shop)."
    )


class OAuthTokenRequestSerializer(serializers.Serializer):
    """RFC 6749 4.3 (password) and 6 (refresh_token), form-encoded."""

    grant_type = serializers.ChoiceField(choices=["password", "refresh_token"])
    username = serializers.CharField(required=False, help_text="password grant")
    password = serializers.CharField(required=False, help_text="password grant")
    refresh_token = serializers.CharField(required=False, help_text="refresh_token grant")
    scope = serializers.CharField(required=False)
    client_id = serializers.CharField(required=False, help_text="Accepted, not checked (also as HTTP Basic).")
    client_secret = serializers.CharField(required=False)


class OAuthTokenResponseSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["Bearer"])
    expires_in = serializers.IntegerField()
    refresh_token = serializers.CharField()
    scope = serializers.CharField()
