"""Paying for orders through the payment provider, and the provider's webhooks.

Money moves only when a verified webhook says it arrived, once per event id and once per
payment, whatever order and however often webhooks arrive. Money that arrives for an order that
can no longer take it (closed a moment earlier, or already paid) goes straight back to the buyer
and the refund is written on the order's timeline.
"""

import json
from collections.abc import Iterable
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from escrow.conf import escrow_setting
from escrow.exceptions import NothingToPay, UnknownPayment, WebhookRejected
from escrow.models import Checkout, Order, OrderEvent, Payment, Payout
from escrow.providers import ProviderEvent, get_provider
from escrow.services import ledger
from escrow.services.orders import (
    keep_loaded,
    order_event_record,
    order_lock,
    order_qs_select_for_update,
    orders_lock_for_payment,
)
from escrow.services.payouts import payout_event_apply, payout_get_for_update
from marketplace.accounts.models import User
from marketplace.exceptions import NotFoundError


@transaction.atomic(durable=True)
def payment_create(
    *, buyer: User, checkout: Checkout | None = None, order: Order | None = None
) -> Payment:
    """Open one payment for the unpaid orders of a checkout (or for one order). The payment
    comes back with the orders it pays loaded."""
    orders: Iterable[Order]
    if order is not None:
        checkout_id = order.checkout_id
        orders = [order_lock(order.pk)]
    else:
        assert checkout is not None
        checkout_id = checkout.pk
        orders = order_qs_select_for_update().filter(checkout=checkout)
    unpaid = [o for o in orders if o.status == Order.Status.AWAITING_PAYMENT]
    if not unpaid:
        raise NothingToPay("There is nothing left to pay here.")
    amount = sum((o.total for o in unpaid), Decimal(0))
    provider = get_provider()
    opened = provider.create_payment(
        amount=amount, description=f"{len(unpaid)} order(s) on the marketplace"
    )
    payment = Payment.objects.create(
        checkout_id=checkout_id,
        buyer=buyer,
        provider=provider.name,
        provider_reference=opened.reference,
        amount=amount,
        pay_url=opened.pay_url,
    )
    Payment.orders.through.objects.bulk_create(
        Payment.orders.through(payment=payment, order=paid_order) for paid_order in unpaid
    )
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=paid_order,
            type="payment_started",
            actor=buyer,
            data={"payment": str(payment.public_id)},
        )
        for paid_order in unpaid
    )
    keep_loaded(payment, orders=unpaid)
    return payment


def webhook_receive(*, provider_name: str, body: bytes, headers: dict[str, str]) -> str:
    """Verify, deduplicate and act on one provider notification. Returns what was done:
    ``processed``, ``duplicate`` or ``ignored``."""
    try:
        provider = get_provider(provider_name)
    except KeyError:
        raise NotFoundError(
            f"No payment provider {provider_name!r}.", code="unknown_provider"
        ) from None
    event = provider.parse_webhook(body=body, headers=headers)
    return _webhook_apply(provider_name, event)


# One statement where a savepoint and an insert that may fail would take three.
RECORD_EVENT_SQL = """
    INSERT INTO escrow_webhookevent (provider, event_id, type, payload, received_at)
    VALUES (%s, %s, %s, %s::jsonb, %s)
    ON CONFLICT ON CONSTRAINT escrow_webhookevent_once DO NOTHING
    RETURNING id
"""


def _webhook_event_record(provider_name: str, event: ProviderEvent) -> bool:
    """Store the event, once per event id; False when it was already there."""
    with connection.cursor() as cursor:
        cursor.execute(
            RECORD_EVENT_SQL,
            [
                provider_name,
                event.event_id,
                event.type,
                json.dumps(event.payload, cls=DjangoJSONEncoder),
                timezone.now(),
            ],
        )
        return cursor.fetchone() is not None


# Plain SQL, like ``order_lock``: every payment's webhook runs it.
PAYMENT_LOCK_SQL = """
    SELECT * FROM escrow_payment WHERE provider = %s AND provider_reference = %s
     ORDER BY id LIMIT 1
       FOR UPDATE
"""


@transaction.atomic(durable=True)
def _webhook_apply(provider_name: str, event: ProviderEvent) -> str:
    payout: Payout | None = None
    payment: Payment | None = None
    if event.type.startswith("payout."):
        payout = payout_get_for_update(provider_name=provider_name, reference=event.reference)
    else:
        payment = next(
            iter(Payment.objects.raw(PAYMENT_LOCK_SQL, [provider_name, event.reference])), None
        )
        if payment is None and event.type.startswith("payment."):
            raise UnknownPayment(f"No payment {event.reference}.")
    if not _webhook_event_record(provider_name, event):
        return "duplicate"
    if payout is not None:
        return payout_event_apply(payout=payout, event=event)
    if payment is None:
        return "ignored"
    if event.type == "payment.succeeded":
        if event.amount is not None and event.amount != payment.amount:
            raise WebhookRejected(
                f"The event pays {event.amount}, the payment is {payment.amount}.",
                code="amount_mismatch",
            )
        payment_succeeded(payment=payment)
        return "processed"
    if event.type == "payment.failed":
        payment_failed(payment=payment, reason=event.reason or "declined")
        return "processed"
    return "ignored"


def payment_succeeded(*, payment: Payment) -> None:
    """The money is with the provider: put each order's share into its escrow, or send it back
    when the order can no longer take it. Runs under the payment's row lock."""
    if payment.status == Payment.Status.SUCCEEDED:
        return
    payment.status, payment.settled_at, payment.failure_reason = (
        Payment.Status.SUCCEEDED,
        timezone.now(),
        "",
    )
    payment.save(update_fields=["status", "settled_at", "failure_reason"])
    clearing = ledger.clearing_account()
    for order in orders_lock_for_payment(payment.pk):
        held = ledger.escrow_account_open(order)
        ledger.ledger_post(
            kind="payment",
            description=f"Payment {payment.public_id} for order {order.public_id}",
            order=order,
            payment=payment,
            movements=[(clearing, -order.total), (held, order.total)],
        )
        if order.status == Order.Status.AWAITING_PAYMENT:
            order.status, order.paid_at = Order.Status.PAID, timezone.now()
            order.ship_deadline = order.paid_at + escrow_setting("SHIP_WITHIN")
            order.save(update_fields=["status", "paid_at", "ship_deadline"])
            order_event_record(order=order, type="paid", actor=None, payment=str(payment.public_id))
        else:
            _refund_late_money(order, payment, clearing, held)


def _refund_late_money(
    order: Order, payment: Payment, clearing: ledger.LedgerAccount, held: ledger.LedgerAccount
) -> None:
    ledger.ledger_post(
        kind="refund",
        description=f"Payment {payment.public_id} arrived for a {order.status} order",
        order=order,
        payment=payment,
        movements=[(held, -order.total), (clearing, order.total)],
    )
    order_event_record(
        order=order,
        type="late_payment_refunded",
        actor=None,
        payment=str(payment.public_id),
        amount=str(order.total),
        status=order.status,
    )
    reference, amount = payment.provider_reference, order.total
    provider = get_provider(payment.provider)
    transaction.on_commit(lambda: provider.refund(reference=reference, amount=amount))


def payment_failed(*, payment: Payment, reason: str) -> None:
    """The buyer's payment did not go through; the orders wait for another try. A failure that
    arrives after a success (out of order) changes nothing."""
    if payment.status != Payment.Status.PENDING:
        return
    payment.status, payment.failure_reason = Payment.Status.FAILED, reason[:200]
    payment.save(update_fields=["status", "failure_reason"])
    for order in payment.orders.all():
        order_event_record(
            order=order,
            type="payment_failed",
            actor=None,
            payment=str(payment.public_id),
            reason=reason,
        )
