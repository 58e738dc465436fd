"""The payment provider's notifications, through the webhook endpoint: verified, deduplicated,
and safe when they arrive twice, late or out of order."""

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from escrow.conf import escrow_setting
from escrow.models import LedgerTransaction, Order, Payment, SandboxCharge
from escrow.providers.sandbox import sign
from escrow.selectors import shop_balances
from escrow.services.orders import CheckoutLine, checkout_place, order_cancel
from escrow.services.payments import payment_create
from tests.escrow.helpers import assert_ledger_sound, deliver, webhook_body
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db

NothingChanges = Callable[..., AbstractContextManager[None]]


@pytest.fixture
def payment(order_in: Callable[..., Order]) -> Payment:
    """A pending payment of 56.00 for one unpaid order."""
    order = order_in()
    return payment_create(buyer=order.buyer, order=order)


def order_of(payment: Payment) -> Order:
    return payment.orders.get()


def ledger_kinds(order: Order) -> list[str]:
    return list(order.ledger_transactions.order_by("pk").values_list("kind", flat=True))


def event_types(order: Order) -> list[str]:
    return list(order.events.values_list("type", flat=True))


def escrow_of(order: Order) -> Decimal:
    return shop_balances(shop=order.shop)["in_escrow"]


# --- Refused notifications --------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("", id="missing"),
        pytest.param("t=notanumber,v1=abc", id="malformed"),
        pytest.param(f"t={int(time.time())},v1={'0' * 64}", id="wrong digest"),
    ],
)
def test_a_notification_without_a_valid_signature_is_refused(
    payment: Payment, nothing_changes: NothingChanges, signature: str
) -> None:
    with nothing_changes():
        response = deliver(webhook_body(payment), signature=signature)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"


def test_a_body_changed_after_signing_is_refused(
    payment: Payment, nothing_changes: NothingChanges
) -> None:
    genuine = webhook_body(payment)
    timestamp = int(time.time())
    forged = genuine.replace(b'"amount":5600', b'"amount":1')

    with nothing_changes():
        response = deliver(forged, signature=sign(genuine, timestamp))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"


@pytest.mark.parametrize("direction", [-1, 1], ids=["old", "from the future"])
def test_a_notification_outside_the_tolerance_is_refused_as_stale(
    payment: Payment, nothing_changes: NothingChanges, direction: int
) -> None:
    tolerance = int(escrow_setting("WEBHOOK_TOLERANCE").total_seconds())

    with nothing_changes():
        response = deliver(
            webhook_body(payment), timestamp=int(time.time()) + direction * (tolerance + 60)
        )

    assert response.status_code == 400
    assert response.json()["code"] == "stale_webhook"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'"payment.succeeded"',
        b'{"id": "evt_1", "type": "payment.succeeded"}',
        b'{"id": "evt_1", "type": "payment.succeeded", "data": {"amount": 5600}}',
        b'{"id": "evt_1", "type": "payment.succeeded", "data": "sbx_1"}',
        b'{"id": "evt_1", "type": "payment.succeeded", "data": {"reference": "x", "amount": true}}',
    ],
)
def test_a_signed_body_that_is_not_an_event_is_refused(
    payment: Payment, nothing_changes: NothingChanges, body: bytes
) -> None:
    with nothing_changes():
        response = deliver(body)

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_webhook"


def test_a_payment_the_marketplace_never_opened_is_unknown(
    payment: Payment, nothing_changes: NothingChanges
) -> None:
    body = json.loads(webhook_body(payment))
    body["data"]["reference"] = "sbx_never_opened"

    with nothing_changes():
        response = deliver(json.dumps(body).encode())

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_payment"


def test_an_amount_other_than_the_payments_moves_nothing(
    payment: Payment, nothing_changes: NothingChanges
) -> None:
    body = json.loads(webhook_body(payment))
    body["data"]["amount"] = 100

    with nothing_changes():
        response = deliver(json.dumps(body).encode())

    assert 400 <= response.status_code < 500
    assert response.json()["code"] == "amount_mismatch"
    assert order_of(payment).status == Order.Status.AWAITING_PAYMENT


def test_a_provider_the_marketplace_does_not_use_is_not_found(
    payment: Payment, nothing_changes: NothingChanges
) -> None:
    with nothing_changes():
        response = APIClient().post(
            "/api/payments/webhooks/paypal/",
            data=webhook_body(payment),
            content_type="application/json",
        )

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_provider"


# --- Accepted notifications -------------------------------------------------------------------


def test_an_event_type_the_marketplace_does_not_handle_is_acknowledged_and_ignored(
    payment: Payment, nothing_changes: NothingChanges
) -> None:
    with nothing_changes("webhook events"):
        response = deliver(webhook_body(payment, "payment.dispute_opened"))

    assert (response.status_code, response.json()) == (200, {"status": "ignored"})


def test_an_unknown_event_about_an_unknown_reference_is_acknowledged_and_ignored(
    nothing_changes: NothingChanges,
) -> None:
    body = json.dumps(
        {"id": "evt_1", "type": "transfer.created", "created": 1, "data": {"reference": "t1"}}
    ).encode()

    with nothing_changes("webhook events"):
        response = deliver(body)

    assert (response.status_code, response.json()) == (200, {"status": "ignored"})


def test_success_moves_the_money_into_escrow_and_marks_the_order_paid(payment: Payment) -> None:
    response = deliver(webhook_body(payment))

    assert (response.status_code, response.json()) == (200, {"status": "processed"})
    order = order_of(payment)
    assert order.status == Order.Status.PAID and order.paid_at is not None
    assert escrow_of(order) == Decimal("56.00")
    assert ledger_kinds(order) == ["payment"]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert_ledger_sound()


def test_the_same_event_delivered_again_is_a_duplicate_and_moves_money_once(
    payment: Payment,
) -> None:
    body = webhook_body(payment)

    first, second = deliver(body), deliver(body)

    assert first.json() == {"status": "processed"}
    assert (second.status_code, second.json()) == (200, {"status": "duplicate"})
    order = order_of(payment)
    assert ledger_kinds(order) == ["payment"]
    assert escrow_of(order) == Decimal("56.00")
    assert event_types(order).count("paid") == 1
    assert_ledger_sound()


def test_two_different_success_events_for_one_payment_move_money_once(payment: Payment) -> None:
    first, second = deliver(webhook_body(payment)), deliver(webhook_body(payment))

    assert first.status_code == second.status_code == 200
    order = order_of(payment)
    assert ledger_kinds(order) == ["payment"]
    assert escrow_of(order) == Decimal("56.00")
    assert event_types(order).count("paid") == 1
    assert_ledger_sound()


def test_a_failure_arriving_after_the_success_leaves_the_order_paid(payment: Payment) -> None:
    deliver(webhook_body(payment))

    late = deliver(webhook_body(payment, "payment.failed", reason="card_declined"))

    assert late.status_code == 200
    order = order_of(payment)
    payment.refresh_from_db()
    assert (order.status, payment.status) == (Order.Status.PAID, Payment.Status.SUCCEEDED)
    assert "payment_failed" not in event_types(order)
    assert escrow_of(order) == Decimal("56.00")
    assert_ledger_sound()


def test_a_success_arriving_after_a_failure_pays_the_order(payment: Payment) -> None:
    deliver(webhook_body(payment, "payment.failed", reason="card_declined"))
    order = order_of(payment)
    payment.refresh_from_db()
    assert (order.status, payment.status) == (Order.Status.AWAITING_PAYMENT, "failed")
    assert ledger_kinds(order) == []

    deliver(webhook_body(payment))

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (Order.Status.PAID, Payment.Status.SUCCEEDED)
    assert event_types(order)[-2:] == ["payment_failed", "paid"]
    assert escrow_of(order) == Decimal("56.00")
    assert_ledger_sound()


def test_a_declined_payment_leaves_the_order_waiting_for_another_try(payment: Payment) -> None:
    deliver(webhook_body(payment, "payment.failed", reason="card_declined"))
    order = order_of(payment)

    retry = payment_create(buyer=order.buyer, order=order)
    deliver(webhook_body(retry))

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert ledger_kinds(order) == ["payment"]
    assert_ledger_sound()


def test_money_for_an_order_closed_a_moment_earlier_goes_back_to_the_buyer(
    payment: Payment,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list]],
) -> None:
    order = order_of(payment)
    order_cancel(order=order, actor=None, reason="payment_timeout")

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(webhook_body(payment))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CLOSED
    assert ledger_kinds(order) == ["payment", "refund"]
    assert escrow_of(order) == Decimal("0")
    refunded = order.events.get(type="late_payment_refunded")
    assert refunded.data["amount"] == "56.00"
    charge = SandboxCharge.objects.get(reference=payment.provider_reference)
    assert (charge.status, charge.refunded_minor) == (SandboxCharge.Status.REFUNDED, 5600)
    assert_ledger_sound()


def test_a_second_payment_for_an_order_already_paid_goes_back_to_the_buyer(
    order_in: Callable[..., Order],
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list]],
) -> None:
    order = order_in()
    first = payment_create(buyer=order.buyer, order=order)
    second = payment_create(buyer=order.buyer, order=order)  # two pay pages open
    deliver(webhook_body(first))

    with django_capture_on_commit_callbacks(execute=True):
        deliver(webhook_body(second))

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert ledger_kinds(order) == ["payment", "payment", "refund"]
    assert escrow_of(order) == Decimal("56.00")
    assert SandboxCharge.objects.get(reference=second.provider_reference).status == "refunded"
    assert_ledger_sound()


def two_shop_checkout() -> list[Order]:
    basket = make_listing(title="Basket", price="25.00", shipping_fee="6.00")
    tea = make_listing(title="Tea", price="88.00")
    checkout = checkout_place(
        buyer=UserFactory(),
        lines=[CheckoutLine(basket.skus.get(), 1), CheckoutLine(tea.skus.get(), 1)],
    )
    return list(checkout.orders.order_by("total"))


def test_one_payment_for_a_checkout_of_two_shops_pays_both_orders() -> None:
    orders = two_shop_checkout()
    payment = payment_create(buyer=orders[0].buyer, checkout=orders[0].checkout)
    assert payment.amount == Decimal("119.00")

    deliver(webhook_body(payment))

    for order, escrow in zip(orders, [Decimal("31.00"), Decimal("88.00")], strict=True):
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert escrow_of(order) == escrow
    assert LedgerTransaction.objects.filter(payment=payment).count() == 2
    assert_ledger_sound()


def test_a_checkout_payment_refunds_the_share_of_an_order_closed_meanwhile(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list]],
) -> None:
    basket_order, tea_order = two_shop_checkout()
    payment = payment_create(buyer=basket_order.buyer, checkout=basket_order.checkout)
    order_cancel(order=basket_order, actor=basket_order.buyer)

    with django_capture_on_commit_callbacks(execute=True):
        deliver(webhook_body(payment))

    basket_order.refresh_from_db()
    tea_order.refresh_from_db()
    assert (basket_order.status, tea_order.status) == (Order.Status.CLOSED, Order.Status.PAID)
    assert (escrow_of(basket_order), escrow_of(tea_order)) == (Decimal("0"), Decimal("88.00"))
    charge = SandboxCharge.objects.get(reference=payment.provider_reference)
    assert charge.refunded_minor == 3100
    assert_ledger_sound()


def test_a_payment_for_one_order_of_a_checkout_leaves_the_other_unpaid() -> None:
    basket_order, tea_order = two_shop_checkout()

    payment = payment_create(buyer=tea_order.buyer, order=tea_order)
    deliver(webhook_body(payment))

    basket_order.refresh_from_db()
    tea_order.refresh_from_db()
    assert (basket_order.status, tea_order.status) == (
        Order.Status.AWAITING_PAYMENT,
        Order.Status.PAID,
    )
    rest = payment_create(buyer=basket_order.buyer, checkout=basket_order.checkout)
    assert rest.amount == Decimal("31.00")
    assert_ledger_sound()
