"""Ratings racing the clock and the nightly rebuild, each party on its own connection."""

import time
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from escrow.models import Order
from ratings.exceptions import RatingWindowClosed
from ratings.models import Rating
from ratings.services.ratings import DSR, rating_revise, rating_submit, ratings_sweep
from ratings.services.rebuild import credit_rebuild
from tests.escrow.helpers import run_in_threads
from tests.factories import UserFactory, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_both_sides_rating_as_the_window_closes_end_consistently() -> None:
    listing = make_listing(price="20.00", stock=100)
    closes_in = timedelta(seconds=1)
    window = timedelta(days=15)
    orders = [
        completed_order(UserFactory(), listing, completed_at=timezone.now() - window + closes_in)
        for _ in range(15)
    ]

    def at_the_close(call: partial[object]) -> object:
        time.sleep(max(0.0, closes_in.total_seconds() - 0.05))
        return call()

    calls = []
    for order in orders:
        calls.append(
            partial(
                at_the_close,
                partial(rating_submit, order=order, rater=order.buyer, value=1, dsr=DSR(5, 5, 5)),
            )
        )
        calls.append(
            partial(
                at_the_close, partial(rating_submit, order=order, rater=order.shop.owner, value=1)
            )
        )
        calls.append(partial(at_the_close, ratings_sweep))
    results = run_in_threads(calls, workers=12)
    time.sleep(0.2)
    ratings_sweep()  # whatever the last sweep missed

    failures = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, RatingWindowClosed) for r in failures), failures
    for order in orders:
        sides = list(Rating.objects.filter(order=order).values_list("role", "status", "is_default"))
        assert len({role for role, _, _ in sides}) == len(sides)  # one rating per side
        assert all(status == "published" for _, status, _ in sides)
        assert len(sides) in (0, 2)  # a good rating by one side brings a default from the other
    assert_figures_sound()


def test_revising_while_the_nightly_rebuild_runs_leaves_sound_figures() -> None:
    listing = make_listing(price="20.00", stock=300)
    ratings = []
    for n in range(60):
        order = completed_order(UserFactory(), make_listing(listing.shop, price="20.00"))
        rating_submit(order=order, rater=order.buyer, value=-1, dsr=DSR(1, 1, 1))
        rating_submit(order=order, rater=order.shop.owner, value=1)
        ratings.append(Rating.objects.get(order=order, role=Rating.Role.BY_BUYER))
        assert n >= 0
    revisions = [partial(rating_revise, rating=r, rater=r.buyer) for r in ratings]

    results = run_in_threads(
        [credit_rebuild, *revisions[:30], credit_rebuild, *revisions[30:]], workers=8
    )

    errors = [str(r) for r in results if isinstance(r, Exception)]
    assert not errors, errors[0]
    assert Rating.objects.filter(role="by_buyer", value=1, counted=True).count() == 60
    listing.shop.refresh_from_db()
    assert listing.shop.credit_score == 60
    assert_figures_sound()


def test_many_pairs_rating_one_shop_at_once_add_up() -> None:
    listing = make_listing(price="20.00", stock=100)
    orders: list[Order] = [completed_order(UserFactory(), listing) for _ in range(40)]
    calls = [
        partial(rating_submit, order=order, rater=rater, value=1, dsr=dsr)
        for order in orders
        for rater, dsr in ((order.buyer, DSR(4, 5, 5)), (order.shop.owner, None))
    ]

    results = run_in_threads(calls)

    assert not [r for r in results if isinstance(r, Exception)]
    listing.shop.refresh_from_db()
    assert listing.shop.credit_score == 40
    assert_figures_sound()
