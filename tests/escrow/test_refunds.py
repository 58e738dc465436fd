"""Refund requests, returns and disputes: every edge of ``REFUND_TRANSITIONS``, the money each
moves, and the auto-confirm clock that stands still while a request is open."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from escrow.conf import auto_confirm_after, escrow_setting
from escrow.exceptions import RefundAlreadyOpen
from escrow.models import REFUND_TRANSITIONS, Dispute, LedgerTransaction, Order, Refund
from escrow.selectors import shop_balances
from escrow.services.orders import order_cancel, order_confirm_receipt, order_extend_confirmation
from escrow.services.refunds import (
    dispute_decide,
    refund_agree,
    refund_confirm_return,
    refund_escalate,
    refund_expire_return,
    refund_refuse,
    refund_request,
    refund_ship_return,
    refund_withdraw,
)
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError, ConflictError, InvalidTransition
from shops.models import Category
from tests.escrow.helpers import assert_ledger_sound
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RStatus = Refund.Status
OrderIn = Callable[..., Order]
NothingChanges = Callable[..., AbstractContextManager[None]]
PART = Decimal("20.00")  # of an order of 56.00


def ask(order: Order, amount: Decimal = PART, with_return: bool = True, **extra: object) -> Refund:
    return refund_request(
        order=order,
        buyer=order.buyer,
        reason="not_as_described",
        amount=amount,
        with_return=with_return,
        **extra,  # type: ignore[arg-type]
    )


def staff() -> User:
    return UserFactory(is_staff=True)  # type: ignore[no-any-return]


def take(refund: Refund, step: str) -> Refund:
    """What the buyer, the seller or staff do to take a step."""
    order = refund.order
    seller, buyer = order.shop.owner, order.buyer
    if step == "agree":
        refund_agree(refund=refund, actor=seller)
    elif step == "refuse":
        refund_refuse(refund=refund, actor=seller, reason="The photos show it was used.")
    elif step == "ship_return":
        refund_ship_return(refund=refund, actor=buyer, carrier="YTO", tracking_number="YT9")
    elif step == "confirm_return":
        refund_confirm_return(refund=refund, actor=seller)
    elif step == "escalate":
        refund_escalate(refund=refund, actor=buyer, statement="It arrived broken.")
    elif step == "withdraw":
        refund_withdraw(refund=refund, actor=buyer)
    elif step == "decide":
        dispute_decide(
            dispute=refund.dispute,
            staff=staff(),
            decision="full_refund",
            reason="The carrier confirmed the damage.",
        )
    elif step == "expire_return":
        assert refund.deadline is not None
        with time_machine.travel(refund.deadline + timedelta(seconds=1)):
            refund_expire_return(refund=refund)
    refund.refresh_from_db()
    return refund


# How to bring a request on a shipped order into each state, step by step.
PATH_TO = {
    RStatus.REQUESTED: [],
    RStatus.AWAITING_RETURN: ["agree"],
    RStatus.RETURN_SHIPPED: ["agree", "ship_return"],
    RStatus.REFUNDED: ["agree", "ship_return", "confirm_return"],
    RStatus.REFUSED: ["refuse"],
    RStatus.DISPUTED: ["refuse", "escalate"],
    RStatus.CLOSED: ["withdraw"],
}


@pytest.fixture
def refund_in(order_in: OrderIn) -> Callable[[str], Refund]:
    """A request for 20.00 with a return, on a shipped order of 56.00, in the given state."""

    def make(status: str) -> Refund:
        refund = ask(order_in(Order.Status.SHIPPED))
        for step in PATH_TO[RStatus(status)]:
            refund = take(refund, step)
        assert refund.status == status
        return refund

    return make


LEGAL = [(source, step) for step, (sources, _) in REFUND_TRANSITIONS.items() for source in sources]
ILLEGAL = [
    (status, step)
    for step, (sources, target) in REFUND_TRANSITIONS.items()
    if step not in ("decide", "expire_return")  # tested below: no dispute / a timed step
    for status in RStatus
    if status not in sources and status != target
]


def test_the_table_covers_every_step_of_the_domain() -> None:
    assert set(REFUND_TRANSITIONS) == {
        "agree",
        "refuse",
        "ship_return",
        "confirm_return",
        "escalate",
        "withdraw",
        "expire_return",
        "decide",
    }
    assert set(PATH_TO) == set(RStatus)


@pytest.mark.parametrize(("status", "step"), LEGAL)
def test_a_legal_step_moves_the_request(
    refund_in: Callable[[str], Refund], status: str, step: str
) -> None:
    refund = refund_in(status)
    before = list(refund.order.events.values_list("type", flat=True))

    refund = take(refund, step)

    assert refund.status == REFUND_TRANSITIONS[step][1]
    assert len(refund.order.events.all()) > len(before)  # on the timeline
    assert_ledger_sound()


@pytest.mark.parametrize(("status", "step"), ILLEGAL)
def test_an_illegal_step_is_refused_and_changes_nothing(
    refund_in: Callable[[str], Refund], nothing_changes: NothingChanges, status: str, step: str
) -> None:
    refund = refund_in(status)

    with nothing_changes(), pytest.raises(InvalidTransition) as refused:
        take(refund, step)

    assert isinstance(refused.value, ConflictError)  # 409 for the API
    assert_ledger_sound()


def test_expiring_a_return_that_is_not_awaited_changes_nothing(
    refund_in: Callable[[str], Refund], nothing_changes: NothingChanges
) -> None:
    shipped_back = refund_in(RStatus.RETURN_SHIPPED)

    with nothing_changes():
        refund_expire_return(refund=shipped_back)


# --- Money ------------------------------------------------------------------------------------


def test_agreeing_without_a_return_refunds_at_once_and_the_rest_stays_in_escrow(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.SHIPPED)
    refund = ask(order, with_return=False)

    refund_agree(refund=refund, actor=order.shop.owner)

    refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, refund.refunded_amount) == (RStatus.REFUNDED, PART)
    assert order.status == Order.Status.SHIPPED
    assert shop_balances(shop=order.shop)["in_escrow"] == Decimal("36.00")
    types = list(order.events.values_list("type", flat=True))
    assert types[-3:] == ["refund_requested", "refund_agreed", "refunded"]
    assert_ledger_sound()


def test_after_a_partial_refund_completion_releases_the_rest_minus_commission_on_it(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.SHIPPED)
    Category.objects.filter(pk=order.lines.get().listing.category_id).update(
        commission_rate=Decimal("0.05")
    )
    order.lines.update(commission_rate=Decimal("0.05"))  # 5% of 50.00 goods = 2.50
    refund_agree(refund=ask(order, amount=Decimal("28.00"), with_return=False), actor=None)

    order_confirm_receipt(order=order, actor=order.buyer)

    # Half the order was refunded, so half the commission is due: 1.25 of the 28.00 released.
    assert shop_balances(shop=order.shop)["available"] == Decimal("26.75")
    assert_ledger_sound()


def test_a_full_refund_of_a_paid_order_closes_it_and_puts_the_goods_back_on_sale(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.PAID)
    line = order.lines.select_related("sku").get()

    refund_agree(refund=ask(order, amount=order.total, with_return=False), actor=None)

    order.refresh_from_db()
    line.sku.refresh_from_db()
    assert (order.status, order.close_reason) == (Order.Status.CLOSED, "refund")
    assert line.sku.stock == 10
    assert shop_balances(shop=order.shop)["in_escrow"] == 0
    refunds = LedgerTransaction.objects.filter(order=order, kind="refund")
    assert [t.refund_id for t in refunds] == [order.refunds.get().pk]
    assert_ledger_sound()


@pytest.mark.parametrize("amount", ["0", "-1", "56.01"])
def test_asking_for_nothing_or_more_than_is_held_is_refused(
    order_in: OrderIn, nothing_changes: NothingChanges, amount: str
) -> None:
    order = order_in(Order.Status.SHIPPED)

    with nothing_changes(), pytest.raises(ApplicationError) as refused:
        ask(order, amount=Decimal(amount))

    assert refused.value.code == "refund_amount_too_large"
    assert refused.value.extra == {"max_amount": "56.00"}


def test_goods_that_were_never_sent_cannot_be_returned(
    order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(Order.Status.PAID)

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        ask(order, with_return=True)

    assert set(refused.value.message_dict) == {"with_return"}


@pytest.mark.parametrize("status", ["awaiting_payment", "completed", "closed"])
def test_only_paid_or_shipped_orders_can_be_refunded(
    order_in: OrderIn, nothing_changes: NothingChanges, status: str
) -> None:
    order = order_in(status)

    with nothing_changes(), pytest.raises(InvalidTransition):
        ask(order, with_return=False)


def test_one_open_request_per_order(refund_in: Callable[[str], Refund]) -> None:
    refund = refund_in(RStatus.REQUESTED)

    with pytest.raises(RefundAlreadyOpen):
        ask(refund.order)


def test_the_buyer_cannot_confirm_receipt_while_a_request_is_open(
    refund_in: Callable[[str], Refund], nothing_changes: NothingChanges
) -> None:
    refund = refund_in(RStatus.REQUESTED)

    with nothing_changes(), pytest.raises(InvalidTransition) as refused:
        order_confirm_receipt(order=refund.order, actor=refund.order.buyer)

    assert refused.value.code == "refund_open"


def test_a_seller_who_refused_may_still_agree_until_the_buyer_escalates(
    refund_in: Callable[[str], Refund],
) -> None:
    refund = refund_in(RStatus.REFUSED)

    refund = take(refund, "agree")

    assert refund.status == RStatus.AWAITING_RETURN
    with pytest.raises(InvalidTransition):
        take(refund, "escalate")


def test_cancelling_a_paid_order_the_seller_never_shipped_ends_its_open_request(
    order_in: OrderIn,
) -> None:
    order = order_in(Order.Status.PAID)
    refund = ask(order, with_return=False)
    assert order.ship_deadline is not None

    with time_machine.travel(order.ship_deadline + timedelta(minutes=1)):
        order_cancel(order=order, actor=order.buyer)

    refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, refund.close_reason) == (RStatus.CLOSED, "order_cancelled")
    assert order.status == Order.Status.CLOSED
    assert shop_balances(shop=order.shop)["in_escrow"] == 0
    assert_ledger_sound()


# --- Disputes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "amount", "order_status", "buyer_gets", "seller_gets", "refund_status"),
    [
        ("full_refund", None, "closed", "56.00", "0", RStatus.REFUNDED),
        ("partial_refund", "16.00", "completed", "16.00", "40.00", RStatus.REFUNDED),
        ("release", None, "completed", "0", "56.00", RStatus.CLOSED),
    ],
)
def test_staff_decide_a_dispute_and_the_money_follows(
    refund_in: Callable[[str], Refund],
    decision: str,
    amount: str | None,
    order_status: str,
    buyer_gets: str,
    seller_gets: str,
    refund_status: str,
) -> None:
    refund = refund_in(RStatus.DISPUTED)
    order, moderator = refund.order, staff()

    dispute = dispute_decide(
        dispute=refund.dispute,
        staff=moderator,
        decision=decision,
        reason="Timeline and messages reviewed.",
        amount=Decimal(amount) if amount else None,
    )

    order.refresh_from_db()
    refund.refresh_from_db()
    assert (dispute.decided_by, dispute.refunded_amount) == (moderator, Decimal(buyer_gets))
    assert (order.status, refund.status) == (order_status, refund_status)
    assert shop_balances(shop=order.shop)["available"] == Decimal(seller_gets)
    assert shop_balances(shop=order.shop)["in_escrow"] == 0
    decided = order.events.get(type="dispute_decided")
    assert (decided.actor, decided.data["reason"]) == (moderator, "Timeline and messages reviewed.")
    assert_ledger_sound()


@pytest.mark.parametrize(
    ("decision", "reason", "amount", "field"),
    [
        ("full_refund", " ", None, "reason"),
        ("partial_refund", "Reviewed.", "56.00", "amount"),
        ("partial_refund", "Reviewed.", None, "amount"),
        ("give_it_all_away", "Reviewed.", None, "decision"),
    ],
)
def test_a_decision_needs_a_reason_and_a_sensible_amount(
    refund_in: Callable[[str], Refund],
    nothing_changes: NothingChanges,
    decision: str,
    reason: str,
    amount: str | None,
    field: str,
) -> None:
    refund = refund_in(RStatus.DISPUTED)

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        dispute_decide(
            dispute=refund.dispute,
            staff=staff(),
            decision=decision,
            reason=reason,
            amount=Decimal(amount) if amount else None,
        )

    assert set(refused.value.message_dict) == {field}


def test_a_decided_dispute_cannot_be_decided_otherwise(
    refund_in: Callable[[str], Refund], nothing_changes: NothingChanges
) -> None:
    refund = refund_in(RStatus.DISPUTED)
    dispute_decide(dispute=refund.dispute, staff=staff(), decision="release", reason="Fine.")

    with nothing_changes(), pytest.raises(InvalidTransition):
        dispute_decide(
            dispute=Dispute.objects.get(), staff=staff(), decision="full_refund", reason="No."
        )


# --- The auto-confirm clock ---------------------------------------------------------------------


def test_an_open_request_stops_the_clock_and_ending_it_runs_it_on(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    assert order.shipped_at is not None
    start = order.shipped_at
    assert order.confirm_deadline == start + auto_confirm_after("express")

    with time_machine.travel(start + timedelta(days=2), tick=False):
        refund = ask(order)
    order.refresh_from_db()
    assert (order.confirm_deadline, order.confirm_time_left) == (None, timedelta(days=8))

    with time_machine.travel(start + timedelta(days=5), tick=False):
        refund_withdraw(refund=refund, actor=order.buyer)
    order.refresh_from_db()
    assert order.confirm_deadline == start + timedelta(days=13)
    assert order.confirm_time_left is None


def test_the_buyer_and_the_seller_may_each_extend_the_clock_once(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    deadline = order.confirm_deadline
    assert deadline is not None

    order_extend_confirmation(order=order, actor=order.buyer, days=3)
    order_extend_confirmation(order=order, actor=order.shop.owner, days=7)
    order_extend_confirmation(order=order, actor=order.buyer, days=3)  # a retry: no change

    order.refresh_from_db()
    assert order.confirm_deadline == deadline + timedelta(days=10)
    with pytest.raises(InvalidTransition) as refused:
        order_extend_confirmation(order=order, actor=order.shop.owner, days=5)
    assert refused.value.code == "already_extended"
    events = order.events.filter(type="confirmation_extended")
    assert [(e.data["by"], e.data["days"]) for e in events] == [("buyer", 3), ("seller", 7)]


@pytest.mark.parametrize(("who", "days"), [("buyer", 5), ("seller", 4), ("seller", 0)])
def test_an_extension_of_another_length_is_refused(
    order_in: OrderIn, nothing_changes: NothingChanges, who: str, days: int
) -> None:
    order = order_in(Order.Status.SHIPPED)
    actor = order.buyer if who == "buyer" else order.shop.owner

    with nothing_changes(), pytest.raises(ApplicationError) as refused:
        order_extend_confirmation(order=order, actor=actor, days=days)

    assert refused.value.code == "invalid_extension"


def test_extending_while_the_clock_stands_still_adds_to_the_time_left(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    ask(order)
    order.refresh_from_db()
    left = order.confirm_time_left
    assert left is not None

    order_extend_confirmation(order=order, actor=order.shop.owner, days=5)

    order.refresh_from_db()
    assert order.confirm_time_left == left + timedelta(days=5)
    assert order.confirm_deadline is None


def test_the_answer_deadline_is_stored_from_settings(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    before = timezone.now()

    refund = ask(order)

    assert refund.deadline is not None
    assert refund.deadline - before >= escrow_setting("REFUND_ANSWER_WITHIN")
