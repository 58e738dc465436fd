"""The Celery app shared by every worker and by beat.

Tasks are discovered in each installed app's ``tasks.py``. Periodic jobs are declared here in
code (``beat_schedule``); django-celery-beat copies them into the database, where staff see them in
admin.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "accounts-clear-expired-sessions": {
        "task": "accounts.sessions_clear_expired",
        "schedule": crontab(hour=4, minute=17),
    },
    "ratings-close-windows": {
        "task": "ratings.windows_close",
        "schedule": crontab(),  # every minute
    },
    "ratings-rebuild-credit": {
        "task": "ratings.credit_rebuild",
        "schedule": crontab(hour=3, minute=40),
    },
    "search-refresh-signals": {
        "task": "search.signals_refresh",
        "schedule": crontab(minute=47),  # hourly
    },
    "escrow-expire-idempotency-keys": {
        "task": "escrow.idempotency_records_expire",
        "schedule": crontab(minute=23),
    },
}


@app.on_after_configure.connect
def add_settlement_sweep(sender: Celery, **kwargs: object) -> None:
    """The settlement sweep's interval is a setting, read once the settings are loaded (not at
    import, where settings modules that import the marketplace package would be circular)."""
    from django.conf import settings

    sender.conf.beat_schedule["escrow-settlement-sweep"] = {
        "task": "escrow.settlement_sweep",
        "schedule": float(settings.ESCROW_SETTLEMENT_SWEEP_SECONDS),
    }
    sender.conf.beat_schedule["search-drain-dirty"] = {
        "task": "search.index_drain",
        "schedule": float(settings.SEARCH_DRAIN_SECONDS),
    }
