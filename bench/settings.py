"""Settings for the benchmark server: production settings plus the reference endpoint."""

from marketplace.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
