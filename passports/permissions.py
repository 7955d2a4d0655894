"""Feecc rules as Django permissions (passports.md Decision 5): read = any user, write/approve = perms.

The groups, their permissions and the DRF permission class that checks them are defined here
once; the models (``Meta.permissions``), the group creation (``apps``), the users API's rule
sets (``services.people``) and the demo read them from this module.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

# Each rule is a group of that name holding the permission of the same codename.
GROUP_WRITE = "feecc_write"
GROUP_APPROVE = "feecc_approve"
# The users API hands out rights, so managing users is a right of its own, not feecc_write.
GROUP_MANAGE_USERS = "feecc_manage_users"
GROUPS = (GROUP_WRITE, GROUP_APPROVE, GROUP_MANAGE_USERS)

#: ``Unit.Meta.permissions``: codename → description.
PERMISSION_DESCRIPTIONS = {
    GROUP_WRITE: "Feecc Analytics: create and change passports, employees, schemas, stages",
    GROUP_APPROVE: "Feecc Analytics: QC actions (serial, revision, protocols, approval)",
    GROUP_MANAGE_USERS: "Feecc Analytics: create, change and delete users of the own company",
}

WRITE = f"passports.{GROUP_WRITE}"
APPROVE = f"passports.{GROUP_APPROVE}"
MANAGE_USERS = f"passports.{GROUP_MANAGE_USERS}"

#: The ``rule_set`` entries of the users API that are rights: their group and permission.
RULE_GROUPS = {"write": GROUP_WRITE, "approve": GROUP_APPROVE}
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
