"""Checkout and the order state machine: every edge of ``ORDER_TRANSITIONS``, legal or not."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django.fixtures import Settings

from escrow.conf import escrow_setting
from escrow.exceptions import CartEmpty, NothingToPay, Unavailable, UnpaidLimitReached
from escrow.models import ORDER_TRANSITIONS, CartItem, LedgerAccount, Order
from escrow.selectors import shop_balances
from escrow.services.orders import (
    CheckoutLine,
    cart_item_set,
    checkout_place,
    order_cancel,
    order_confirm_receipt,
    order_extend_confirmation,
    order_ship,
)
from escrow.services.payments import payment_create
from escrow.services.refunds import refund_agree, refund_request
from marketplace.exceptions import ConflictError, InvalidTransition, PermissionDeniedError
from shops.exceptions import OutOfStock
from shops.models import Category, Listing
from shops.services.listings import listing_delist, listing_update
from tests.escrow.helpers import assert_ledger_sound, deliver, pay, place, webhook_body
from tests.factories import ShopFactory, UserFactory, listing_input, make_category, make_listing

pytestmark = pytest.mark.django_db

Status = Order.Status
NothingChanges = Callable[..., AbstractContextManager[None]]

LEGAL = [
    (source, action) for action, (sources, _) in ORDER_TRANSITIONS.items() for source in sources
]
REPEATED = [
    (target, action)
    for action, (sources, target) in ORDER_TRANSITIONS.items()
    if target not in sources
]
ILLEGAL = [
    (status, action)
    for action, (sources, target) in ORDER_TRANSITIONS.items()
    for status in Status
    if status not in sources and status != target
]
EVENT_OF = {
    "pay": ["payment_started", "paid"],
    "cancel": ["closed"],
    "ship": ["shipped"],
    "confirm_receipt": ["completed"],
    "extend": ["confirmation_extended"],
    "refund": ["refund_requested", "refund_agreed", "refunded", "closed"],
}
PAID_CANCEL_EVENTS = ["refunded", "closed"]  # the seller missed the deadline: a full refund


def act(order: Order, action: str) -> Order:
    """What the buyer, the seller or the payment provider does to take an edge."""
    if action == "pay":
        payment = payment_create(buyer=order.buyer, order=order)
        assert deliver(webhook_body(payment)).status_code == 200
    elif action == "cancel":
        if order.status == Status.PAID:  # only once the seller has missed the shipping deadline
            assert order.ship_deadline is not None
            with time_machine.travel(order.ship_deadline + timedelta(seconds=1)):
                order_cancel(order=order, actor=order.buyer)
        else:
            order_cancel(order=order, actor=order.buyer)
    elif action == "ship":
        order_ship(order=order, actor=order.shop.owner, carrier="SF", tracking_number="SF100")
    elif action == "extend":
        order_extend_confirmation(order=order, actor=order.buyer, days=3)
    elif action == "refund":  # the whole amount, no return, and the seller agrees
        refund = refund_request(
            order=order,
            buyer=order.buyer,
            reason="not_as_described",
            amount=order.total,
            with_return=False,
        )
        refund_agree(refund=refund, actor=order.shop.owner)
    else:
        order_confirm_receipt(order=order, actor=order.buyer)
    order.refresh_from_db()
    return order


def repeat(order: Order, action: str) -> Order:
    """The same action again: a double click, a retried request, a re-sent notification."""
    if action == "pay":
        payment = order.payments.get()
        assert deliver(webhook_body(payment)).status_code == 200
    elif action == "refund":
        refund_agree(refund=order.refunds.get(), actor=order.shop.owner)
    else:
        return act(order, action)
    order.refresh_from_db()
    return order


def shipped(order: Order) -> Order:
    pay(order)
    return order_ship(order=order, actor=order.shop.owner, carrier="SF", tracking_number="SF1")


def stock_of(order: Order) -> tuple[int, int]:
    line = order.lines.select_related("sku", "listing").get()
    return line.sku.stock, line.listing.total_stock


# --- The state machine ------------------------------------------------------------------------


def test_the_table_has_every_edge_the_domain_names() -> None:
    assert set(ORDER_TRANSITIONS) == {
        "pay",
        "cancel",
        "ship",
        "confirm_receipt",
        "extend",
        "refund",
    }
    assert len(LEGAL) + len(REPEATED) + len(ILLEGAL) == len(ORDER_TRANSITIONS) * len(Status)


# Money and stock after each legal edge, for an order of 2 × 25.00 + 6.00 shipping (stock 10):
# in escrow, available to the seller, and stock (SKU, listing). Goods that never left the seller
# come back on sale when the order closes; goods already sent do not.
TOTAL = Decimal("56.00")
AFTER_LEGAL_EDGE = {
    ("awaiting_payment", "pay"): (TOTAL, 0, (8, 8)),
    ("awaiting_payment", "cancel"): (0, 0, (10, 10)),
    ("paid", "cancel"): (0, 0, (10, 10)),
    ("paid", "ship"): (TOTAL, 0, (8, 8)),
    ("shipped", "confirm_receipt"): (0, TOTAL, (8, 8)),
    ("shipped", "extend"): (TOTAL, 0, (8, 8)),
    ("paid", "refund"): (0, 0, (10, 10)),
    ("shipped", "refund"): (0, 0, (8, 8)),
}


@pytest.mark.parametrize(("status", "action"), LEGAL)
def test_a_legal_edge_moves_the_order_and_its_money(
    order_in: Callable[..., Order], status: str, action: str
) -> None:
    order = order_in(status)
    events_before = list(order.events.values_list("type", flat=True))

    order = act(order, action)

    assert order.status == ORDER_TRANSITIONS[action][1]
    events = PAID_CANCEL_EVENTS if (status, action) == ("paid", "cancel") else EVENT_OF[action]
    assert list(order.events.values_list("type", flat=True)) == [*events_before, *events]
    balances = shop_balances(shop=order.shop)
    in_escrow, available, stock = AFTER_LEGAL_EDGE[status, action]
    assert (balances["in_escrow"], balances["available"]) == (in_escrow, available)
    assert stock_of(order) == stock
    assert_ledger_sound()


@pytest.mark.parametrize(("status", "action"), REPEATED)
def test_repeating_an_action_that_reached_its_target_changes_nothing(
    order_in: Callable[..., Order], nothing_changes: NothingChanges, status: str, action: str
) -> None:
    order = order_in(status)
    if action == "refund":
        order = act(order_in(Status.PAID), "refund")

    with nothing_changes("webhook events"):  # a re-sent notification is kept, and ignored
        again = repeat(order, action)

    assert again.status == status
    assert_ledger_sound()


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_an_illegal_edge_is_refused_and_changes_nothing(
    order_in: Callable[..., Order], nothing_changes: NothingChanges, status: str, action: str
) -> None:
    order = order_in(status)
    refusal = NothingToPay if action == "pay" else InvalidTransition

    with nothing_changes(), pytest.raises(refusal) as refused:
        act(order, action)

    assert isinstance(refused.value, ConflictError)  # 409 for the API
    order.refresh_from_db()
    assert order.status == status


def test_a_paid_order_cannot_be_cancelled_while_the_seller_still_has_time_to_ship(
    order_in: Callable[..., Order], nothing_changes: NothingChanges
) -> None:
    order = order_in(Status.PAID)
    assert order.ship_deadline is not None
    assert order.paid_at is not None
    assert order.ship_deadline == order.paid_at + escrow_setting("SHIP_WITHIN")

    with (
        time_machine.travel(order.ship_deadline - timedelta(seconds=1)),
        nothing_changes(),
        pytest.raises(InvalidTransition) as refused,
    ):
        order_cancel(order=order, actor=order.buyer)

    assert refused.value.code == "ship_deadline_not_passed"


def test_shipping_again_with_another_tracking_number_is_refused(
    order_in: Callable[..., Order], nothing_changes: NothingChanges
) -> None:
    order = order_in(Status.SHIPPED)

    with nothing_changes(), pytest.raises(InvalidTransition):
        order_ship(order=order, actor=order.shop.owner, carrier="EMS", tracking_number="EMS7")

    order.refresh_from_db()
    assert (order.carrier, order.tracking_number) == ("SF", "SF100")


def test_a_parcel_needs_a_carrier_and_a_tracking_number(
    order_in: Callable[..., Order], nothing_changes: NothingChanges
) -> None:
    order = order_in(Status.PAID)

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        order_ship(order=order, actor=order.shop.owner, carrier=" ", tracking_number="")

    assert set(refused.value.message_dict) == {"carrier", "tracking_number"}


def test_virtual_goods_ship_without_a_tracking_number(order_in: Callable[..., Order]) -> None:
    order = order_in(Status.PAID, shipping_method="virtual")

    shipped = order_ship(order=order, actor=order.shop.owner, carrier="", tracking_number="")

    assert shipped.status == Status.SHIPPED


# --- Checkout ---------------------------------------------------------------------------------


def test_checkout_makes_one_order_per_shop_and_keeps_a_snapshot_of_what_was_bought() -> None:
    tea = make_listing(title="Longjing tea", price="88.00", shipping_fee="10.00")
    basket = make_listing(
        title="Bamboo basket", variants={"Size": ["S", "L"]}, price="25.00", shipping_fee="6.00"
    )
    mat = make_listing(basket.shop, title="Straw mat", price="12.50", shipping_fee="4.00")
    small, large = basket.skus.order_by("position")
    buyer = UserFactory()

    checkout = checkout_place(
        buyer=buyer,
        lines=[
            CheckoutLine(tea.skus.get(), 1),
            CheckoutLine(small, 2),
            CheckoutLine(large, 1),
            CheckoutLine(mat.skus.get(), 3),
        ],
    )
    listing_update(
        listing=basket,
        actor=basket.shop.owner,
        data=listing_input(
            title="Bamboo basket, new weave",
            category=basket.category,
            variants={"Size": ["S", "L"]},
            price="30.00",
        ),
    )

    orders = {order.shop_id: order for order in checkout.orders.all()}
    assert set(orders) == {tea.shop_id, basket.shop_id}
    basket_order, tea_order = orders[basket.shop_id], orders[tea.shop_id]
    # The basket's fee counts once for both sizes; each listing's fee once per order.
    assert (basket_order.goods_total, basket_order.shipping_total, basket_order.total) == (
        Decimal("112.50"),
        Decimal("10.00"),
        Decimal("122.50"),
    )
    assert (tea_order.goods_total, tea_order.shipping_total, tea_order.total) == (
        Decimal("88.00"),
        Decimal("10.00"),
        Decimal("98.00"),
    )
    assert list(basket_order.lines.values_list("title", "sku_label", "unit_price", "quantity")) == [
        ("Bamboo basket", "Size: S", Decimal("25.00"), 2),
        ("Bamboo basket", "Size: L", Decimal("25.00"), 1),
        ("Straw mat", "", Decimal("12.50"), 3),
    ]
    assert [event.type for event in basket_order.events.all()] == ["placed"]


def test_the_slowest_shipping_method_sets_the_orders_clock() -> None:
    shop = ShopFactory()
    ebook = make_listing(shop, title="E-book", shipping_method="virtual")
    parcel = make_listing(shop, title="Parcel", shipping_method="post")

    checkout = checkout_place(
        buyer=UserFactory(),
        lines=[CheckoutLine(ebook.skus.get(), 1), CheckoutLine(parcel.skus.get(), 1)],
    )

    assert checkout.orders.get().shipping_method == "post"


def test_checking_out_the_cart_empties_it_and_no_one_elses() -> None:
    basket, mat = make_listing(title="Basket"), make_listing(title="Mat")
    buyer, neighbour = UserFactory(), UserFactory()
    cart_item_set(buyer=buyer, sku=basket.skus.get(), quantity=2)
    cart_item_set(buyer=buyer, sku=mat.skus.get(), quantity=1)
    cart_item_set(buyer=neighbour, sku=basket.skus.get(), quantity=1)

    checkout = checkout_place(buyer=buyer)

    assert sorted(checkout.orders.values_list("lines__title", "lines__quantity")) == [
        ("Basket", 2),
        ("Mat", 1),
    ]
    assert not CartItem.objects.filter(buyer=buyer).exists()
    assert CartItem.objects.filter(buyer=neighbour).count() == 1


def test_buying_one_item_directly_leaves_the_cart_as_it_was() -> None:
    basket, mat = make_listing(title="Basket"), make_listing(title="Mat")
    buyer = UserFactory()
    cart_item_set(buyer=buyer, sku=mat.skus.get(), quantity=1)

    place(buyer, basket)

    assert list(CartItem.objects.filter(buyer=buyer).values_list("sku", "quantity")) == [
        (mat.skus.get().pk, 1)
    ]


def test_an_empty_cart_cannot_be_checked_out(nothing_changes: NothingChanges) -> None:
    with nothing_changes(), pytest.raises(CartEmpty):
        checkout_place(buyer=UserFactory())


def test_checkout_is_all_or_nothing_when_a_later_line_is_short_of_stock(
    nothing_changes: NothingChanges,
) -> None:
    plenty = make_listing(title="Plenty", stock=10)
    scarce = make_listing(title="Scarce", stock=1)  # created later: reserved second
    buyer = UserFactory()
    cart_item_set(buyer=buyer, sku=plenty.skus.get(), quantity=2)
    cart_item_set(buyer=buyer, sku=scarce.skus.get(), quantity=2)

    with nothing_changes(), pytest.raises(OutOfStock):
        checkout_place(buyer=buyer)

    assert Order.objects.count() == 0
    assert plenty.skus.get().stock == 10
    assert Listing.objects.get(pk=plenty.pk).total_stock == 10


def test_checkout_refuses_a_cart_with_a_listing_no_longer_on_sale(
    nothing_changes: NothingChanges,
) -> None:
    basket, mat = make_listing(title="Basket"), make_listing(title="Mat")
    buyer = UserFactory()
    cart_item_set(buyer=buyer, sku=basket.skus.get(), quantity=1)
    cart_item_set(buyer=buyer, sku=mat.skus.get(), quantity=1)
    listing_delist(listing=mat, actor=mat.shop.owner)

    with nothing_changes(), pytest.raises(Unavailable) as refused:
        checkout_place(buyer=buyer)

    assert refused.value.extra == {"skus": {str(mat.skus.get().public_id): "no longer on sale"}}


def test_a_seller_cannot_buy_from_their_own_shop(nothing_changes: NothingChanges) -> None:
    listing = make_listing()

    with nothing_changes(), pytest.raises(PermissionDeniedError) as refused:
        place(listing.shop.owner, listing)

    assert refused.value.code == "own_shop"


def test_a_buyer_may_hold_only_so_many_unpaid_orders(nothing_changes: NothingChanges) -> None:
    limit = escrow_setting("MAX_UNPAID_ORDERS")
    per_sku = escrow_setting("MAX_UNPAID_UNITS_PER_SKU")
    shop = ShopFactory()
    listings = [make_listing(shop, title=f"Item {n}") for n in range(limit // per_sku + 2)]
    buyer = UserFactory()
    orders = [place(buyer, listings[n // per_sku]) for n in range(limit)]
    next_listing = listings[-1]

    with nothing_changes(), pytest.raises(UnpaidLimitReached) as refused:
        place(buyer, next_listing)
    assert refused.value.extra == {"limit": limit}

    pay(orders[0])
    place(buyer, next_listing)
    assert buyer.orders.filter(status=Status.AWAITING_PAYMENT).count() == limit


def test_a_checkout_of_two_shops_counts_two_orders_against_the_limit(
    nothing_changes: NothingChanges,
) -> None:
    limit = escrow_setting("MAX_UNPAID_ORDERS")
    buyer = UserFactory()
    first_shop, second_shop = ShopFactory(), ShopFactory()
    for _ in range(limit - 1):
        place(buyer, make_listing(first_shop))
    one, other = make_listing(first_shop), make_listing(second_shop)

    with nothing_changes(), pytest.raises(UnpaidLimitReached):
        checkout_place(
            buyer=buyer, lines=[CheckoutLine(one.skus.get(), 1), CheckoutLine(other.skus.get(), 1)]
        )

    order_cancel(order=buyer.orders.first(), actor=buyer)  # type: ignore[arg-type]
    assert (
        checkout_place(
            buyer=buyer, lines=[CheckoutLine(one.skus.get(), 1), CheckoutLine(other.skus.get(), 1)]
        ).orders.count()
        == 2
    )


def test_a_buyer_may_hold_only_so_many_unpaid_units_of_one_sku(
    nothing_changes: NothingChanges,
) -> None:
    limit = escrow_setting("MAX_UNPAID_UNITS_PER_SKU")
    listing = make_listing(stock=100)
    buyer = UserFactory()
    first = place(buyer, listing, quantity=limit - 1)
    place(buyer, listing, quantity=1)

    with nothing_changes(), pytest.raises(UnpaidLimitReached) as refused:
        place(buyer, listing, quantity=1)
    assert refused.value.code == "unpaid_units_limit_reached"
    assert refused.value.extra["limit"] == limit

    place(UserFactory(), listing, quantity=limit)  # another buyer is not held back
    pay(first)
    place(buyer, listing, quantity=limit - 1)


def test_the_unpaid_units_limit_comes_from_the_settings(
    settings: Settings, nothing_changes: NothingChanges
) -> None:
    settings.ESCROW_MAX_UNPAID_UNITS_PER_SKU = 2
    listing = make_listing(stock=100)
    buyer = UserFactory()
    place(buyer, listing, quantity=2)

    with nothing_changes(), pytest.raises(UnpaidLimitReached):
        place(buyer, listing, quantity=1)


def test_one_line_above_the_unpaid_units_limit_is_refused(nothing_changes: NothingChanges) -> None:
    limit = escrow_setting("MAX_UNPAID_UNITS_PER_SKU")
    listing = make_listing(stock=100)

    with nothing_changes(), pytest.raises(UnpaidLimitReached):
        place(UserFactory(), listing, quantity=limit + 1)


def test_cancelling_returns_the_stock_to_the_sku_and_the_listing(
    order_in: Callable[..., Order],
) -> None:
    order = order_in()
    assert stock_of(order) == (8, 8)

    order_cancel(order=order, actor=order.buyer)

    assert stock_of(order) == (10, 10)
    order.refresh_from_db()
    assert (order.status, order.close_reason) == (Status.CLOSED, "cancelled_by_buyer")


def test_cancelling_after_the_seller_removed_the_sku_gives_nothing_back() -> None:
    listing = make_listing(variants={"Size": ["S", "L"]}, stock=10)
    small = listing.skus.get(attributes={"Size": "S"})
    order = place(UserFactory(), listing, quantity=2, sku=small)
    listing_update(
        listing=listing,
        actor=listing.shop.owner,
        data=listing_input(category=listing.category, variants={"Size": ["L"]}, stock=10),
    )

    order_cancel(order=order, actor=order.buyer)

    small.refresh_from_db()
    listing.refresh_from_db()
    assert (small.is_active, small.stock, listing.total_stock) == (False, 0, 10)


def test_release_keeps_each_categorys_commission_rounded_to_the_fen() -> None:
    tea, baskets = make_category("Food", "Tea"), make_category("Home", "Baskets")
    Category.objects.filter(pk=tea.pk).update(commission_rate=Decimal("0.0333"))
    Category.objects.filter(pk=baskets.pk).update(commission_rate=Decimal("0.05"))
    shop = ShopFactory()
    leaf_tea = make_listing(shop, category=tea, price="33.33", shipping_fee="8.00")
    basket = make_listing(shop, category=baskets, price="19.99")
    checkout = checkout_place(
        buyer=UserFactory(),
        lines=[CheckoutLine(leaf_tea.skus.get(), 1), CheckoutLine(basket.skus.get(), 3)],
    )
    order = checkout.orders.get()
    # Staff change a rate after the sale: the rate of the day of purchase applies.
    Category.objects.filter(pk=tea.pk).update(commission_rate=Decimal("0.5"))

    order_confirm_receipt(order=shipped(order), actor=order.buyer)

    # 33.33 × 3.33% = 1.109889 → 1.11; 59.97 × 5% = 2.9985 → 3.00; no commission on shipping.
    assert order.total == Decimal("101.30")
    assert shop_balances(shop=shop)["available"] == Decimal("97.19")
    commission = LedgerAccount.objects.get(kind=LedgerAccount.Kind.PLATFORM_COMMISSION)
    assert commission.balance == Decimal("4.11")
    assert_ledger_sound()
