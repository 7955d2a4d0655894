from django.apps import AppConfig
from django.db.models.signals import post_save


def _company_created(sender, instance, created, raw=False, **kwargs):
    # Every company can read its quotas from the start (accounts.md, Decision 10).
    if created and not raw:
        from accounts.services import company_quotas_ensure

        company_quotas_ensure(company=instance)


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401 - registers the uniqueItems field extension
        from accounts.models import Company

        post_save.connect(_company_created, sender=Company, dispatch_uid="accounts_company_quotas")
