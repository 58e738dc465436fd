"""Fixtures of the escrow tests: orders brought into any state, and a record of everything a
failed action must leave as it was."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from escrow.models import (
    CartItem,
    Dispute,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Refund,
    SandboxCharge,
    WebhookEvent,
)
from escrow.services.orders import order_cancel, order_confirm_receipt, order_ship
from shops.models import SKU, Listing
from tests.escrow.helpers import pay, place
from tests.factories import UserFactory, make_listing


def marketplace_state() -> dict[str, Any]:
    """Everything a buyer, a seller or the finance team could see change."""
    return {
        "orders": sorted(
            Order.objects.values_list(
                "pk", "status", "tracking_number", "confirm_deadline", "confirm_time_left"
            )
        ),
        "refunds": sorted(Refund.objects.values_list("pk", "status", "deadline")),
        "disputes": sorted(Dispute.objects.values_list("pk", "decision")),
        "order lines": OrderLine.objects.count(),
        "order events": sorted(OrderEvent.objects.values_list("order", "type")),
        "ledger transactions": LedgerTransaction.objects.count(),
        "ledger entries": LedgerEntry.objects.count(),
        "balances": sorted(LedgerAccount.objects.values_list("kind", "order", "shop", "balance")),
        "sku stock": sorted(SKU.objects.values_list("pk", "stock")),
        "listing stock": sorted(Listing.objects.values_list("pk", "total_stock")),
        "payments": sorted(Payment.objects.values_list("pk", "status")),
        "sandbox charges": sorted(SandboxCharge.objects.values_list("pk", "status")),
        "webhook events": WebhookEvent.objects.count(),
        "carts": sorted(CartItem.objects.values_list("buyer", "sku", "quantity")),
    }


@pytest.fixture
def nothing_changes() -> Callable[..., AbstractContextManager[None]]:
    """``with nothing_changes(), pytest.raises(...):`` asserts the refused action left no trace
    (but for the parts of ``marketplace_state`` named as arguments)."""

    @contextmanager
    def check(*except_for: str) -> Iterator[None]:
        before = marketplace_state()
        yield
        after = marketplace_state()
        for name in except_for:
            del before[name], after[name]
        assert after == before

    return check


def bring_to(order: Order, status: str) -> Order:
    """Walk a freshly placed order through the real services until it is in ``status``."""
    if status == Order.Status.CLOSED:
        order_cancel(order=order, actor=order.buyer)
    elif status != Order.Status.AWAITING_PAYMENT:
        pay(order)
        if status in (Order.Status.SHIPPED, Order.Status.COMPLETED):
            order_ship(order=order, actor=order.shop.owner, carrier="SF", tracking_number="SF100")
        if status == Order.Status.COMPLETED:
            order_confirm_receipt(order=order, actor=order.buyer)
    order.refresh_from_db()
    assert order.status == status
    return order


@pytest.fixture
def order_in() -> Callable[..., Order]:
    """An order of one listing (2 × 25.00 + 6.00 shipping) in the given state."""

    def make(status: str = Order.Status.AWAITING_PAYMENT, **listing: Any) -> Order:
        options = {"price": "25.00", "stock": 10, "shipping_fee": "6.00", **listing}
        return bring_to(place(UserFactory(), make_listing(**options), quantity=2), status)

    return make
