from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        from django.core import checks

        # The OpenAPI Bearer scheme; issue 12: failed logins counted on user_login_failed.
        from common import metrics, schema  # noqa: F401
        from common.ops import check_metrics_settings

        checks.register(check_metrics_settings)
