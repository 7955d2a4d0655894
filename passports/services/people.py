"""Employee writes and the Feecc users API over the shared identity (fenced, Decision 5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError

from common.auth import issue_access_token
from common.exceptions import ConflictError, InvalidCredentialsError, NotAllowedError
from passports.models import Employee, EmployeeLink
from passports.permissions import RULE_GROUPS, RULE_PERMISSIONS
from passports.selectors import employee_not_found, user_not_found

KEEP_SESSION_LIFETIME = timedelta(hours=1024)
SHORT_SESSION_LIFETIME = timedelta(minutes=60)


def feecc_token_issue(*, username: str, password: str, keep_session: bool = True, request=None) -> str:
    """An access token for valid credentials: 1024 hours, or 60 minutes without ``keep_session``.

    ``request`` is handed to the authentication backends (and their failed-login signal).
    """
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise InvalidCredentialsError()
    return issue_access_token(user, KEEP_SESSION_LIFETIME if keep_session else SHORT_SESSION_LIFETIME)


@transaction.atomic
def employee_link_set(*, user, employee: Employee | None) -> None:
    """Set (or clear) the Feecc ``associated_employee`` of ``user``."""
    if employee is None:
        EmployeeLink.objects.filter(user=user).delete()
    else:
        EmployeeLink.objects.update_or_create(user=user, defaults={"employee": employee})


# --- employees ------------------------------------------------------------------------------


@transaction.atomic
def employee_create(*, rfid_card_id: str, name: str, position: str) -> Employee:
    taken = ConflictError(f"Employee with card id {rfid_card_id} already exists")
    if Employee.objects.filter(rfid_card_id=rfid_card_id).exists():
        raise taken
    try:
        # A racing create passes the check too: the unique index decides, same answer.
        with transaction.atomic():
            return Employee.objects.create(rfid_card_id=rfid_card_id, name=name, position=position)
    except IntegrityError:
        raise taken from None


@transaction.atomic
def employee_update(*, rfid_card_id: str, data: dict[str, Any]) -> Employee:
    """Partial update; ``passport_code`` is recomputed from the result."""
    employee = Employee.objects.select_for_update().filter(rfid_card_id=rfid_card_id).first()
    if employee is None:
        raise employee_not_found(rfid_card_id)
    new_card = data.get("rfid_card_id", rfid_card_id)
    if new_card != rfid_card_id and Employee.objects.filter(rfid_card_id=new_card).exists():
        raise ConflictError(f"Employee with card id {new_card} already exists")
    for key, value in data.items():
        setattr(employee, key, value)
    employee.save()
    return employee


@transaction.atomic
def employee_delete(*, rfid_card_id: str) -> None:
    deleted, _ = Employee.objects.filter(rfid_card_id=rfid_card_id).delete()
    if not deleted:
        raise employee_not_found(rfid_card_id)


# --- Feecc users (the shared identity, fenced per company: passports.md Decision 5) ---------


def _fenced_user(*, actor, username: str):
    """A non-staff, non-superuser user of the actor's company, locked; else the 404 body."""
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(username=username, company_id=actor.company_id, is_staff=False, is_superuser=False)
        .first()
    )
    if user is None:
        raise user_not_found()
    return user


def _roles(user) -> set[str]:
    """The VRt roles that are rights (``USER`` is every user's baseline)."""
    from accounts.models import UserRole

    return {f"role:{role}" for role in user.roles or () if role != UserRole.USER}


def _rights(user) -> set[str]:
    """Every permission ``user`` holds (directly or by a group, active or not) and its VRt roles."""
    rows = (
        Permission.objects.filter(Q(user=user) | Q(group__user=user))
        .values_list("content_type__app_label", "codename")
        .distinct()
    )
    return {f"{app}.{codename}" for app, codename in rows} | _roles(user)


def _check_may_manage(*, actor, user) -> None:
    """The actor only touches a user who holds no right the actor lacks (no escalation by proxy)."""
    if actor.is_superuser:
        return
    if _rights(user) - (actor.get_all_permissions() | _roles(actor)):
        raise NotAllowedError(f"User {user.username} has rights you don't have")


def _check_may_grant(*, actor, data: dict[str, Any]) -> None:
    """``rule_set`` only grants rules the actor holds (no escalation by granting)."""
    for rule in data.get("rule_set") or ():
        permission = RULE_PERMISSIONS.get(rule)
        if permission is not None and not actor.has_perm(permission):
            raise NotAllowedError(f"You can't grant the {rule} rule: you don't have it")


def _username_taken(*, actor, username: str) -> ConflictError:
    """Usernames are global; the message never tells whether another company has the name."""
    own = get_user_model().objects.filter(username=username, company_id=actor.company_id).exists()
    return ConflictError(f"User {username} already exists" if own else f"Username {username} is not available")


def _apply_rules_and_employee(user, data: dict[str, Any]) -> None:
    if "rule_set" in data:
        rules = set(data["rule_set"])
        for rule, group_name in RULE_GROUPS.items():
            group = Group.objects.get(name=group_name)
            if rule in rules:
                user.groups.add(group)
            else:
                user.groups.remove(group)
    if "associated_employee" in data:
        card = data["associated_employee"]
        employee_link_set(user=user, employee=None if card is None else Employee.objects.get(rfid_card_id=card))


@transaction.atomic
def feecc_user_create(*, actor, data: dict[str, Any]):
    """A new user of the actor's company with VRt role ``USER`` and the given Feecc rules."""
    from accounts.models import UserRole

    _check_may_grant(actor=actor, data=data)
    user_model = get_user_model()
    if user_model.objects.filter(username=data["username"]).exists():
        raise _username_taken(actor=actor, username=data["username"])
    user = user_model(username=data["username"], company_id=actor.company_id, roles=[UserRole.USER])
    user.set_password(data["password"])
    try:
        # A racing create passes the check too: the unique index decides, same answer.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise _username_taken(actor=actor, username=data["username"]) from None
    _apply_rules_and_employee(user, data)
    return user


@transaction.atomic
def feecc_user_update(*, actor, username: str, data: dict[str, Any]):
    user = _fenced_user(actor=actor, username=username)
    _check_may_manage(actor=actor, user=user)
    _check_may_grant(actor=actor, data=data)
    new_name = data.get("username", username)
    if new_name != username and get_user_model().objects.filter(username=new_name).exists():
        raise _username_taken(actor=actor, username=new_name)
    user.username = new_name
    if "password" in data:
        user.set_password(data["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise _username_taken(actor=actor, username=new_name) from None
    _apply_rules_and_employee(user, data)
    return user


@transaction.atomic
def feecc_user_delete(*, actor, username: str) -> None:
    user = _fenced_user(actor=actor, username=username)
    _check_may_manage(actor=actor, user=user)
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(f"User {username} owns data of other apps and can't be deleted") from exc
