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
    "common.apps.ProjectAdminConfig",  # django.contrib.admin with a throttled login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
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
    "common.middleware.RequestIdMiddleware",  # first, so every answer and log line has it
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
    import warnings

    with warnings.catch_warnings():  # django-environ warns on an unknown scheme; we say it below
        warnings.simplefilter("ignore")
        DATABASES = {"default": env.db_url("DATABASE_URL")}
    if not DATABASES["default"].get("ENGINE", "").startswith("django.db.backends.postgresql"):
        from django.core.exceptions import ImproperlyConfigured

        # One line naming the variable (manage.py prints it without a traceback).
        _scheme, _sep, _ = env.str("DATABASE_URL").partition("://")
        raise ImproperlyConfigured(
            "DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:5432/dbname "
            f"(or unset, for the embedded PostgreSQL), not {_scheme + '://...' if _sep else 'one without a scheme'}"
        )
    # A Unix-socket directory may be given URL-encoded as the host (postgres://u@%2Frun%2Fpg/db).
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
else:
    from common.embedded_pg import ensure_server

    DATABASES = {"default": ensure_server(DATA_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's PostgreSQL backend whose health check skips ``SELECT 1`` on a quiet idle connection.
POSTGRES_ENGINE = "common.postgres"
DATABASES["default"]["ENGINE"] = POSTGRES_ENGINE

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
# Django's ModelBackend with a user's permissions read in one query instead of two.
AUTHENTICATION_BACKENDS = ["accounts.backends.ModelBackend"]
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
# 1 MiB for every body (checked on Content-Length before anything is parsed; 413 in
# the API's shape), except the Datawiz bulk upserts (a view's ``body_limit_settings``).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
# POST /api/v1/terminals/ and /api/v1/shops/: the official client's 2000-item chunks take up to
# ~2.5 MB (all fields at their maximum length, non-ASCII escaped by json.dumps).
DATAWIZ_UPLOAD_MAX_MEMORY_SIZE = env.int("DATAWIZ_UPLOAD_MAX_MEMORY_SIZE", default=4 * 1024 * 1024)
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
# passports: a dotted path to ``callable(protocol)`` run when a QC protocol is approved (the
# original published it to IPFS/a chain); empty = no publishing. A failure refuses the approval (502).
FEECC_PROTOCOL_PUBLISHER = env.str("FEECC_PROTOCOL_PUBLISHER", default="")

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
    # DRF's defaults, with a JSON parser that answers 400 to a too deeply nested body.
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's JSONRenderer bytes, written by orjson where it writes the same (common/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "common.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {
        # Login endpoints: per client IP and per username (DECISIONS §3).
        "login_ip": env.str("LOGIN_THROTTLE_RATE", default="10/minute"),
        "login_username": env.str("LOGIN_THROTTLE_RATE", default="10/minute"),
        # Access-code attempts on the routes API (routes.md, 10).
        "access_code": env.str("ACCESS_CODE_THROTTLE_RATE", default="10/minute"),
        # The per-client limit of a client in ROUTES_TRUSTED_NETWORKS (the bot, one
        # address for all its chats); the per-chat limit above still holds for each chat.
        "access_code_trusted": env.str("ACCESS_CODE_TRUSTED_THROTTLE_RATE", default="600/minute"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

# The renderer takes a presenter's PlainList as float-free without walking it; True (the tests)
# walks it anyway and refuses one that holds another leaf than str/int/bool/None.
JSON_VERIFY_PLAIN_LISTS = env.bool("JSON_VERIFY_PLAIN_LISTS", default=False)

# What a user puts in a token and when a token still stands for it (common.auth.TokenUserPolicy).
TOKEN_USER_POLICY = "accounts.tokens"

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    # Every token issued without an explicit lifetime, and VRt's default ``ttl_seconds``.
    "ACCESS_TOKEN_LIFETIME": timedelta(days=1),
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
        # passports: a unit's status, in the create and the PATCH body.
        "FeeccUnitStatusEnum": "passports.models.UnitStatus",
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

# UTC ISO-8601 time, level, logger and request id on every line; LOG_FORMAT=json for
# log shippers (common/logs.py; gunicorn's own lines use the same formatter).
from common.logs import logging_config  # noqa: E402

LOGGING = logging_config(env.str("LOG_LEVEL", default="INFO"))

# --- Operations: /healthz, /readyz, /metrics --
# common.ops answers the three paths first (no host check, no SSL redirect); the metrics
# middleware then counts and times every other request.
# The request id stays first, so probes and metrics answers carry it too.
_after_request_id = MIDDLEWARE.index("common.middleware.RequestIdMiddleware") + 1
MIDDLEWARE[_after_request_id:_after_request_id] = [
    "common.ops.OpsEndpointsMiddleware",
    "common.metrics.RequestMetricsMiddleware",
]
# /metrics is off (404) unless one of these is set; when both are, both must pass.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])  # CIDRs of the socket peer
METRICS_BEARER_TOKEN = env.str("METRICS_BEARER_TOKEN", default="")  # Authorization: Bearer <token>

# --- Scale-out: read replicas and a transaction-mode pooler (docs/deploy.md) ------
# DATABASE_REPLICA_URLS: comma-separated streaming standbys; safe requests read them
# (common.db_router). Unset: no router answers and every query uses "default", as before.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=1.0)  # lag cached per process
REPLICA_RETRY_SECONDS = env.float("REPLICA_RETRY_SECONDS", default=5.0)  # a failed replica is skipped
# Read on the primary whatever the request: identity (login, token checks, permissions), the
# sessions and the cache table, admin history.
# "common": the throttle counters and the revoked token families are read with the token.
REPLICA_PRIMARY_ONLY = ["auth", "sessions", "admin", "contenttypes", "django_cache", "accounts.user", "common"]
DATABASE_REPLICAS = []
for _index, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = env.db_url_config(_url)
    _replica["HOST"] = unquote(_replica.get("HOST") or "")
    _replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["ENGINE"] = POSTGRES_ENGINE
    # A standby that does not answer must cost a request little before it is skipped.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("REPLICA_CONNECT_TIMEOUT", default=2))
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_index}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_index}")
DATABASE_ROUTERS = ["common.db_router.ReplicaRouter"]
# After the request id, probes and metrics (a /readyz probe reads the primary).
MIDDLEWARE.insert(
    MIDDLEWARE.index("common.metrics.RequestMetricsMiddleware") + 1, "common.db_router.ReplicaReadsMiddleware"
)

# DATABASE_TRANSACTION_POOLING: the URLs point at PgBouncer in transaction mode, where
# consecutive transactions may run on different server connections, so nothing may keep
# session state: no server-side (WITH HOLD) cursors, no server-side prepared statements.
DATABASE_TRANSACTION_POOLING = env.bool("DATABASE_TRANSACTION_POOLING", default=False)
if DATABASE_TRANSACTION_POOLING:
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = None
