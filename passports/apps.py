from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Group name → permission codenames of this app it grants (DECISIONS §2, passports.md Decision 5).
FEECC_GROUPS = {
    "feecc_write": ("feecc_write",),
    "feecc_approve": ("feecc_approve",),
    # Issue 11: the users API needs a right of its own, not just feecc_write.
    "feecc_manage_users": ("feecc_manage_users",),
}


def ensure_feecc_groups(sender, using="default", **kwargs) -> None:
    """Create the Feecc rule groups WITH their permissions on every migrated database."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from passports.models import Unit

    content_type = ContentType.objects.db_manager(using).get_for_model(Unit)
    for group_name, codenames in FEECC_GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.using(using).get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": dict(Unit._meta.permissions)[codename]},
            )
            group.permissions.add(permission)


class PassportsConfig(AppConfig):
    name = "passports"
    verbose_name = "Feecc Analytics passports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(ensure_feecc_groups, sender=self, dispatch_uid="passports.ensure_feecc_groups")
