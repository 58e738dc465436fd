"""Housekeeping for accounts."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(
    name="accounts.sessions_clear_expired", acks_late=True, time_limit=120, soft_time_limit=100
)
def sessions_clear_expired() -> int:
    """Delete expired browser sessions in batches; running it twice does no harm."""
    deleted = 0
    while True:
        batch = list(
            Session.objects.filter(expire_date__lt=timezone.now()).values_list("pk", flat=True)[
                :1000
            ]
        )
        if not batch:
            return deleted
        deleted += Session.objects.filter(pk__in=batch).delete()[0]
