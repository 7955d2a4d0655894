"""``POST /api/o/token/``: the OAuth2 password and refresh-token grants (terminals.md, Decision 4).

The tokens are the project's JWTs (DECISIONS §3). Refresh tokens rotate: each one is
exchanged once, then its ``jti`` is recorded in ``RevokedRefreshToken`` and refused. Every
token carries its family (``fam``: started by the password grant, passed on by each refresh);
a spent refresh token presented again revokes its family (``RevokedTokenFamily``), so every
token issued from it stops working (reuse detection).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from datetime import timedelta

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from common.api_styles.datawiz import OAuthError
from common.auth import (
    FAMILY_CLAIM,
    issue_access_token,
    issue_refresh_token,
    strip_quotes,
    user_for_refresh_token,
)
from common.models import RevokedTokenFamily
from terminals.models import RevokedRefreshToken
from terminals.validation import storable

logger = logging.getLogger(__name__)

ACCESS_LIFETIME = timedelta(seconds=36000)
SCOPE = "read write"


def _required(data, name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise OAuthError("invalid_request", f"Request is missing {name} parameter.")
    return value


def _token_answer(user, family: str) -> dict:
    return {
        "access_token": issue_access_token(user, ACCESS_LIFETIME, family=family),
        "token_type": "Bearer",
        "expires_in": int(ACCESS_LIFETIME.total_seconds()),
        "refresh_token": issue_refresh_token(user, family=family),
        "scope": SCOPE,
    }


def oauth_token_for_password(*, request, username: str, password: str) -> dict:
    """Resource-owner password grant: the user's own credentials (a disabled user is refused)."""
    # No stored username holds what PostgreSQL cannot store (and the lookup would fail).
    user = authenticate(request, username=username, password=password) if storable(username) else None
    if user is None:
        raise OAuthError("invalid_grant", "Invalid credentials given.")
    return _token_answer(user, family=uuid.uuid4().hex)


def oauth_token_for_refresh(*, raw: str) -> dict:
    """Refresh grant with rotation: the presented token is spent, a new pair is issued."""
    user = user_for_refresh_token(raw)
    if user is None:
        # A spent token is refused the same way whether or not its family was revoked meanwhile
        # (two racing reuses: the second sees the family the first revoked).
        raise OAuthError("invalid_grant", _spent_or_invalid(raw))
    token = RefreshToken(strip_quotes(raw.strip()))
    expires_at = datetime.datetime.fromtimestamp(token["exp"], tz=datetime.UTC)
    # A token issued before families existed starts its own.
    family = str(token.get(FAMILY_CLAIM) or token["jti"])
    try:
        with transaction.atomic():
            # The unique jti makes a second use (or two concurrent uses) fail here.
            RevokedRefreshToken.objects.create(jti=token["jti"], user=user, expires_at=expires_at)
    except IntegrityError:
        revoke_token_family(user=user, family=family)
        raise OAuthError("invalid_grant", "Refresh token has already been used.") from None
    now = timezone.now()
    RevokedRefreshToken.objects.filter(expires_at__lt=now).delete()
    RevokedTokenFamily.objects.filter(expires_at__lt=now).delete()
    return _token_answer(user, family=family)


def _spent_or_invalid(raw: str) -> str:
    try:
        jti = RefreshToken(strip_quotes(raw.strip()), verify=True)["jti"]
    except Exception:  # a bad signature, expired or malformed token: simply invalid
        return "Invalid refresh token."
    if RevokedRefreshToken.objects.filter(jti=jti).exists():
        return "Refresh token has already been used."
    return "Invalid refresh token."


def revoke_token_family(*, user, family: str) -> None:
    """Reuse detected: refuse every token of ``family`` until the last of them has expired."""
    lifetime = max(api_settings.REFRESH_TOKEN_LIFETIME, ACCESS_LIFETIME)
    _, created = RevokedTokenFamily.objects.get_or_create(
        family=family, defaults={"user": user, "expires_at": timezone.now() + lifetime}
    )
    if created:
        logger.warning("refresh token reused: token family revoked (user %s)", user.pk)


def oauth_token_issue(*, request, data) -> dict:
    """Dispatch on ``grant_type`` (RFC 6749 4.3.2 and 6)."""
    grant_type = data.get("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request", "Request is missing grant_type parameter.")
    if grant_type == "password":
        return oauth_token_for_password(
            request=request, username=_required(data, "username"), password=_required(data, "password")
        )
    if grant_type == "refresh_token":
        return oauth_token_for_refresh(raw=_required(data, "refresh_token"))
    raise OAuthError("unsupported_grant_type", f"Grant type {grant_type} is not supported.")
