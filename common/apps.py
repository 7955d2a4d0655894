from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from common import schema  # noqa: F401  (registers the OpenAPI Bearer scheme)
        from common.middleware import collect_after_large_body

        request_finished.connect(collect_after_large_body, dispatch_uid="common.collect_after_large_body")
