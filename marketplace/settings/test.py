"""The test suite: real PostgreSQL and Redis, fast password hashing, e-mail kept in memory."""

from marketplace.settings.base import *  # noqa: F403
from marketplace.settings.base import REST_FRAMEWORK

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "1000/minute"}}
# Static files straight from the apps' folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"  # noqa: F405
STORAGES["private"] = {
    "BACKEND": "marketplace.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": str(BASE_DIR / ".data" / "test-private"), "base_url": None},  # noqa: F405
}
