from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CalculationsConfig(AppConfig):
    name = "calculations"
    verbose_name = "formula calculations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from calculations import schema  # noqa: F401  (registers the write-input schema extension)
        from calculations.services.access import formula_roles_ensure_handler

        post_migrate.connect(formula_roles_ensure_handler, sender=self, dispatch_uid="calculations_roles")
