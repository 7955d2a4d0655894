"""One token for all five APIs (DECISIONS §3): simplejwt, wrapped.

* ``issue_access_token(user, lifetime)`` signs an HS256 JWT carrying the user id, ``exp``
  (``SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]`` unless ``lifetime`` is given) and the identity
  claims of the user model's ``TokenUserPolicy`` (``settings.TOKEN_USER_POLICY``).
* ``BearerTokenAuthentication`` is used by every API: it tolerates one pair of quotes
  around the token (old VRt clients), checks expiry and signature (simplejwt), that the
  policy still accepts the token for its user (and, for a token of a refresh-token family,
  that the family is not revoked), with one indexed query; anonymous requests are answered
  by the API's own style with ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import cache, lru_cache
from importlib import import_module
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Exists, QuerySet
from django.dispatch import receiver
from django.test.signals import setting_changed
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import aware_utcnow

from common.compiled import CompiledQuery, Placeholder

#: The refresh-token family of a token issued by the Datawiz OAuth endpoint (reuse detection).
FAMILY_CLAIM = "fam"


class TokenUserPolicy(Protocol):
    """What the user model contributes to tokens; ``settings.TOKEN_USER_POLICY`` names one.

    ``claims`` must include ``username`` and ``company`` (the VRt errors' tracedata reads
    them); ``accepts`` says whether a verified token still stands for its user.
    """

    def users(self) -> QuerySet: ...

    def claims(self, user) -> Mapping[str, Any]: ...

    def accepts(self, user, token: Mapping[str, Any]) -> bool: ...


@cache
def token_user_policy() -> TokenUserPolicy:
    """The module ``settings.TOKEN_USER_POLICY`` names (its functions are the protocol's)."""
    return import_module(settings.TOKEN_USER_POLICY)


def claims_of(user) -> Mapping[str, Any]:
    """The identity claims a token of ``user`` carries."""
    return token_user_policy().claims(user)


def _add_identity_claims(token, user, family: str | None = None) -> None:
    for name, value in claims_of(user).items():
        token[name] = value
    if family:
        token[FAMILY_CLAIM] = family


def issue_access_token(user, lifetime: timedelta | None = None, *, family: str | None = None) -> str:
    """A signed access token for ``user`` that expires after ``lifetime`` (of a token family).

    Without ``lifetime`` it lives ``SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]`` (simplejwt's own default).
    """
    token = AccessToken.for_user(user)
    if lifetime is not None:
        token.set_exp(lifetime=lifetime)
    _add_identity_claims(token, user, family)
    return str(token)


def issue_refresh_token(user, lifetime: timedelta | None = None, *, family: str | None = None) -> str:
    """A refresh token (Datawiz OAuth2 refresh grant) carrying the same version and family claims."""
    token = RefreshToken.for_user(user)
    if lifetime is not None:
        token.set_exp(lifetime=lifetime)
    _add_identity_claims(token, user, family)
    return str(token)


def strip_quotes(raw: str) -> str:
    """Remove one pair of surrounding double quotes (VRt clients <= 7.15 keep them)."""
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        return raw[1:-1]
    return raw


@lru_cache(maxsize=4096)
def _verified_access_token(raw: str) -> AccessToken:
    """``AccessToken(raw)``: the signature, claims and type checked, once per token string.

    A client sends the same token with every request until it expires, and what simplejwt
    checks of it (signature, ``nbf``/``iat``, token type, ``jti``) depends on nothing but the
    token and the settings, except its expiry, which ``user_for_token`` checks on every call.
    A refused token raises and is not remembered. The entries are bounded (an LRU of 4096
    tokens) and forgotten when a test changes the settings (``setting_changed``); a deploy that
    changes the signing key restarts the processes.
    """
    return AccessToken(raw)


@receiver(setting_changed)
def _forget_verified_tokens(**kwargs) -> None:
    _verified_access_token.cache_clear()


def user_for_token(raw: str | bytes):
    """Return the active user a valid access token belongs to, or ``None``.

    Checks signature, expiry, token type, the user's token version and ``enabled``.
    """
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    raw = strip_quotes(raw.strip())
    try:
        token = _verified_access_token(raw)
        token.check_exp(current_time=aware_utcnow())
    except TokenError:
        return None
    return _user_for_validated(token)


_USER_ID = Placeholder(0, -7_351_902_466)  # no user has a negative primary key
_FAMILY = Placeholder(1, "token-family-placeholder-7351902466")


def _users(user_id, family=None) -> QuerySet:
    """The token's user, with whether its family (when it has one) is revoked: one query."""
    from common.models import RevokedTokenFamily

    users = token_user_policy().users()
    if family is not None:
        users = users.annotate(family_revoked=Exists(RevokedTokenFamily.objects.filter(family=family)))
    return users.filter(pk=user_id)


_user_query = CompiledQuery(lambda user_id: _users(user_id), [_USER_ID])
_user_of_family_query = CompiledQuery(_users, [_USER_ID, _FAMILY])


def _user_for_validated(token):
    policy = token_user_policy()
    family = token.get(FAMILY_CLAIM)
    try:
        user_id = _user_query.model._meta.pk.get_prep_value(token.get("user_id"))
    except (ValueError, TypeError):
        return None
    if family is None:
        users = _user_query.fetch(user_id)
    else:
        users = _user_of_family_query.fetch(user_id, str(family))
    if len(users) != 1:
        return None
    user = users[0]
    if not policy.accepts(user, token):
        return None
    if family is not None and user.family_revoked:
        return None
    return user


def user_for_refresh_token(raw: str):
    """The user a valid refresh token belongs to (same checks), or ``None``."""
    try:
        token = RefreshToken(strip_quotes(raw.strip()))
    except TokenError:
        return None
    return _user_for_validated(token)


class BearerTokenAuthentication(JWTAuthentication):
    """``Authorization: Bearer <jwt>`` for every API."""

    www_authenticate_realm = None

    def authenticate_header(self, request) -> str:
        return "Bearer"

    def authenticate(self, request):
        header = self.get_header(request)
        if header is None:
            return None
        parts = header.split()
        if len(parts) == 0:
            return None
        if parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header.", code="bad_header")
        user = user_for_token(parts[1])
        if user is None:
            raise exceptions.AuthenticationFailed("Token is invalid or expired.", code="token_not_valid")
        return user, parts[1]
