"""Feecc rules as Django permissions (passports.md Decision 5): read = any user, write/approve = perms."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

WRITE = "passports.feecc_write"
APPROVE = "passports.feecc_approve"
MANAGE_USERS = "passports.feecc_manage_users"  # issue 11: /api/v1/users writes
RULE_PERMISSIONS = {"write": WRITE, "approve": APPROVE}


def rule_set_of(user) -> list[str]:
    """The original's ``rule_set`` in canonical order ``read, write, approve`` (the client reads [2])."""
    rules = ["read"]
    if user.has_perm(WRITE):
        rules.append("write")
    if user.has_perm(APPROVE):
        rules.append("approve")
    return rules


class FeeccRule(BasePermission):
    """Checks ``view.required_rules[method]`` (a permission name) when the method has one."""

    def has_permission(self, request, view) -> bool:
        permission = getattr(view, "required_rules", {}).get(request.method)
        return permission is None or request.user.has_perm(permission)
