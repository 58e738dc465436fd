"""Rating a completed order: who may, when, double-blind publishing, default ratings, replies,
revisions — and the 2011 attack, where a crowd of unpaid orders tries to sink a shop."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from escrow.models import Order
from escrow.services.orders import order_cancel
from marketplace.exceptions import InvalidTransition, NotFoundError, PermissionDeniedError
from ratings.exceptions import AlreadyRated, NotRateable, RatingWindowClosed
from ratings.models import BuyerCredit, Rating, SellerCredit
from ratings.services.ratings import (
    DSR,
    rating_reply,
    rating_revise,
    rating_submit,
    rating_window_close,
    ratings_sweep,
)
from shops.models import Listing
from tests.escrow.helpers import pay, place
from tests.factories import UserFactory, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order

pytestmark = pytest.mark.django_db

GOOD, NEUTRAL, BAD = 1, 0, -1
FIVES = DSR(5, 5, 5)


@pytest.fixture
def order() -> Order:
    return completed_order(UserFactory(), make_listing(price="20.00"))


def by_buyer(order: Order, value: int = GOOD, **extra: object) -> Rating:
    return rating_submit(order=order, rater=order.buyer, value=value, dsr=FIVES, **extra)  # type: ignore[arg-type]


def by_seller(order: Order, value: int = GOOD) -> Rating:
    return rating_submit(order=order, rater=order.shop.owner, value=value)


def refreshed(rating: Rating) -> Rating:
    rating.refresh_from_db()
    return rating


# --- Who may rate, and when -------------------------------------------------------------------


def unpaid(listing: Listing) -> Order:
    return place(UserFactory(), listing)


def paid(listing: Listing) -> Order:
    order = unpaid(listing)
    pay(order)
    order.refresh_from_db()
    return order


def cancelled(listing: Listing) -> Order:
    order = unpaid(listing)
    return order_cancel(order=order, actor=order.buyer)


@pytest.mark.parametrize("make", [unpaid, paid, cancelled])
def test_only_a_completed_order_can_be_rated(make: object) -> None:
    order = make(make_listing(price="20.00", stock=5))  # type: ignore[operator]

    with pytest.raises(NotRateable) as refused:
        by_buyer(order)

    assert refused.value.extra == {"status": order.status}
    assert not Rating.objects.exists()


def test_a_refunded_order_cannot_be_rated(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CLOSED, close_reason="refund")

    with pytest.raises(NotRateable):
        by_seller(order)


def test_a_stranger_cannot_rate_an_order(order: Order) -> None:
    with pytest.raises(NotFoundError):
        rating_submit(order=order, rater=UserFactory(), value=GOOD)


def test_each_side_rates_once(order: Order) -> None:
    by_buyer(order)

    with pytest.raises(AlreadyRated):
        by_buyer(order, value=BAD)


@pytest.mark.parametrize(
    ("after", "allowed"), [(timedelta(days=15), True), (timedelta(days=15, seconds=1), False)]
)
def test_the_rating_window_is_fifteen_days_from_completion(
    order: Order, after: timedelta, allowed: bool
) -> None:
    assert order.completed_at is not None
    with time_machine.travel(order.completed_at + after, tick=False):
        if allowed:
            assert by_buyer(order).status == Rating.Status.PENDING
        else:
            with pytest.raises(RatingWindowClosed):
                by_buyer(order)


@pytest.mark.parametrize(
    ("rater", "value", "comment", "dsr", "field"),
    [
        ("buyer", GOOD, "", None, "dsr"),
        ("buyer", GOOD, "", DSR(0, 5, 5), "dsr_described"),
        ("buyer", GOOD, "", DSR(5, 6, 5), "dsr_attitude"),
        ("seller", GOOD, "", FIVES, "dsr"),
        ("seller", 2, "", None, "value"),
        ("seller", GOOD, "x" * 501, None, "comment"),
    ],
)
def test_bad_input_is_refused_field_by_field(
    order: Order, rater: str, value: int, comment: str, dsr: DSR | None, field: str
) -> None:
    user = order.buyer if rater == "buyer" else order.shop.owner

    with pytest.raises(ValidationError) as refused:
        rating_submit(order=order, rater=user, value=value, comment=comment, dsr=dsr)

    assert field in refused.value.message_dict
    assert not Rating.objects.exists()


# --- Double-blind -----------------------------------------------------------------------------


def test_a_rating_stays_hidden_until_the_other_side_rates(order: Order) -> None:
    buyers = by_buyer(order, comment="Fresh tea, well packed.")
    assert (buyers.status, buyers.counted) == (Rating.Status.PENDING, False)
    assert not SellerCredit.objects.filter(shop=order.shop, score__gt=0).exists()

    sellers = by_seller(order)

    assert refreshed(buyers).status == refreshed(sellers).status == Rating.Status.PUBLISHED
    assert SellerCredit.objects.get(shop=order.shop).score == 1
    assert BuyerCredit.objects.get(user=order.buyer).score == 1
    assert_figures_sound()


def test_at_window_end_a_good_rating_earns_its_rater_a_default_good(order: Order) -> None:
    buyers = by_buyer(order)

    with time_machine.travel(buyers.window_ends_at, tick=False):
        assert ratings_sweep() == 1

    default = Rating.objects.get(order=order, role=Rating.Role.BY_SELLER)
    assert (default.is_default, default.rater, default.value) == (True, None, GOOD)
    assert (default.counted, default.has_dsr) == (True, False)
    assert refreshed(buyers).status == Rating.Status.PUBLISHED
    assert BuyerCredit.objects.get(user=order.buyer).score == 1
    assert_figures_sound()


@pytest.mark.parametrize("value", [NEUTRAL, BAD])
def test_a_neutral_or_bad_rating_is_published_alone_at_window_end(order: Order, value: int) -> None:
    sellers = by_seller(order, value=value)

    with time_machine.travel(sellers.window_ends_at, tick=False):
        ratings_sweep()

    assert refreshed(sellers).status == Rating.Status.PUBLISHED
    assert Rating.objects.filter(order=order).count() == 1


def test_before_the_window_ends_nothing_is_published(order: Order) -> None:
    buyers = by_buyer(order)

    with time_machine.travel(buyers.window_ends_at - timedelta(seconds=1), tick=False):
        assert rating_window_close(order=order) == []

    assert refreshed(buyers).status == Rating.Status.PENDING


# --- Replies and revisions --------------------------------------------------------------------


def test_the_rated_side_replies_once(order: Order) -> None:
    buyers, _ = by_buyer(order, value=NEUTRAL), by_seller(order)

    rating_reply(rating=buyers, user=order.shop.owner, text="Sorry — we will pack better.")

    assert refreshed(buyers).reply == "Sorry — we will pack better."
    with pytest.raises(InvalidTransition):
        rating_reply(rating=buyers, user=order.shop.owner, text="And another thing.")
    with pytest.raises(PermissionDeniedError):
        rating_reply(rating=buyers, user=order.buyer, text="Replying to myself.")


def test_a_hidden_rating_cannot_be_answered(order: Order) -> None:
    with pytest.raises(InvalidTransition):
        rating_reply(rating=by_buyer(order), user=order.shop.owner, text="Thanks!")


def test_a_bad_rating_may_once_become_good_within_thirty_days(order: Order) -> None:
    buyers, _ = by_buyer(order, value=BAD), by_seller(order)
    assert SellerCredit.objects.get(shop=order.shop).score == -1

    with time_machine.travel(buyers.rated_at + timedelta(days=30), tick=False):
        revised = rating_revise(rating=buyers, rater=order.buyer)

    assert (revised.value, revised.original_value) == (GOOD, BAD)
    assert SellerCredit.objects.get(shop=order.shop).score == 1
    with pytest.raises(InvalidTransition):
        rating_revise(rating=revised, rater=order.buyer, delete=True)
    assert_figures_sound()


def test_after_thirty_days_a_rating_stays_as_it_is(order: Order) -> None:
    buyers, _ = by_buyer(order, value=NEUTRAL), by_seller(order)

    with (
        time_machine.travel(buyers.rated_at + timedelta(days=30, seconds=1), tick=False),
        pytest.raises(RatingWindowClosed),
    ):
        rating_revise(rating=buyers, rater=order.buyer)


def test_a_good_rating_cannot_be_revised_and_a_bad_one_can_be_deleted(order: Order) -> None:
    buyers, sellers = by_buyer(order), by_seller(order, value=BAD)
    with pytest.raises(InvalidTransition):
        rating_revise(rating=buyers, rater=order.buyer)

    deleted = rating_revise(rating=sellers, rater=order.shop.owner, delete=True)

    assert (deleted.status, deleted.counted, deleted.count_note) == ("deleted", False, "deleted")
    assert BuyerCredit.objects.get(user=order.buyer).score == 0
    assert_figures_sound()


# --- The 2011 attack --------------------------------------------------------------------------


def test_a_crowd_of_unpaid_orders_cannot_rate_and_the_shop_does_not_move() -> None:
    """In 2011 crowds placed orders they never paid to leave bad ratings. Here nobody can rate
    an order that was not paid and confirmed."""
    listing = make_listing(price="20.00", stock=100)
    honest = completed_order(UserFactory(), listing)
    by_buyer(honest)
    by_seller(honest)
    shop = listing.shop
    shop.refresh_from_db()
    before = (shop.credit_score, shop.credit_level, shop.good_rate)
    crowd = [unpaid(listing) for _ in range(20)]
    for order in crowd[:10]:
        order_cancel(order=order, actor=order.buyer)

    refused = 0
    for order in crowd:
        try:
            rating_submit(order=order, rater=order.buyer, value=BAD, dsr=DSR(1, 1, 1))
        except NotRateable:
            refused += 1

    assert refused == 20
    assert Rating.objects.filter(value=BAD).count() == 0
    shop.refresh_from_db()
    assert (shop.credit_score, shop.credit_level, shop.good_rate) == before
    assert_figures_sound()
