from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "passports"
    default_auto_field = "django.db.models.BigAutoField"
