from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "routes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from routes import schema  # noqa: F401  (registers the OpenAPI Bearer scheme)
