"""The marketplace project: settings, URL wiring, the Celery app, accounts and the shared kernel."""

from marketplace.celery import app as celery_app

__all__ = ["celery_app"]
