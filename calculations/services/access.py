"""Formula roles: Django groups granting ``view_calculation``/``change_calculation`` (calculations.md, Decision 3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from calculations.permissions import GROUP_OBSERVER, GROUP_TECHNOLOGIST, READ_PERMISSION, WRITE_PERMISSION

FULL_ACCESS_READ = "FULL_ACCESS_READ"
FULL_ACCESS_WRITE = "FULL_ACCESS_WRITE"


@dataclass(frozen=True)
class RoleSpec:
    name: str
    guid: uuid.UUID
    codenames: tuple[str, ...]


ROLES = (
    RoleSpec(
        GROUP_TECHNOLOGIST,
        uuid.UUID("00000000-0000-0000-0000-000000000999"),
        ("view_calculation", "change_calculation"),
    ),
    RoleSpec(GROUP_OBSERVER, uuid.UUID("00000000-0000-0000-0001-000000000998"), ("view_calculation",)),
)


@transaction.atomic
def formula_roles_ensure() -> list[Group]:
    """Create the two fixed groups with their permissions and GUID sidecars (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from calculations.models import AccessRole

    permissions = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label="calculations", codename__contains="calculation")
    }
    if "change_calculation" not in permissions:
        # post_migrate receivers have no order guarantee: make sure the permissions exist.
        create_permissions(apps.get_app_config("calculations"), verbosity=0)
        permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="calculations")}
    groups = []
    for spec in ROLES:
        group, _ = Group.objects.get_or_create(name=spec.name)
        group.permissions.add(*(permissions[codename] for codename in spec.codenames))
        AccessRole.objects.update_or_create(group=group, defaults={"guid": spec.guid})
        groups.append(group)
    return groups


def formula_roles_ensure_handler(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from calculations.models import AccessRole

    # After ``migrate calculations zero`` the tables are gone: nothing to ensure.
    if AccessRole._meta.db_table in connections[using].introspection.table_names():
        formula_roles_ensure()


def user_actions(user) -> list[str]:
    """The formula actions a user has, in the seed's order (write implies read)."""
    if not user or not user.is_authenticated:
        return []
    if user.has_perm(WRITE_PERMISSION):
        return [FULL_ACCESS_WRITE, FULL_ACCESS_READ]
    if user.has_perm(READ_PERMISSION):
        return [FULL_ACCESS_READ]
    return []


def user_access_role(user) -> dict:
    """``{guid, name, actions}`` of the user's strongest formula group (calculations.md, Decision 3)."""
    from calculations.models import AccessRole

    groups = (
        Group.objects.filter(
            user=user,
            permissions__content_type__app_label="calculations",
            permissions__codename__in=("view_calculation", "change_calculation"),
        )
        .distinct()
        .prefetch_related("permissions")
    )
    best = None
    for group in groups:
        codenames = {p.codename for p in group.permissions.all()}
        actions = [FULL_ACCESS_WRITE, FULL_ACCESS_READ] if "change_calculation" in codenames else [FULL_ACCESS_READ]
        key = (-len(actions), group.name)
        if best is None or key < best[0]:
            best = (key, group, actions)
    if best is not None:
        _, group, actions = best
        role = AccessRole.objects.filter(group=group).first()
        return {"guid": str(role.guid) if role else "", "name": group.name, "actions": actions}
    if user.is_superuser:
        return {"guid": "", "name": "Администратор", "actions": [FULL_ACCESS_WRITE, FULL_ACCESS_READ]}
    # Permissions granted to the user directly (not through a group) still count: the frontend
    # must not hide pages the API would serve.
    return {"guid": "", "name": "", "actions": user_actions(user)}
