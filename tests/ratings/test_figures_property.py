"""For any stream of orders, ratings, window ends, revisions and removals, the figures kept up to
date change by change equal a full rebuild from the ratings (and each rating's counting too)."""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escrow.models import Order
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError
from ratings.models import Rating
from ratings.services.ratings import (
    DSR,
    rating_remove,
    rating_revise,
    rating_submit,
    rating_window_close,
)
from ratings.services.rebuild import credit_rebuild
from shops.models import Listing
from tests.factories import ShopFactory, UserFactory, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order

pytestmark = pytest.mark.django_db

START = datetime(2026, 9, 20, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

new_order = st.tuples(
    st.just("order"),
    st.integers(0, 2),  # buyer
    st.integers(0, 3),  # listing (two shops, two listings each)
    st.integers(0, 40 * 24),  # hours after START: across month ends and 14-day periods
    st.booleans(),  # an order of 1.00 (earns nothing)
)
rate = st.tuples(
    st.just("rate"), st.integers(0, 30), st.booleans(), st.sampled_from([1, 1, 1, 0, -1])
)
close = st.tuples(st.just("close"), st.integers(0, 30))
revise = st.tuples(st.just("revise"), st.integers(0, 30), st.booleans(), st.booleans())
remove = st.tuples(st.just("remove"), st.integers(0, 30), st.booleans())
streams = st.lists(
    st.one_of(new_order, new_order, rate, rate, rate, close, revise, remove), max_size=30
)


@dataclass
class World:
    buyers: list[User]
    listings: list[Listing]
    staff: User
    orders: list[Order] = field(default_factory=list)

    def order(self, index: int) -> Order | None:
        return self.orders[index % len(self.orders)] if self.orders else None

    def rating(self, index: int, by_buyer: bool) -> Rating | None:
        order = self.order(index)
        role = Rating.Role.BY_BUYER if by_buyer else Rating.Role.BY_SELLER
        return Rating.objects.filter(order=order, role=role).first() if order else None


def play(world: World, step: tuple[object, ...]) -> None:
    kind = step[0]
    if kind == "order":
        _, buyer, listing, hours, small = step
        world.orders.append(
            completed_order(
                world.buyers[buyer],  # type: ignore[index]
                world.listings[listing],  # type: ignore[index]
                created_at=START + timedelta(hours=hours),  # type: ignore[arg-type]
                goods_total="1.00" if small else "20.00",
            )
        )
    elif kind == "rate" and (order := world.order(step[1])):  # type: ignore[arg-type]
        _, _, by_buyer, value = step
        rater = order.buyer if by_buyer else order.shop.owner
        dsr = DSR(value + 4, 4, 5) if by_buyer else None  # type: ignore[operator]
        rating_submit(order=order, rater=rater, value=value, dsr=dsr)  # type: ignore[arg-type]
    elif kind == "close" and (order := world.order(step[1])):  # type: ignore[arg-type]
        Rating.objects.filter(order=order, status="pending").update(
            window_ends_at=timezone.now() - timedelta(seconds=1)
        )
        rating_window_close(order=order)
    elif kind == "revise" and (rating := world.rating(step[1], step[2])):  # type: ignore[arg-type]
        if rating.rater is not None:
            rating_revise(rating=rating, rater=rating.rater, delete=bool(step[3]))
    elif kind == "remove" and (rating := world.rating(step[1], step[2])):  # type: ignore[arg-type]
        rating_remove(rating=rating, staff=world.staff, reason="Brushing.")


def fresh_world() -> World:
    shops = [ShopFactory(), ShopFactory()]
    return World(
        buyers=[UserFactory() for _ in range(3)],
        listings=[make_listing(shop, price="20.00", stock=1000) for shop in shops for _ in (1, 2)],
        staff=UserFactory(is_staff=True),
    )


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stream=streams)
def test_incremental_figures_equal_a_full_rebuild(stream: list[tuple[object, ...]]) -> None:
    # Examples share the test's database: each starts from figures equal to a rebuild and trades
    # in shops and between buyers of its own.
    credit_rebuild(move_window=False)
    world = fresh_world()
    for step in stream:
        with suppress(ApplicationError):  # a refused step (already rated, …) changes nothing
            play(world, step)

    assert_figures_sound()
