from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_feecc_groups(sender, using="default", **kwargs) -> None:
    """Create the Feecc rule groups WITH their permissions on every migrated database.

    Each group (``passports.permissions.GROUPS``) grants the permission of its own name
    (DECISIONS §2, passports.md Decision 5).
    """
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from passports.models import Unit
    from passports.permissions import GROUPS, PERMISSION_DESCRIPTIONS

    content_type = ContentType.objects.db_manager(using).get_for_model(Unit)
    for name in GROUPS:
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permission, _ = Permission.objects.using(using).get_or_create(
            content_type=content_type, codename=name, defaults={"name": PERMISSION_DESCRIPTIONS[name]}
        )
        group.permissions.add(permission)


class PassportsConfig(AppConfig):
    name = "passports"
    verbose_name = "Feecc Analytics passports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(ensure_feecc_groups, sender=self, dispatch_uid="passports.ensure_feecc_groups")
