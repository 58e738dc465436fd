"""After-sale: refund requests, returns and disputes (DOMAIN §4).

A buyer asks for money back from an order that is paid or shipped (at most what is still in
escrow), with or without sending the goods back. While a request is open the order's
auto-confirm clock stands still. The seller agrees or refuses within ``REFUND_ANSWER_WITHIN``;
silence agrees. With a return, the buyer ships it back within ``RETURN_SHIP_WITHIN`` (silence
closes the request) and the seller confirms it within ``RETURN_CONFIRM_WITHIN`` (silence
refunds). A refused request can be escalated to a dispute that staff decide.

Every step locks the order, then the refund (the lock order of the whole app: listing, SKU,
order, refund, ledger account), checks the transition table ``REFUND_TRANSITIONS``, writes an
``OrderEvent`` and, where money moves, one ledger transaction. The ``timed_out`` steps are what
the settlement sweep calls when a deadline passes; they do nothing to a request that is not due.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from escrow.conf import escrow_setting
from escrow.exceptions import RefundAlreadyOpen
from escrow.models import REFUND_TRANSITIONS, Dispute, Order, Refund
from escrow.selectors import escrow_held
from escrow.services.orders import (
    TRACKING_FIELD_LENGTH,
    clock_pause,
    clock_resume,
    escrow_refund,
    has_open_refund,
    order_complete,
    order_event_record,
    order_lock,
    refund_end,
)
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError, InvalidTransition
from marketplace.money import to_money

STEP_DONE = {
    "agree": "agreed to",
    "refuse": "refused",
    "ship_return": "shipped back",
    "confirm_return": "confirmed as returned",
    "escalate": "escalated",
    "withdraw": "withdrawn",
    "expire_return": "closed",
    "decide": "decided",
}


def _locked(refund: Refund) -> tuple[Order, Refund]:
    order = order_lock(refund.order_id)
    return order, Refund.objects.select_for_update().get(pk=refund.pk)


def _step(refund: Refund, step: str) -> str:
    sources, target = REFUND_TRANSITIONS[step]
    if refund.status not in sources:
        raise InvalidTransition(
            f"A {refund.status.replace('_', ' ')} refund request cannot be {STEP_DONE[step]}.",
            extra={"status": refund.status, "action": step},
        )
    return target


def _due(refund: Refund) -> bool:
    return refund.deadline is not None and refund.deadline <= timezone.now()


def _pay_back(order: Order, refund: Refund, amount: Decimal, actor: User | None) -> None:
    """Refund ``amount`` and finish the request; the order's clock runs on if it stays open."""
    escrow_refund(order=order, amount=amount, refund=refund, actor=actor, reason="refund")
    refund_end(refund, status=Refund.Status.REFUNDED, refunded_amount=amount)
    clock_resume(order)


@transaction.atomic(durable=True)
def refund_request(
    *,
    order: Order,
    buyer: User,
    reason: str,
    amount: Decimal,
    with_return: bool,
    description: str = "",
) -> Refund:
    """The buyer asks for ``amount`` back (at most what is still in escrow)."""
    order = order_lock(order.pk)
    if order.status not in (Order.Status.PAID, Order.Status.SHIPPED):
        raise InvalidTransition(
            f"A {order.status.replace('_', ' ')} order cannot be refunded.",
            extra={"status": order.status, "action": "refund_request"},
        )
    if has_open_refund(order):
        raise RefundAlreadyOpen("A refund request is already open on this order.")
    errors: dict[str, list[str]] = {}
    if reason not in Refund.Reason.values:
        errors["reason"] = [f"Choose one of: {', '.join(Refund.Reason.values)}."]
    if with_return and order.status != Order.Status.SHIPPED:
        errors["with_return"] = ["Nothing has been shipped yet, so there is nothing to return."]
    if errors:
        raise ValidationError(errors)
    held = escrow_held(order)
    amount = to_money(amount)
    if amount <= 0 or amount > held:
        raise ApplicationError(
            f"Ask for more than 0 and at most {held}, what is still held for this order.",
            code="refund_amount_too_large",
            extra={"max_amount": str(held)},
        )
    answer_by = timezone.now() + escrow_setting("REFUND_ANSWER_WITHIN")
    refund = Refund.objects.create(
        order=order,
        reason=reason,
        description=description.strip(),
        amount=amount,
        with_return=with_return,
        deadline=answer_by,
    )
    clock_pause(order)
    order_event_record(
        order=order,
        type="refund_requested",
        actor=buyer,
        refund=str(refund.public_id),
        amount=str(amount),
        reason=reason,
        with_return=with_return,
        answer_by=answer_by.isoformat(),
    )
    return refund


@transaction.atomic(durable=True)
def refund_agree(*, refund: Refund, actor: User | None, timed_out: bool = False) -> Refund:
    """The seller agrees (or stayed silent past the deadline: ``timed_out``). Without a return
    the money goes back at once; with one, the buyer now ships the goods back."""
    order, refund = _locked(refund)
    if timed_out and (refund.status != Refund.Status.REQUESTED or not _due(refund)):
        return refund
    if refund.status == Refund.Status.AWAITING_RETURN or (
        refund.status == Refund.Status.REFUNDED and not refund.with_return
    ):
        return refund  # agreed already
    _step(refund, "agree")
    if refund.status == Refund.Status.REFUSED:  # agreed after all: the clock stops again
        if has_open_refund(order):
            raise RefundAlreadyOpen("The buyer has opened another refund request meanwhile.")
        clock_pause(order)
    order_event_record(
        order=order,
        type="refund_agreed",
        actor=actor,
        refund=str(refund.public_id),
        **({"seller_silent": True} if timed_out else {}),
    )
    if not refund.with_return:
        _pay_back(order, refund, refund.amount, actor)
        return refund
    refund.status = Refund.Status.AWAITING_RETURN
    refund.deadline = timezone.now() + escrow_setting("RETURN_SHIP_WITHIN")
    refund.save(update_fields=["status", "deadline", "updated_at"])
    return refund


@transaction.atomic(durable=True)
def refund_refuse(*, refund: Refund, actor: User, reason: str) -> Refund:
    """The seller says no, with a reason. The buyer may escalate to a dispute; meanwhile the
    order's clock runs on."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Tell the buyer why you refuse."]})
    order, refund = _locked(refund)
    if refund.status == Refund.Status.REFUSED:
        return refund
    _step(refund, "refuse")
    refund_end(refund, status=Refund.Status.REFUSED, refused_reason=reason[:500])
    clock_resume(order)
    order_event_record(
        order=order, type="refund_refused", actor=actor, refund=str(refund.public_id), reason=reason
    )
    return refund


@transaction.atomic(durable=True)
def refund_ship_return(
    *, refund: Refund, actor: User, carrier: str, tracking_number: str
) -> Refund:
    """The buyer sends the goods back; the seller now has to confirm they arrived."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    errors = {
        field: ["Required." if not value else f"At most {TRACKING_FIELD_LENGTH} characters."]
        for field, value in (("carrier", carrier), ("tracking_number", tracking_number))
        if not value or len(value) > TRACKING_FIELD_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    order, refund = _locked(refund)
    if (
        refund.status == Refund.Status.RETURN_SHIPPED
        and refund.return_tracking_number == tracking_number
    ):
        return refund
    refund.status = _step(refund, "ship_return")
    refund.return_carrier, refund.return_tracking_number = carrier, tracking_number
    refund.deadline = timezone.now() + escrow_setting("RETURN_CONFIRM_WITHIN")
    refund.save(
        update_fields=[
            "status",
            "return_carrier",
            "return_tracking_number",
            "deadline",
            "updated_at",
        ]
    )
    order_event_record(
        order=order,
        type="return_shipped",
        actor=actor,
        refund=str(refund.public_id),
        carrier=carrier,
        tracking_number=tracking_number,
        confirm_by=refund.deadline.isoformat(),
    )
    return refund


@transaction.atomic(durable=True)
def refund_confirm_return(*, refund: Refund, actor: User | None, timed_out: bool = False) -> Refund:
    """The seller has the goods back (or did not confirm in time: ``timed_out``): the money goes
    back to the buyer."""
    order, refund = _locked(refund)
    if timed_out and (refund.status != Refund.Status.RETURN_SHIPPED or not _due(refund)):
        return refund
    if refund.status == Refund.Status.REFUNDED:
        return refund
    _step(refund, "confirm_return")
    order_event_record(
        order=order,
        type="return_received",
        actor=actor,
        refund=str(refund.public_id),
        **({"seller_silent": True} if timed_out else {}),
    )
    _pay_back(order, refund, min(refund.amount, escrow_held(order)), actor)
    return refund


@transaction.atomic(durable=True)
def refund_withdraw(*, refund: Refund, actor: User) -> Refund:
    """The buyer takes the request back; the order's clock runs on."""
    order, refund = _locked(refund)
    if refund.status == Refund.Status.CLOSED and refund.close_reason == "withdrawn":
        return refund
    _step(refund, "withdraw")
    refund_end(refund, status=Refund.Status.CLOSED, close_reason="withdrawn")
    clock_resume(order)
    order_event_record(
        order=order, type="refund_withdrawn", actor=actor, refund=str(refund.public_id)
    )
    return refund


@transaction.atomic(durable=True)
def refund_expire_return(*, refund: Refund) -> Refund:
    """The buyer did not ship the return in time: the request closes (the settlement sweep)."""
    order, refund = _locked(refund)
    if refund.status != Refund.Status.AWAITING_RETURN or not _due(refund):
        return refund
    _step(refund, "expire_return")
    refund_end(refund, status=Refund.Status.CLOSED, close_reason="return_not_shipped")
    clock_resume(order)
    order_event_record(
        order=order,
        type="refund_closed",
        actor=None,
        refund=str(refund.public_id),
        reason="return_not_shipped",
    )
    return refund


@transaction.atomic(durable=True)
def refund_escalate(*, refund: Refund, actor: User, statement: str = "") -> Dispute:
    """The buyer takes a refused request to staff. The order's clock stops until they decide."""
    order, refund = _locked(refund)
    if refund.status == Refund.Status.DISPUTED:
        return refund.dispute
    _step(refund, "escalate")
    if order.status not in (Order.Status.PAID, Order.Status.SHIPPED):
        raise InvalidTransition(
            f"The order is {order.status}: there is no money left to dispute.",
            code="order_settled",
            extra={"status": order.status},
        )
    if has_open_refund(order):
        raise RefundAlreadyOpen("Another refund request is open on this order.")
    refund.status = Refund.Status.DISPUTED
    refund.save(update_fields=["status", "updated_at"])
    dispute = Dispute.objects.create(refund=refund, statement=statement.strip()[:2000])
    clock_pause(order)
    order_event_record(
        order=order, type="dispute_opened", actor=actor, refund=str(refund.public_id)
    )
    return dispute


@transaction.atomic(durable=True)
def dispute_decide(
    *,
    dispute: Dispute,
    staff: User,
    decision: str,
    reason: str,
    amount: Decimal | None = None,
) -> Dispute:
    """Staff decide: a full refund (the order closes), a partial refund of ``amount`` (the rest
    goes to the seller and the order completes), or release to the seller (the order
    completes). The reason is required and shown on the order's timeline."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Give the reason for the decision."]})
    if decision not in Dispute.Decision.values:
        choices = ", ".join(Dispute.Decision.values)
        raise ValidationError({"decision": [f"Choose one of: {choices}."]})
    order, refund = _locked(dispute.refund)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.is_decided:
        if dispute.decision == decision:
            return dispute
        raise InvalidTransition("This dispute has already been decided.", code="already_decided")
    _step(refund, "decide")
    held = escrow_held(order)
    refunded = {
        Dispute.Decision.FULL_REFUND: held,
        Dispute.Decision.RELEASE: Decimal(0),
        Dispute.Decision.PARTIAL_REFUND: to_money(amount or 0),
    }[Dispute.Decision(decision)]
    if decision == Dispute.Decision.PARTIAL_REFUND and not 0 < refunded < held:
        raise ValidationError(
            {"amount": [f"A partial refund is more than 0 and less than {held}."]}
        )
    dispute.decision, dispute.decision_reason = decision, reason
    dispute.refunded_amount, dispute.decided_by = refunded, staff
    dispute.decided_at = timezone.now()
    dispute.save()
    order_event_record(
        order=order,
        type="dispute_decided",
        actor=staff,
        refund=str(refund.public_id),
        decision=decision,
        amount=str(refunded),
        reason=reason,
    )
    if refunded:
        escrow_refund(order=order, amount=refunded, refund=refund, actor=staff, reason="dispute")
        refund_end(refund, status=Refund.Status.REFUNDED, refunded_amount=refunded)
    else:
        refund_end(refund, status=Refund.Status.CLOSED, close_reason="released_to_seller")
    if order.status != Order.Status.CLOSED:
        order_complete(order, actor=staff)
    return dispute
