"""Settlement racing people and itself, each party on its own database connection: money is
released or refunded once, whoever wins."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.db.models import Count
from django.utils import timezone

from escrow.models import Dispute, LedgerTransaction, Order, OrderEvent, Refund
from escrow.services.orders import order_confirm_receipt, order_ship
from escrow.services.refunds import refund_agree, refund_escalate, refund_refuse, refund_request
from escrow.services.settlement import settlement_drain
from marketplace.exceptions import InvalidTransition
from tests.escrow.helpers import assert_ledger_sound, pay, place, run_in_threads
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db(transaction=True)


def shipped_orders(count: int) -> list[Order]:
    listing = make_listing(price="30.00", stock=count)
    orders = []
    for _ in range(count):
        order = place(UserFactory(), listing)
        pay(order)
        orders.append(
            order_ship(order=order, actor=listing.shop.owner, carrier="SF", tracking_number="1")
        )
    return orders


def make_due(orders: list[Order]) -> None:
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        confirm_deadline=timezone.now() - timedelta(seconds=1)
    )


def settled_once(orders: list[Order], kind: str = "release", event: str = "completed") -> None:
    ids = [o.pk for o in orders]
    per_order = dict(
        LedgerTransaction.objects.filter(order__in=ids, kind=kind)
        .values_list("order")
        .annotate(n=Count("pk"))
    )
    events = dict(
        OrderEvent.objects.filter(order__in=ids, type=event)
        .values_list("order")
        .annotate(n=Count("pk"))
    )
    assert per_order == dict.fromkeys(ids, 1)
    assert events == dict.fromkeys(ids, 1)


def test_buyers_confirming_while_the_auto_confirm_sweep_runs_release_each_escrow_once() -> None:
    orders = shipped_orders(30)
    make_due(orders)
    buyers_confirm = [
        partial(order_confirm_receipt, order=order, actor=order.buyer) for order in orders
    ]

    results = run_in_threads([settlement_drain, *buyers_confirm, settlement_drain], workers=8)

    assert not [r for r in results if isinstance(r, Exception)]
    assert Order.objects.filter(status=Order.Status.COMPLETED).count() == 30
    settled_once(orders)
    assert_ledger_sound()


def test_two_sweepers_at_once_settle_every_due_row_exactly_once() -> None:
    shipped = shipped_orders(40)
    make_due(shipped)
    listing = make_listing(price="5.00", stock=20)
    unpaid = [place(UserFactory(), listing) for _ in range(20)]
    Order.objects.filter(pk__in=[o.pk for o in unpaid]).update(
        payment_deadline=timezone.now() - timedelta(seconds=1)
    )

    results = run_in_threads([settlement_drain] * 4, workers=4)

    done: Counter[str] = Counter()
    for result in results:
        assert not isinstance(result, Exception), result
        done.update(result)
    assert done == {"shipped_orders_confirmed": 40, "unpaid_orders_closed": 20}
    settled_once(shipped)
    assert OrderEvent.objects.filter(order__in=unpaid, type="closed").count() == 20
    listing.refresh_from_db()
    assert listing.total_stock == 20  # every unit back once
    assert_ledger_sound()


def test_a_seller_agreeing_while_the_buyer_escalates_ends_one_way_only() -> None:
    orders = shipped_orders(20)
    refunds = []
    for order in orders:
        refund = refund_request(
            order=order,
            buyer=order.buyer,
            reason="damaged",
            amount=Decimal("30.00"),
            with_return=False,
        )
        refunds.append(refund_refuse(refund=refund, actor=order.shop.owner, reason="No."))
    calls = []
    for refund in refunds:
        order = refund.order
        calls.append(partial(refund_agree, refund=refund, actor=order.shop.owner))
        calls.append(partial(refund_escalate, refund=refund, actor=order.buyer))

    results = run_in_threads(calls)

    for agreed, escalated in zip(results[::2], results[1::2], strict=True):
        outcomes = [isinstance(agreed, Refund), isinstance(escalated, Dispute)]
        assert outcomes in ([True, False], [False, True])
        loser = escalated if outcomes[0] else agreed
        assert isinstance(loser, InvalidTransition)
    statuses = Counter(Refund.objects.values_list("status", flat=True))
    assert statuses[Refund.Status.REFUNDED] + statuses[Refund.Status.DISPUTED] == 20
    assert Dispute.objects.count() == statuses[Refund.Status.DISPUTED]
    assert LedgerTransaction.objects.filter(kind="refund").count() == statuses["refunded"]
    assert_ledger_sound()
