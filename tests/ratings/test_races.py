"""Ratings racing the clock and the nightly rebuild, each party on its own connection."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from escrow.models import Order
from ratings.exceptions import RatingWindowClosed
from ratings.models import BuyerCredit, Rating
from ratings.services.ratings import DSR, rating_revise, rating_submit, ratings_sweep
from ratings.services.rebuild import credit_rebuild
from tests.escrow.helpers import run_in_threads
from tests.factories import UserFactory, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order, rate_both

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


def sessions_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_two_orders_of_one_pair_published_at_once_count_as_one() -> None:
    # One buyer bought the same listing twice within 14 days and rated both orders; the seller
    # rates both back at the same moment. Each rating publishes its order's two sides, and the
    # seller's two goods fall in one 14-day period of the listing: together they earn one point.
    listing = make_listing(price="20.00", stock=100)
    rate_both(completed_order(UserFactory(), listing))  # the shop's figures row exists
    buyer = UserFactory()
    first, second = (completed_order(buyer, listing) for _ in range(2))
    for order in (first, second):
        rating_submit(order=order, rater=buyer, value=1, dsr=DSR(5, 5, 5))
    # Another session holds the shop's figures, so the first publication waits at its end,
    # after writing its ratings, while the second one starts.
    blocker = psycopg2.connect(**connection.get_connection_params())
    with blocker.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM ratings_sellercredit WHERE shop_id = %s FOR UPDATE", [listing.shop_id]
        )
    owner = listing.shop.owner
    results: list[object] = []

    def seller_rates(order: Order) -> None:
        try:
            results.append(rating_submit(order=order, rater=owner, value=1))
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=seller_rates, args=(order,)) for order in (first, second)]
    try:
        threads[0].start()
        wait_until(lambda: sessions_waiting_for_a_lock() == 1)
        threads[1].start()
        wait_until(lambda: sessions_waiting_for_a_lock() == 2)
    finally:
        blocker.rollback()
        blocker.close()
        for thread in threads:
            thread.join(timeout=10)

    assert all(isinstance(result, Rating) for result in results), results
    assert BuyerCredit.objects.get(user=buyer).score == 1
    assert_figures_sound()
