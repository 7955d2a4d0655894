from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        from common import schema  # noqa: F401  (registers the OpenAPI Bearer scheme)
