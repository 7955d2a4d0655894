"""pytest settings: the same PostgreSQL (embedded unless DATABASE_URL), fast hashing, high throttles."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
ENV_NAME = "test"
JSON_VERIFY_PLAIN_LISTS = True  # every PlainList answered is checked (common/renderers.py)
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {key: "100000/minute" for key in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
