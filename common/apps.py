from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommonConfig(AppConfig):
    name = "common"
    default = True

    def ready(self) -> None:
        from django.core import checks
        from django.core.signals import request_finished

        # The OpenAPI Bearer scheme; failed logins counted on user_login_failed (metrics).
        from common import metrics, schema  # noqa: F401
        from common.middleware import collect_after_body_bytes
        from common.ops import check_metrics_settings

        checks.register(check_metrics_settings)
        request_finished.connect(collect_after_body_bytes, dispatch_uid="common.collect_after_body_bytes")


class ProjectAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose default site throttles its login."""

    default = False  # common's own config stays CommonConfig
    default_site = "common.admin_site.ProjectAdminSite"
