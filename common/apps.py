from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        # The OpenAPI Bearer scheme; issue 12: failed logins counted on user_login_failed.
        from common import metrics, schema  # noqa: F401
