from django.apps import AppConfig


class TerminalsConfig(AppConfig):
    name = "terminals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from terminals import schema  # noqa: F401  (registers the OpenAPI auth extension)
