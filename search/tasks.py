"""Celery tasks of search: thin wrappers around the indexing services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    name="search.index_drain",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=True,
    time_limit=300,
    soft_time_limit=270,
)
def index_drain() -> int:
    """Reindex the listings and shops the triggers marked dirty (beat runs it every
    ``SEARCH_DRAIN_SECONDS``; batches are transactions, so a killed run loses nothing)."""
    from search.services.indexing import dirty_drain, shop_penalties_expire

    shop_penalties_expire()
    return dirty_drain()


@shared_task(
    name="search.signals_refresh",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=2,
    retry_backoff=True,
    time_limit=1800,
    soft_time_limit=1740,
)
def signals_refresh() -> int:
    """The periodic full refresh: every document's signals (30-day sales and freshness move
    with time alone), the near-duplicate groups and the title vocabulary."""
    from search.services.indexing import signals_refresh as refresh
    from search.services.indexing import vocabulary_refresh

    updated = refresh()
    vocabulary_refresh()
    return updated
