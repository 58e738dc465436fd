"""Celery tasks of ratings: thin wrappers around the services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    name="ratings.windows_close",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=True,
    time_limit=120,
    soft_time_limit=100,
)
def windows_close() -> int:
    """Publish the ratings whose window ended and record default good ratings (a sweep of what
    the database says is due: safe to run twice or side by side)."""
    from ratings.services.ratings import ratings_sweep

    closed = total = ratings_sweep()
    while closed:
        closed = ratings_sweep()
        total += closed
    return total


@shared_task(name="ratings.credit_rebuild", acks_late=True, time_limit=900, soft_time_limit=840)
def credit_rebuild() -> int:
    """The nightly rebuild of every rating's counting and every figure; moves the 180-day
    window."""
    from ratings.services.rebuild import credit_rebuild as rebuild

    return rebuild().ratings_changed
