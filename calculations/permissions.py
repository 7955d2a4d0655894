"""Who may use the formula API: its two groups, their Django permissions, the DRF checks.

The group names are this app's (calculations.md, Decision 3); other apps that put users in
them (the demo seed, tests) import them from here.
"""

from __future__ import annotations

from rest_framework import permissions

GROUP_TECHNOLOGIST = "Технолог"  # reads and writes calculations
GROUP_OBSERVER = "Наблюдатель"  # reads only

READ_PERMISSION = "calculations.view_calculation"
WRITE_PERMISSION = "calculations.change_calculation"


def _has(user, *perms: str) -> bool:
    # One query for the user's permissions, cached on it (accounts.backends.ModelBackend).
    return bool(user and user.is_authenticated and any(user.has_perm(perm) for perm in perms))


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
