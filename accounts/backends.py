"""The authentication backend: Django's ``ModelBackend``, its permissions read in one query.

Django reads a user's permissions in two queries (their own, then their groups'), on the first
``has_perm`` of a request; every formula request and the passports approvals ask. Here they are
one query over the same two selections, cached on the user object as Django caches them
(``_perm_cache``), with Django's rules unchanged: none for an inactive or anonymous user, or for
an object; every permission for an active superuser.
"""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from common.compiled import CompiledRows, Placeholder


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in _permissions_of(user_obj)}
        return user_obj._perm_cache


def _permissions_of(user) -> list[tuple[str, str]]:
    """(app label, codename) of every permission ``user`` holds directly or through a group."""
    if user.is_superuser:
        return list(Permission.objects.values_list(*_COLUMNS).order_by())
    return _permissions_query.fetch(user.pk)


_COLUMNS = ("content_type__app_label", "codename")


def _permissions(user_id):
    """The permissions whose id is among the user's own or its groups': the ids are read from the
    two link tables by ``IN`` subqueries, so PostgreSQL plans one join (the content type)
    instead of a ``UNION`` of a 3- and a 5-table join (planning 0.11 against 0.31 ms, on every
    request that asks a permission). A pair twice (its own and a group's) is one permission:
    the caller makes a set."""
    user_model = get_user_model()
    own = user_model.user_permissions.through.objects.filter(user_id=user_id).values("permission_id")
    groups = user_model.groups.through.objects.filter(user_id=user_id).values("group_id")
    through_groups = Group.permissions.through.objects.filter(group_id__in=groups).values("permission_id")
    return Permission.objects.filter(Q(id__in=own) | Q(id__in=through_groups)).values_list(*_COLUMNS).order_by()


# Compiled once per process: the ORM's union took 1.56 ms a call, the compiled SQL 0.76 ms
# (docs/decisions.md, common/compiled.py).
_permissions_query = CompiledRows(_permissions, [Placeholder(0, -7_351_902_467)])  # no user has a negative key
