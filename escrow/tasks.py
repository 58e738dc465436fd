"""Celery tasks of escrow: thin wrappers that reload rows and call one service."""

import logging
import time
import urllib.error
import urllib.request

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


@shared_task(
    name="escrow.sandbox_deliver_webhook",
    bind=True,
    acks_late=True,
    max_retries=8,
    time_limit=60,
    soft_time_limit=45,
)
def sandbox_deliver_webhook(self, body: str) -> int:  # type: ignore[no-untyped-def]
    """The sandbox provider's side: POST a signed notification to the marketplace, retrying with
    backoff until it answers 2xx (a 4xx other than 408/429 is final, as at a real PSP)."""
    from escrow.providers.sandbox import SIGNATURE_HEADER, sandbox_webhook_url, sign

    data = body.encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is our own setting)
        sandbox_webhook_url(),
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(data, int(time.time())),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        if error.code < 500 and error.code not in {408, 429}:
            logger.warning("sandbox webhook refused with %s: %s", error.code, error.read()[:300])
            return int(error.code)
        raise self.retry(exc=error, countdown=min(2**self.request.retries, 300)) from error
    except (urllib.error.URLError, TimeoutError) as error:
        raise self.retry(exc=error, countdown=min(2**self.request.retries, 300)) from error


@shared_task(
    name="escrow.idempotency_records_expire", acks_late=True, time_limit=120, soft_time_limit=100
)
def idempotency_records_expire() -> int:
    from escrow.services.idempotency import idempotency_records_expire as expire

    return expire()


@shared_task(name="escrow.settlement_sweep", acks_late=True, time_limit=30, soft_time_limit=20)
def settlement_sweep() -> int:
    """Beat's tick: start the drains that settle whatever is due (see
    ``escrow.services.settlement``)."""
    from escrow.conf import escrow_setting

    drains = escrow_setting("SETTLEMENT_PARALLEL_DRAINS")
    for _ in range(drains):
        settlement_drain.delay()
    return int(drains)


@shared_task(
    name="escrow.settlement_drain",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=True,
    time_limit=120,
    soft_time_limit=100,
)
def settlement_drain() -> dict[str, int]:
    """Settle due orders and refund requests for up to ``ESCROW_SETTLEMENT_DRAIN_SECONDS``.
    Safe to run twice and side by side: rows are leased, services re-check under lock. A
    lost connection is retried; anything else waits for the next sweep."""
    from escrow.services.settlement import settlement_drain as drain

    return drain()
