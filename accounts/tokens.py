"""What an accounts user puts in a token, and when a token still stands for them (DECISIONS §3).

``common.auth`` signs and verifies the tokens of all five APIs but knows no field of
``accounts.User``: it calls this module through ``settings.TOKEN_USER_POLICY`` (the
``common.auth.TokenUserPolicy`` protocol).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from accounts.models import User

#: The user's ``token_version`` when the token was issued: a password change bumps it.
VERSION_CLAIM = "ver"


def users() -> QuerySet[User]:
    """The users a token may name, with what ``claims`` reads (one query per token check)."""
    return User.objects.select_related("company")


def claims(user: User) -> dict[str, Any]:
    """The identity claims of every token: username, company key, VRt roles, token version."""
    return {
        "username": user.username,
        "company": user.company.key,
        "roles": list(user.roles or []),
        VERSION_CLAIM: user.token_version,
    }


def accepts(user: User, token: Mapping[str, Any]) -> bool:
    """A token stands while its user is enabled and has not changed password since it was issued."""
    return user.enabled and token.get(VERSION_CLAIM) == user.token_version
