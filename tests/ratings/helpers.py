"""Completed orders to rate, made quickly, and the check that figures equal a rebuild."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from escrow.models import Checkout, Order, OrderLine
from marketplace.accounts.models import User
from ratings.services.rebuild import credit_differences
from shops.models import Listing
from tests.factories import make_listing


def completed_order(
    buyer: User,
    listing: Listing | None = None,
    *,
    goods_total: str = "20.00",
    created_at: datetime | None = None,
    completed_at: datetime | None = None,
) -> Order:
    """A completed order of one line, written straight to the tables (the escrow flow that
    leads there is tested in tests/escrow; ratings only read the order)."""
    listing = listing or make_listing()
    now = timezone.now()
    total = Decimal(goods_total)
    order = Order.objects.create(
        checkout=Checkout.objects.create(buyer=buyer),
        buyer=buyer,
        shop=listing.shop,
        status=Order.Status.COMPLETED,
        goods_total=total,
        shipping_total=Decimal("0"),
        total=total,
        shipping_method="express",
        payment_deadline=now + timedelta(days=1),
        paid_at=now,
        shipped_at=now,
        completed_at=completed_at or now,
    )
    sku = listing.skus.first()
    assert sku is not None
    OrderLine.objects.create(
        order=order,
        sku=sku,
        listing=listing,
        title=listing.title,
        unit_price=total,
        quantity=1,
        line_total=total,
    )
    if created_at is not None:
        Order.objects.filter(pk=order.pk).update(created_at=created_at)
        order.created_at = created_at
    return order


def assert_figures_sound() -> None:
    problems = credit_differences()
    assert not problems, "\n".join(problems)


def rate_both(order: Order, value: int = 1, seller_value: int = 1) -> None:
    """Both sides rate: the ratings are published at once."""
    from ratings.services.ratings import DSR, rating_submit

    rating_submit(order=order, rater=order.buyer, value=value, dsr=DSR(5, 5, 5))
    rating_submit(order=order, rater=order.shop.owner, value=seller_value)
