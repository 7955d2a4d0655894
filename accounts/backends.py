"""The authentication backend: Django's ``ModelBackend``, its permissions read in one query.

Django reads a user's permissions in two queries (their own, then their groups'), on the first
``has_perm`` of a request; every formula request and the passports approvals ask. Here they are
one ``UNION`` of the same two selections, cached on the user object as Django caches them
(``_perm_cache``), with Django's rules unchanged: none for an inactive or anonymous user, or for
an object; every permission for an active superuser.
"""

from __future__ import annotations

from django.contrib.auth import backends
from django.contrib.auth.models import Permission


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in _permissions_of(user_obj)}
        return user_obj._perm_cache


def _permissions_of(user) -> list[tuple[str, str]]:
    """(app label, codename) of every permission ``user`` holds directly or through a group."""
    columns = ("content_type__app_label", "codename")
    if user.is_superuser:
        return list(Permission.objects.values_list(*columns).order_by())
    own = Permission.objects.filter(user=user).values_list(*columns).order_by()
    through_groups = Permission.objects.filter(group__user=user).values_list(*columns).order_by()
    return list(own.union(through_groups))
