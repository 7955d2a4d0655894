"""Writes and rules of the accounts app (accounts.md, Decisions 2, 3, 10, 11)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Company, Quota, User
from common.auth import issue_access_token, strip_quotes, user_for_token
from common.exceptions import InvalidCredentialsError, NotAllowedError


def token_generate(*, username: str, password: str | None, ttl_seconds: int) -> str:
    """A JWT for valid credentials; a disabled user is refused with 403 (Decision 2)."""
    # Not ModelBackend.authenticate: it answers a disabled user as unknown (None), where VRt
    # answers 403 "disabled", and it skips the hashing for a null password.
    user = User.objects.select_related("company").filter(username=username).first()
    if user is None:
        # Hash anyway so that an unknown name takes as long as a wrong password.
        User().set_password(password or "")
    if user is None or password is None or not user.check_password(password):
        # Django's signal for a failed login, as authenticate() sends it (login_failures_total counts it).
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=None)
        raise InvalidCredentialsError()
    if not user.enabled:
        raise NotAllowedError("The user is disabled.")
    return issue_access_token(user, timedelta(seconds=ttl_seconds))


def token_validate(*, raw: str) -> tuple[bool, list[str]]:
    """``(valid, roles)`` of a token; expired, revoked, malformed or foreign → ``(False, [])``."""
    raw = strip_quotes(raw.strip())
    try:
        AccessToken(raw)
    except TokenError:
        return False, []
    user = user_for_token(raw)
    if user is None:
        return False, []
    return True, list(user.roles or [])


@transaction.atomic
def password_change(*, user: User, current_password: str | None, new_password: str | None) -> str:
    """Check the current password, set the new one (revoking every older token), return a new token."""
    user = User.objects.select_for_update().select_related("company").get(pk=user.pk)
    if current_password is None or not user.check_password(current_password):
        raise NotAllowedError("The current password is wrong.")
    if new_password is None:
        raise DjangoValidationError({"new_password": ["This field may not be null."]})
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise DjangoValidationError({"new_password": exc.messages})
    user.set_password(new_password)  # bumps token_version: older tokens die (DECISIONS §3)
    user.save(update_fields=["password", "token_version", "edit_date"])
    return issue_access_token(user)


INFO_FIELDS = ("specification", "email", "phone", "attributes")


@transaction.atomic
def user_info_update(*, user: User, changes: dict[str, Any]) -> User:
    """Absent key keeps the value, ``None`` clears it, ``attributes`` replaces the list (Decision 11)."""
    user = User.objects.select_for_update().select_related("company").get(pk=user.pk)
    for field in INFO_FIELDS:
        if field not in changes:
            continue
        value = changes[field]
        if field == "attributes":
            value = [] if value is None else [_attribute(item) for item in value]
        setattr(user, field, value)
    user.edit_date = timezone.now()
    user.save(update_fields=[*INFO_FIELDS, "edit_date"])
    return user


def _attribute(item: dict) -> dict:
    attribute = {"key": item["key"], "value": item["value"]}
    if item.get("strategy") is not None:
        attribute["strategy"] = item["strategy"]
    return attribute


@transaction.atomic
def company_get_or_create(*, key: str, name: str = "") -> tuple[Company, bool]:
    """The company ``key``; a new one is stored with its default quotas (Decision 10)."""
    company, created = Company.objects.get_or_create(key=key, defaults={"name": name})
    if created:
        Quota.objects.defaults_ensure(company=company)
    return company, created


def company_quotas_ensure(*, company: Company) -> int:
    """Store the default quotas a company lacks (idempotent); returns how many were added."""
    return Quota.objects.defaults_ensure(company=company)
