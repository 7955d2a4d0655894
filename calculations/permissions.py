"""Who may use the formula API: its two groups, their Django permissions, the DRF checks.

The group names are this app's (calculations.md, Decision 3); other apps that put users in
them (the demo seed, tests) import them from here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Permission
from rest_framework import permissions

GROUP_TECHNOLOGIST = "Технолог"  # reads and writes calculations
GROUP_OBSERVER = "Наблюдатель"  # reads only

READ_PERMISSION = "calculations.view_calculation"
WRITE_PERMISSION = "calculations.change_calculation"

_MODEL_BACKEND_ONLY = ["django.contrib.auth.backends.ModelBackend"]


def permissions_load(user) -> None:
    """Fill ``ModelBackend``'s permission cache of ``user`` with one query instead of its two.

    ``ModelBackend`` reads the user's own permissions and its groups' permissions separately;
    the same set is read here as one ``UNION``, so ``user.has_perm`` then answers exactly as it
    would have, without a query. Nothing is done unless ``ModelBackend`` is the only backend and
    would read the permissions at all (an active user who is not a superuser, cache still empty).
    """
    if (
        list(settings.AUTHENTICATION_BACKENDS) != _MODEL_BACKEND_ONLY
        or not user.is_active
        or user.is_superuser
        or hasattr(user, "_perm_cache")
    ):
        return
    names = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user).values_list(*names).order_by()
    grouped = Permission.objects.filter(group__user=user).values_list(*names).order_by()
    user._perm_cache = {f"{app}.{codename}" for app, codename in own.union(grouped)}


def _has(user, *perms: str) -> bool:
    if not (user and user.is_authenticated):
        return False
    permissions_load(user)
    return any(user.has_perm(perm) for perm in perms)


class HasFormulaRead(permissions.BasePermission):
    """``FULL_ACCESS_READ`` ⇔ ``calculations.view_calculation`` (write implies read)."""

    def has_permission(self, request, view) -> bool:
        return _has(request.user, READ_PERMISSION, WRITE_PERMISSION)


class HasFormulaWrite(permissions.BasePermission):
    """``FULL_ACCESS_WRITE`` ⇔ ``calculations.change_calculation``."""

    def has_permission(self, request, view) -> bool:
        return _has(request.user, WRITE_PERMISSION)


class HasFormulaReadToGetWriteToChange(permissions.BasePermission):
    """One path that reads on ``GET`` and writes on any other method (``/calculations/write``)."""

    def has_permission(self, request, view) -> bool:
        check = HasFormulaRead if request.method == "GET" else HasFormulaWrite
        return check().has_permission(request, view)
