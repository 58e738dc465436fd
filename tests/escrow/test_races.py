"""Many buyers, notifications and clicks at the same moment, each on its own database connection.

Stock is never oversold and money never moves twice, whatever the interleaving. The negative
control swaps in a reservation without a lock and shows the oversell check catches it, so a
passing race test means something.
"""

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from escrow.conf import escrow_setting
from escrow.exceptions import UnpaidLimitReached
from escrow.ledger_check import ledger_problems
from escrow.models import LedgerAccount, LedgerTransaction, Order, OrderLine, Payment, SandboxCharge
from escrow.selectors import shop_balances
from escrow.services.orders import (
    CheckoutLine,
    checkout_place,
    order_cancel,
    order_confirm_receipt,
    order_ship,
)
from escrow.services.payments import payment_create
from marketplace.exceptions import InvalidTransition
from shops.exceptions import OutOfStock
from shops.models import SKU, Listing
from tests.escrow.helpers import WORKERS, deliver, pay, place, run_in_threads, webhook_body
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db(transaction=True)


def units_sold(sku: SKU) -> int:
    lines = OrderLine.objects.filter(sku=sku).exclude(order__status=Order.Status.CLOSED)
    return int(lines.aggregate(units=Sum("quantity"))["units"] or 0)


def stock_problems(sku: SKU, *, initial_stock: int) -> list[str]:
    """How the stock of a SKU that started with ``initial_stock`` units (its listing's only SKU)
    disagrees with the orders placed for it; empty when nothing was oversold or lost."""
    sold = units_sold(sku)
    left = SKU.objects.get(pk=sku.pk).stock
    listed = Listing.objects.get(pk=sku.listing_id).total_stock
    problems = []
    if sold > initial_stock:
        problems.append(f"oversold: {sold} units sold of {initial_stock}")
    if sold + left != initial_stock:
        problems.append(f"lost updates: {sold} sold + {left} left is not {initial_stock}")
    if listed != left:
        problems.append(f"the listing shows {listed} in stock, its SKU has {left}")
    return problems


def buyer_rush(sku: SKU, buyers: int, attempts_each: int) -> list[Any]:
    """``buyers`` buyers each try ``attempts_each`` single-unit checkouts, all interleaved."""
    attempts = [buyer for buyer in UserFactory.create_batch(buyers) for _ in range(attempts_each)]
    random.Random(1).shuffle(attempts)
    return run_in_threads(
        [partial(checkout_place, buyer=buyer, lines=[CheckoutLine(sku, 1)]) for buyer in attempts]
    )


def ready_sku(listing: Listing) -> SKU:
    """The SKU with everything checkout reads already loaded, safe to share between threads."""
    return SKU.objects.select_related("listing__shop", "listing__category").get(listing=listing)


def test_two_hundred_buyers_rushing_one_sku_buy_exactly_its_stock() -> None:
    per_buyer = escrow_setting("MAX_UNPAID_UNITS_PER_SKU")
    buyers, initial = 200, 1000
    assert buyers * per_buyer == initial  # every unit can sell, and no more
    sku = ready_sku(make_listing(stock=initial, price="9.90"))

    started = time.monotonic()
    results = buyer_rush(sku, buyers, attempts_each=per_buyer + 1)
    elapsed = time.monotonic() - started

    refusals = Counter(type(result) for result in results if isinstance(result, Exception))
    assert refusals == {UnpaidLimitReached: buyers}
    assert stock_problems(sku, initial_stock=initial) == []
    assert units_sold(sku) == initial
    assert SKU.objects.get(pk=sku.pk).stock == 0
    assert Listing.objects.get(pk=sku.listing_id).total_stock == 0
    held = (
        OrderLine.objects.filter(order__status=Order.Status.AWAITING_PAYMENT)
        .values("order__buyer")
        .annotate(units=Sum("quantity"))
    )
    assert max(row["units"] for row in held) <= per_buyer
    assert ledger_problems() == []
    print(f"{len(results)} checkouts on {WORKERS} threads in {elapsed:.1f} s")
    assert elapsed < 40


# The classic mistake, in place of the real reservation: read, think, write back what was read
# minus what was taken.
RESERVE_WITHOUT_A_LOCK = """
CREATE OR REPLACE FUNCTION shops_stock_reserve(p_listing bigint, p_sku bigint, p_quantity integer)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    left_in_stock integer;
    listed integer;
BEGIN
    SELECT stock INTO left_in_stock FROM shops_sku WHERE id = p_sku;
    IF left_in_stock < p_quantity THEN
        RETURN false;
    END IF;
    PERFORM pg_sleep(0.001);
    SELECT total_stock INTO listed FROM shops_listing WHERE id = p_listing;
    UPDATE shops_listing SET total_stock = listed - p_quantity WHERE id = p_listing;
    UPDATE shops_sku SET stock = left_in_stock - p_quantity WHERE id = p_sku;
    RETURN true;
END;
$$;
"""


@pytest.fixture
def reservation_without_a_lock() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('shops_stock_reserve'::regproc)")
        (real_reservation,) = cursor.fetchone()
        cursor.execute(RESERVE_WITHOUT_A_LOCK)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(real_reservation)


@pytest.mark.usefixtures("reservation_without_a_lock")
def test_the_oversell_check_catches_a_reservation_without_a_lock() -> None:
    initial = 100
    sku = ready_sku(make_listing(stock=initial))

    buyer_rush(sku, buyers=60, attempts_each=3)

    problems = stock_problems(sku, initial_stock=initial)
    assert problems, "the race test could not tell a broken reservation from a sound one"
    print("\n".join(problems))


def test_the_same_rush_with_the_real_reservation_sells_the_stock_exactly_once() -> None:
    initial = 100
    sku = ready_sku(make_listing(stock=initial))

    results = buyer_rush(sku, buyers=60, attempts_each=3)

    assert stock_problems(sku, initial_stock=initial) == []
    assert units_sold(sku) == initial
    assert Counter(type(result) for result in results if isinstance(result, Exception)) == {
        OutOfStock: 60 * 3 - initial
    }


def test_one_buyer_checking_out_in_many_tabs_at_once_keeps_the_unpaid_order_limit() -> None:
    limit = escrow_setting("MAX_UNPAID_ORDERS")
    shop = make_listing().shop
    skus = [ready_sku(make_listing(shop, title=f"Item {n}")) for n in range(limit + 5)]
    buyer = UserFactory()

    results = run_in_threads(
        [partial(checkout_place, buyer=buyer, lines=[CheckoutLine(sku, 1)]) for sku in skus]
    )

    assert Counter(type(result) for result in results if isinstance(result, Exception)) == {
        UnpaidLimitReached: 5
    }
    assert buyer.orders.filter(status=Order.Status.AWAITING_PAYMENT).count() == limit


def test_cancelling_twice_at_once_returns_the_stock_once() -> None:
    order = place(UserFactory(), make_listing(stock=10), quantity=2)

    results = run_in_threads([partial(order_cancel, order=order, actor=order.buyer)] * 2)

    assert [result.status for result in results] == [Order.Status.CLOSED] * 2
    line = order.lines.select_related("sku", "listing").get()
    assert (line.sku.stock, line.listing.total_stock) == (10, 10)
    assert order.events.filter(type="closed").count() == 1


def test_confirming_receipt_twice_at_once_pays_the_seller_once() -> None:
    order = place(UserFactory(), make_listing(price="25.00", shipping_fee="6.00"), quantity=2)
    pay(order)
    order_ship(order=order, actor=order.shop.owner, carrier="SF", tracking_number="SF1")

    results = run_in_threads(
        [partial(order_confirm_receipt, order=order, actor=order.buyer) for _ in range(2)]
    )

    assert [result.status for result in results] == [Order.Status.COMPLETED] * 2
    assert LedgerTransaction.objects.filter(order=order, kind="release").count() == 1
    assert shop_balances(shop=order.shop)["available"] == Decimal("56.00")
    assert list(order.events.filter(type="completed").values_list("type", flat=True)) == [
        "completed"
    ]
    assert ledger_problems() == []


def after(delay: float, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
    """The call, made ``delay`` seconds after its thread starts it: varies who wins a race."""

    def delayed() -> Any:
        time.sleep(delay)
        return call(*args, **kwargs)

    return delayed


def test_cancelling_while_the_money_arrives_ends_paid_or_refunded_never_both() -> None:
    listing = make_listing(price="25.00", stock=50)
    orders = [place(UserFactory(), listing) for _ in range(10)]
    payments = [payment_create(buyer=order.buyer, order=order) for order in orders]
    pay(place(UserFactory(), listing))  # the marketplace has taken money before
    jitter = random.Random(2)
    calls: list[Callable[[], Any]] = []
    for order, payment in zip(orders, payments, strict=True):
        # A delivery takes some 40 ms through the web stack; the cancel is given a head start
        # or a handicap so that either may win.
        cancel_delay = jitter.uniform(0, 0.08)
        calls.append(after(cancel_delay, order_cancel, order=order, actor=order.buyer))
        calls.append(partial(deliver, webhook_body(payment)))

    results = run_in_threads(calls)

    assert all(
        isinstance(result, InvalidTransition) or not isinstance(result, Exception)
        for result in results
    )
    outcomes: Counter[str] = Counter()
    for order, payment in zip(orders, payments, strict=True):
        order.refresh_from_db()
        kinds = list(order.ledger_transactions.order_by("pk").values_list("kind", flat=True))
        charge = SandboxCharge.objects.get(reference=payment.provider_reference)
        escrow = LedgerAccount.objects.get(kind=LedgerAccount.Kind.ESCROW, order=order).balance
        if order.status == Order.Status.PAID:
            assert (kinds, escrow) == (["payment"], Decimal("25.00"))
            assert charge.refunded_minor == 0
        else:
            assert order.status == Order.Status.CLOSED
            assert (kinds, escrow) == (["payment", "refund"], Decimal("0"))
            assert order.events.filter(type="late_payment_refunded").count() == 1
            assert (charge.status, charge.refunded_minor) == ("refunded", 2500)
        outcomes[order.status] += 1
    paid = outcomes[Order.Status.PAID]
    assert shop_balances(shop=listing.shop)["in_escrow"] == Decimal("25.00") * (paid + 1)
    assert SKU.objects.get(listing=listing).stock == 50 - paid - 1
    assert Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == len(orders) + 1
    assert ledger_problems() == []
    print(f"outcomes: {dict(outcomes)}")


def test_one_notification_delivered_several_times_at_once_moves_money_once() -> None:
    order = place(UserFactory(), make_listing(price="25.00"))
    payment = payment_create(buyer=order.buyer, order=order)
    body = webhook_body(payment)

    responses = run_in_threads([partial(deliver, body) for _ in range(4)])

    assert [response.status_code for response in responses] == [200] * 4
    assert sorted(response.json()["status"] for response in responses) == [
        "duplicate",
        "duplicate",
        "duplicate",
        "processed",
    ]
    assert LedgerTransaction.objects.filter(order=order).count() == 1
    assert shop_balances(shop=order.shop)["in_escrow"] == Decimal("25.00")
    assert ledger_problems() == []


def test_different_success_notifications_at_once_move_money_once() -> None:
    order = place(UserFactory(), make_listing(price="25.00"))
    payment = payment_create(buyer=order.buyer, order=order)

    responses = run_in_threads([partial(deliver, webhook_body(payment)) for _ in range(4)])

    assert [response.status_code for response in responses] == [200] * 4
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert LedgerTransaction.objects.filter(order=order).count() == 1
    assert order.events.filter(type="paid").count() == 1
    assert ledger_problems() == []
