"""Settlement: deadlines acted on by the sweep, tested by moving the clock."""

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from escrow.conf import auto_confirm_after, escrow_setting
from escrow.models import LedgerTransaction, Order, Refund
from escrow.selectors import shop_balances
from escrow.services.orders import order_confirm_receipt, order_extend_confirmation
from escrow.services.refunds import (
    refund_agree,
    refund_refuse,
    refund_request,
    refund_ship_return,
    refund_withdraw,
)
from escrow.services.settlement import SWEEPS, settlement_claim, settlement_drain
from escrow.tasks import settlement_drain as settlement_drain_task
from shops.models import Category
from tests.escrow.conftest import bring_to
from tests.escrow.helpers import assert_ledger_sound, place
from tests.factories import UserFactory, make_category

pytestmark = pytest.mark.django_db

OrderIn = Callable[..., Order]
SECOND = timedelta(seconds=1)


def sweep_at(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return settlement_drain()


def status_of(order: Order) -> str:
    order.refresh_from_db()
    return order.status


def ask(order: Order, *, with_return: bool = False, amount: str = "20.00") -> Refund:
    return refund_request(
        order=order,
        buyer=order.buyer,
        reason="damaged",
        amount=Decimal(amount),
        with_return=with_return,
    )


# --- Orders -----------------------------------------------------------------------------------


def test_an_unpaid_order_closes_at_its_payment_deadline_and_its_stock_comes_back(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.AWAITING_PAYMENT)
    deadline = order.payment_deadline
    assert abs(deadline - order.created_at - escrow_setting("PAYMENT_TIMEOUT")) < SECOND

    assert sweep_at(deadline - SECOND) == {}
    assert status_of(order) == Order.Status.AWAITING_PAYMENT

    assert sweep_at(deadline) == {"unpaid_orders_closed": 1}
    order.refresh_from_db()
    assert (order.status, order.close_reason) == (Order.Status.CLOSED, "payment_timeout")
    assert order.lines.select_related("sku").get().sku.stock == 10
    closed = order.events.get(type="closed")
    assert closed.actor is None  # the system acted


@pytest.mark.parametrize("method", ["express", "post", "virtual"])
def test_a_shipped_order_completes_by_itself_at_its_deadline(
    order_in: OrderIn, method: str
) -> None:
    order = order_in(Order.Status.SHIPPED, shipping_method=method)
    assert order.shipped_at is not None
    deadline = order.shipped_at + auto_confirm_after(method)
    assert order.confirm_deadline == deadline

    sweep_at(deadline - SECOND)
    assert status_of(order) == Order.Status.SHIPPED

    sweep_at(deadline)
    assert status_of(order) == Order.Status.COMPLETED
    assert shop_balances(shop=order.shop)["available"] == Decimal("56.00")
    assert order.events.get(type="completed").data == {"released": "56.00", "automatic": True}
    assert_ledger_sound()


def test_a_due_order_completes_in_five_statements_once_its_accounts_exist(
    order_in: OrderIn, django_assert_num_queries: Any
) -> None:
    tea = make_category("Tea")
    Category.objects.filter(pk=tea.pk).update(commission_rate=Decimal("0.05"))
    first = order_in(Order.Status.SHIPPED, category=tea)
    second = bring_to(
        place(UserFactory(), first.lines.get().listing, quantity=2), Order.Status.SHIPPED
    )
    assert first.confirm_deadline is not None and second.confirm_deadline is not None
    with time_machine.travel(first.confirm_deadline, tick=False):
        order_confirm_receipt(order=first, actor=None, timed_out=True)  # opens the accounts

    with (
        time_machine.travel(second.confirm_deadline, tick=False),
        # The order's lock; what is held, owed and open; the ledger posting; the order; its
        # event (and the savepoint a test's transaction puts around them).
        django_assert_num_queries(5 + 2),
    ):
        order_confirm_receipt(order=second, actor=None, timed_out=True)

    assert status_of(second) == Order.Status.COMPLETED
    # 2 × 25.00 at 5%: 2.50 to the platform; the shipping is the seller's.
    assert shop_balances(shop=second.shop)["available"] == 2 * (Decimal("56.00") - Decimal("2.50"))
    assert_ledger_sound()


def test_the_days_are_those_of_the_domain() -> None:
    assert {m: auto_confirm_after(m).days for m in ("express", "post", "virtual")} == {
        "express": 10,
        "post": 30,
        "virtual": 3,
    }


def test_extensions_move_the_deadline(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    deadline = order.confirm_deadline
    assert deadline is not None
    order_extend_confirmation(order=order, actor=order.buyer, days=3)
    order_extend_confirmation(order=order, actor=order.shop.owner, days=10)

    sweep_at(deadline + timedelta(days=13) - SECOND)
    assert status_of(order) == Order.Status.SHIPPED

    sweep_at(deadline + timedelta(days=13))
    assert status_of(order) == Order.Status.COMPLETED


def test_an_open_refund_request_holds_the_order_past_its_deadline(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    assert order.shipped_at is not None
    start = order.shipped_at
    with time_machine.travel(start + timedelta(days=9), tick=False):
        refund = ask(order, with_return=True)
        refund_refuse(refund=refund, actor=order.shop.owner, reason="Used.")  # clock runs on
        refund = ask(order, with_return=True, amount="5.00")  # and stops again

    # Long past the first deadline, and past the seller's answer deadline: the seller's
    # silence agrees, the buyer's silence about the return then closes the request.
    sweep_at(start + timedelta(days=9 + 5))
    refund.refresh_from_db()
    assert refund.status == Refund.Status.AWAITING_RETURN
    assert status_of(order) == Order.Status.SHIPPED

    sweep_at(start + timedelta(days=9 + 5 + 7))
    refund.refresh_from_db()
    assert (refund.status, refund.close_reason) == (Refund.Status.CLOSED, "return_not_shipped")
    order.refresh_from_db()
    # One day of the ten was left when the request opened; it runs from the closing of it.
    assert order.confirm_deadline == start + timedelta(days=9 + 5 + 7 + 1)

    sweep_at(start + timedelta(days=22))
    assert status_of(order) == Order.Status.COMPLETED
    assert_ledger_sound()


# --- Refund requests --------------------------------------------------------------------------


def test_a_seller_silent_past_the_answer_deadline_agrees_and_the_money_goes_back(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.PAID)
    refund = ask(order)
    assert refund.deadline is not None

    sweep_at(refund.deadline - SECOND)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REQUESTED

    assert sweep_at(refund.deadline) == {"refunds_agreed_by_silence": 1}
    refund.refresh_from_db()
    assert (refund.status, refund.refunded_amount) == (Refund.Status.REFUNDED, Decimal("20.00"))
    agreed = order.events.get(type="refund_agreed")
    assert (agreed.actor, agreed.data["seller_silent"]) == (None, True)
    assert shop_balances(shop=order.shop)["in_escrow"] == Decimal("36.00")
    assert_ledger_sound()


def test_a_seller_silent_about_a_returned_parcel_refunds_it(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    refund = ask(order, with_return=True)
    refund_agree(refund=refund, actor=order.shop.owner)
    refund_ship_return(refund=refund, actor=order.buyer, carrier="YTO", tracking_number="YT1")
    refund.refresh_from_db()
    assert refund.deadline is not None

    sweep_at(refund.deadline - SECOND)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.RETURN_SHIPPED

    assert sweep_at(refund.deadline) == {"returns_refunded_by_silence": 1}
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED
    assert_ledger_sound()


def test_the_deadlines_of_a_return_are_those_of_the_domain(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    with time_machine.travel(order.shipped_at, tick=False) as clock:
        refund = ask(order, with_return=True)
        assert refund.deadline == order.shipped_at + timedelta(days=5)
        refund_agree(refund=refund, actor=order.shop.owner)
        refund.refresh_from_db()
        assert refund.deadline == order.shipped_at + timedelta(days=7)
        clock.shift(timedelta(days=1))
        refund_ship_return(refund=refund, actor=order.buyer, carrier="YTO", tracking_number="Y")
        refund.refresh_from_db()
        assert refund.deadline == order.shipped_at + timedelta(days=11)


# --- The sweep itself -------------------------------------------------------------------------


def test_sweeping_again_changes_nothing(order_in: OrderIn) -> None:
    orders = [order_in(Order.Status.SHIPPED) for _ in range(3)]
    later = max(o.confirm_deadline for o in orders if o.confirm_deadline) + SECOND
    sweep_at(later)
    transactions = LedgerTransaction.objects.count()
    events = sum(o.events.count() for o in orders)

    assert sweep_at(later + timedelta(minutes=5)) == {}

    assert LedgerTransaction.objects.count() == transactions
    assert sum(o.events.count() for o in orders) == events


def test_a_row_taken_by_one_worker_is_left_to_it_until_its_lease_passes(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.AWAITING_PAYMENT)
    unpaid = next(sweep for sweep in SWEEPS if sweep.name == "unpaid_orders_closed")
    with time_machine.travel(order.payment_deadline, tick=False) as clock:
        assert [o.pk for o in settlement_claim(unpaid, limit=10)] == [order.pk]
        # The worker that took it died; another looks while the lease holds, then after.
        assert settlement_claim(unpaid, limit=10) == []
        clock.shift(escrow_setting("SETTLEMENT_LEASE") + SECOND)
        assert [o.pk for o in settlement_claim(unpaid, limit=10)] == [order.pk]


def test_the_drain_task_settles_what_is_due(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    assert order.confirm_deadline is not None

    with time_machine.travel(order.confirm_deadline, tick=False):
        done = settlement_drain_task.apply().get()

    assert done == {"shipped_orders_confirmed": 1}
    assert status_of(order) == Order.Status.COMPLETED


def test_a_withdrawn_request_lets_the_order_complete_at_the_resumed_deadline(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.SHIPPED)
    assert order.confirm_deadline is not None
    deadline = order.confirm_deadline
    refund = ask(order)
    refund_withdraw(refund=refund, actor=order.buyer)
    order.refresh_from_db()
    assert order.confirm_deadline is not None
    assert order.confirm_deadline >= deadline

    sweep_at(order.confirm_deadline)

    assert status_of(order) == Order.Status.COMPLETED
