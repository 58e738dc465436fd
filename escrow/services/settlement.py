"""Settlement: acting on the deadlines of DOMAIN §4 when nobody else does.

The database says what is due; nothing depends on a task being delivered at a certain time (a
broker redelivers an unacknowledged task only after its visibility timeout). Celery beat starts
a sweep every ``ESCROW_SETTLEMENT_SWEEP_SECONDS``, which starts ``SETTLEMENT_PARALLEL_DRAINS``
drain tasks. A drain repeatedly takes a batch of due rows that no other worker holds
(``FOR UPDATE SKIP LOCKED``), marks them as its own for ``SETTLEMENT_LEASE``, commits, and puts
each through the same service a buyer, seller or staff member would call, one transaction per
row. A drain that dies leaves its rows leased until the lease passes; the next sweep takes them.
Services re-check under the row lock that the row is still due, so running a row twice, or a
person acting at the same moment, changes nothing twice.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from escrow.conf import escrow_setting
from escrow.models import Order, Refund
from escrow.services import refunds
from escrow.services.orders import order_cancel, order_confirm_receipt
from marketplace.exceptions import ApplicationError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sweep:
    """One kind of deadline: which rows are due at ``now`` and the service that settles one."""

    name: str
    model: type[Model]
    due: Callable[[datetime], QuerySet[Any]]
    deadline_field: str
    act: Callable[[Any], object]


SWEEPS = (
    Sweep(
        "unpaid_orders_closed",
        Order,
        lambda now: Order.objects.filter(
            status=Order.Status.AWAITING_PAYMENT, payment_deadline__lte=now
        ),
        "payment_deadline",
        lambda order: order_cancel(
            order=order, actor=None, reason="payment_timeout", timed_out=True
        ),
    ),
    Sweep(
        "shipped_orders_confirmed",
        Order,
        lambda now: Order.objects.filter(status=Order.Status.SHIPPED, confirm_deadline__lte=now),
        "confirm_deadline",
        lambda order: order_confirm_receipt(order=order, actor=None, timed_out=True),
    ),
    Sweep(
        "refunds_agreed_by_silence",
        Refund,
        lambda now: Refund.objects.filter(status=Refund.Status.REQUESTED, deadline__lte=now),
        "deadline",
        lambda refund: refunds.refund_agree(refund=refund, actor=None, timed_out=True),
    ),
    Sweep(
        "returns_not_shipped",
        Refund,
        lambda now: Refund.objects.filter(status=Refund.Status.AWAITING_RETURN, deadline__lte=now),
        "deadline",
        lambda refund: refunds.refund_expire_return(refund=refund),
    ),
    Sweep(
        "returns_refunded_by_silence",
        Refund,
        lambda now: Refund.objects.filter(status=Refund.Status.RETURN_SHIPPED, deadline__lte=now),
        "deadline",
        lambda refund: refunds.refund_confirm_return(refund=refund, actor=None, timed_out=True),
    ),
)


def settlement_claim(sweep: Sweep, *, limit: int) -> list[Any]:
    """Take up to ``limit`` due rows that no other worker holds; they are this worker's until
    the lease passes. Oldest deadline first."""
    now = timezone.now()
    free = Q(settlement_lease_until__isnull=True) | Q(settlement_lease_until__lt=now)
    with transaction.atomic():
        ids = list(
            sweep.due(now)
            .filter(free)
            .order_by(sweep.deadline_field, "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        sweep.model._default_manager.filter(pk__in=ids).update(
            settlement_lease_until=now + escrow_setting("SETTLEMENT_LEASE")
        )
    rows = sweep.model._default_manager.in_bulk(ids)
    return [rows[pk] for pk in ids]


def settlement_drain(*, seconds: float | None = None) -> dict[str, int]:
    """Settle due rows of every kind until none is left or ``seconds`` have passed. Returns how
    many rows of each kind were put through their service."""
    budget = escrow_setting("SETTLEMENT_DRAIN_SECONDS") if seconds is None else seconds
    stop_at = time.monotonic() + budget
    batch = escrow_setting("SETTLEMENT_BATCH")
    done: Counter[str] = Counter()
    for sweep in SWEEPS:
        while time.monotonic() < stop_at:
            rows = settlement_claim(sweep, limit=batch)
            if not rows:
                break
            for row in rows:
                try:
                    sweep.act(row)
                except (ApplicationError, ValidationError) as error:
                    # The service refused (the row changed meanwhile in a way it cannot settle):
                    # its lease keeps it out of this drain; the next sweep looks at it again.
                    logger.warning("%s: %s refused: %s", sweep.name, row, error)
                done[sweep.name] += 1
    return dict(done)
