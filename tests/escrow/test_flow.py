"""The whole purchase: checkout, payment into escrow, shipping, confirmation, release."""

from decimal import Decimal

import pytest

from escrow.models import LedgerAccount, Order
from escrow.selectors import shop_balances
from escrow.services.orders import order_confirm_receipt, order_ship
from shops.models import Category
from tests.escrow.helpers import assert_ledger_sound, pay, place
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db


def test_a_purchase_from_checkout_to_release_pays_the_seller_once() -> None:
    listing = make_listing(price="25.00", stock=10, shipping_fee="6.00")
    Category.objects.filter(pk=listing.category_id).update(commission_rate=Decimal("0.02"))
    buyer = UserFactory()

    order = place(buyer, listing, quantity=2)
    assert (order.goods_total, order.shipping_total, order.total) == (
        Decimal("50.00"),
        Decimal("6.00"),
        Decimal("56.00"),
    )
    listing.refresh_from_db()
    assert listing.skus.get().stock == 8
    assert listing.total_stock == 8

    pay(order)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert shop_balances(shop=listing.shop)["in_escrow"] == Decimal("56.00")

    order_ship(order=order, actor=listing.shop.owner, carrier="SF Express", tracking_number="SF1")
    order_confirm_receipt(order=order, actor=buyer)
    order_confirm_receipt(order=order, actor=buyer)

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    balances = shop_balances(shop=listing.shop)
    assert balances == {
        "available": Decimal("55.00"),
        "payout_pending": Decimal("0"),
        "in_escrow": Decimal("0.00"),
    }
    commission = LedgerAccount.objects.get(kind="platform_commission")
    assert commission.balance == Decimal("1.00")
    assert [event.type for event in order.events.all()] == [
        "placed",
        "payment_started",
        "paid",
        "shipped",
        "completed",
    ]
    assert_ledger_sound()
