"""Settings shared by every environment, read from environment variables (django-environ).

Every marketplace rule that has a number (time limits, thresholds) is named once here or in the
settings-backed config of its app, so code and tests read the same value.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "marketplace.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "treebeard",
    "shops",
    "escrow",
    "ratings",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.api.middleware.ApiRequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "escrow.web.context_processors.seller_menu",
            ],
            "builtins": ["marketplace.template_filters"],
        },
    },
]

# --- Database: one PostgreSQL shared by all apps. Services own their transactions. ---
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://127.0.0.1:5432/marketplace")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, result backend and the cache. ---
# REDIS_URL is a redis-py URL: redis://host:port/db or unix:///path/to/redis.sock?db=0.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")


def celery_url(redis_url: str) -> str:
    """Celery spells a Redis unix socket ``redis+socket://``; redis-py spells it ``unix://``."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    database = dict(parse_qsl(parts.query)).get("db", "0")
    return f"redis+socket://{parts.path}?virtual_host={database}"


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "marketplace",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# --- Accounts ---
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Marketplace <noreply@marketplace.local>")

# --- Time, language, money ---
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
# Calendar days and months of the marketplace; timestamps are stored in UTC.
TIME_ZONE = env("MARKETPLACE_TIME_ZONE", default="Asia/Shanghai")
MARKETPLACE_CURRENCY = env("MARKETPLACE_CURRENCY", default="CNY")
MARKETPLACE_CURRENCY_DECIMAL_PLACES = env.int("MARKETPLACE_CURRENCY_DECIMAL_PLACES", default=2)

# --- Static and uploaded files ---
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
# Identity documents never sit under MEDIA_URL: only staff can fetch them, through admin.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / ".data" / "private")
# Serve MEDIA_URL from Django itself (development and tests; production uses a web server or S3).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "marketplace.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Largest request body the API reads (JSON); larger bodies get 413 before any parsing.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

# --- REST API ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("API_THROTTLE_AUTH", default="20/minute"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
}
API_MAX_PAGE_SIZE = 100

SPECTACULAR_SETTINGS = {
    "TITLE": "Marketplace API",
    "DESCRIPTION": (
        "Buyers browse shops and listings, pay into escrow and confirm receipt; sellers manage "
        "their shop. Every 4xx error has the shape {code, message, extra}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a ``status``; each set of choices gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ShopStatusEnum": "shops.models.Shop.Status",
        "ListingStatusEnum": "shops.models.Listing.Status",
        "ShopVerificationStatusEnum": "shops.models.ShopVerification.Status",
        "OrderStatusEnum": "escrow.models.Order.Status",
        "PaymentStatusEnum": "escrow.models.Payment.Status",
        "RefundStatusEnum": "escrow.models.Refund.Status",
        "PayoutStatusEnum": "escrow.models.Payout.Status",
        "BankCheckStatusEnum": "escrow.models.BankAccountCheck.Status",
        "RatingStatusEnum": "ratings.models.Rating.Status",
        "RatingRoleEnum": "ratings.models.Rating.Role",
        "RatingValueEnum": "ratings.api.serializers.VALUE_CHOICES",
    },
}

# --- Escrow deadlines ---
# DOMAIN §4's time limits, in escrow.conf. Each can be shortened (in seconds) to watch settlement
# act on a demo, e.g. ESCROW_AUTO_CONFIRM_SECONDS=120 make run.
for _name in (
    "PAYMENT_TIMEOUT",
    "SHIP_WITHIN",
    "REFUND_ANSWER_WITHIN",
    "RETURN_SHIP_WITHIN",
    "RETURN_CONFIRM_WITHIN",
    "SETTLEMENT_LEASE",
):
    if f"ESCROW_{_name}_SECONDS" in os.environ:
        globals()[f"ESCROW_{_name}"] = timedelta(seconds=env.int(f"ESCROW_{_name}_SECONDS"))
if "ESCROW_AUTO_CONFIRM_SECONDS" in os.environ:  # every shipping method alike
    ESCROW_AUTO_CONFIRM_AFTER = dict.fromkeys(
        ("express", "post", "virtual"), timedelta(seconds=env.int("ESCROW_AUTO_CONFIRM_SECONDS"))
    )
# How often Celery beat starts a settlement sweep (escrow.services.settlement).
ESCROW_SETTLEMENT_SWEEP_SECONDS = env.int("ESCROW_SETTLEMENT_SWEEP_SECONDS", default=30)
# How often beat drains the search index's dirty marks (a changed listing is searchable after it).
SEARCH_DRAIN_SECONDS = env.int("SEARCH_DRAIN_SECONDS", default=30)

# --- Celery ---
CELERY_BROKER_URL = celery_url(REDIS_URL)
# No result backend: tasks record their outcome in the database, not in Celery results.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# acks_late is set per task, only on tasks that are safe to run twice.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
