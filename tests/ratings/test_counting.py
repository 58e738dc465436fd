"""The counting rules at their edges (DOMAIN §6), each checked twice: by the incremental update
as ratings are published, and by the set-based rebuild, which must agree."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from marketplace.accounts.models import User
from ratings.models import Rating, SellerCredit
from ratings.services.counting import grade_level, grade_name
from ratings.services.ratings import rating_remove
from ratings.services.rebuild import credit_rebuild
from shops.models import Listing
from tests.factories import UserFactory, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order, rate_both

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def pair() -> tuple[User, Listing]:
    return UserFactory(), make_listing(price="20.00", stock=100)


def buy_and_rate(
    buyer: User, listing: Listing, created_at: datetime, value: int = 1, total: str = "20.00"
) -> Rating:
    order = completed_order(buyer, listing, created_at=created_at, goods_total=total)
    rate_both(order, value=value)
    return Rating.objects.get(order=order, role=Rating.Role.BY_BUYER)


def notes(ratings: list[Rating]) -> list[tuple[bool, str]]:
    found = {r.pk: r for r in Rating.objects.filter(pk__in=[r.pk for r in ratings])}
    return [(found[r.pk].counted, found[r.pk].count_note) for r in ratings]


def seller_score(listing: Listing) -> int:
    """The shop's score; a shop nothing has counted for yet has no figures row (as after a
    rebuild)."""
    credit = SellerCredit.objects.filter(shop=listing.shop).first()
    return credit.score if credit else 0


@pytest.mark.parametrize(
    ("days_later", "second_counts"),
    [(13, False), (14, True), (15, True)],
)
def test_the_same_listing_counts_once_within_fourteen_days(
    pair: tuple[User, Listing], days_later: int, second_counts: bool
) -> None:
    buyer, listing = pair
    first = buy_and_rate(buyer, listing, START)
    second = buy_and_rate(buyer, listing, START + timedelta(days=days_later))

    assert notes([first, second]) == [
        (True, ""),
        (second_counts, "" if second_counts else "same_listing_period"),
    ]
    assert seller_score(listing) == 1 + second_counts
    assert_figures_sound()


def test_within_fourteen_days_a_good_and_a_bad_each_count_once(
    pair: tuple[User, Listing],
) -> None:
    buyer, listing = pair
    ratings = [
        buy_and_rate(buyer, listing, START + timedelta(days=day), value=value)
        for day, value in [(0, 1), (1, 1), (2, -1), (3, -1), (4, 0)]
    ]

    assert [counted for counted, _ in notes(ratings)] == [True, False, True, False, True]
    assert seller_score(listing) == 0  # +1 −1 0
    assert_figures_sound()


def test_another_listing_of_the_same_shop_counts_on_its_own(pair: tuple[User, Listing]) -> None:
    buyer, listing = pair
    other = make_listing(listing.shop, price="20.00")

    buy_and_rate(buyer, listing, START)
    buy_and_rate(buyer, other, START + timedelta(days=1))

    assert seller_score(listing) == 2


@pytest.mark.parametrize(("goods", "count"), [(6, 6), (7, 6)])
def test_a_pair_earns_at_most_six_points_a_month(
    pair: tuple[User, Listing], goods: int, count: int
) -> None:
    buyer, first = pair
    listings = [first] + [make_listing(first.shop, price="20.00") for _ in range(goods - 1)]

    ratings = [
        buy_and_rate(buyer, listing, START + timedelta(days=n))
        for n, listing in enumerate(listings)
    ]

    assert seller_score(first) == count
    if goods > count:
        assert notes(ratings)[-1] == (False, "monthly_pair_limit")
    assert_figures_sound()


def test_the_month_is_the_marketplace_calendar_month(pair: tuple[User, Listing]) -> None:
    """Six goods late on 31 October in Shanghai (still October), and the seventh just after
    midnight there on 1 November (still 31 October in UTC): a new month, so it counts."""
    buyer, first = pair
    listings = [first] + [make_listing(first.shop, price="20.00") for _ in range(6)]
    late_october = datetime(2026, 10, 31, 20, 0, tzinfo=SHANGHAI)
    for n, listing in enumerate(listings[:6]):
        buy_and_rate(buyer, listing, late_october + timedelta(minutes=n))

    seventh = buy_and_rate(buyer, listings[6], datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI))

    assert seventh.order_created_at.astimezone(ZoneInfo("UTC")).day == 31
    assert notes([seventh]) == [(True, "")]
    assert seller_score(first) == 7
    assert_figures_sound()


def test_bad_ratings_always_count_even_past_the_monthly_limit(
    pair: tuple[User, Listing],
) -> None:
    buyer, first = pair
    listings = [first] + [make_listing(first.shop, price="20.00") for _ in range(7)]
    for n, listing in enumerate(listings[:7]):
        buy_and_rate(buyer, listing, START + timedelta(days=n))

    bad = buy_and_rate(buyer, listings[7], START + timedelta(days=8), value=-1)

    assert notes([bad]) == [(True, "")]
    assert seller_score(first) == 5  # 6 goods counted, then −1


@pytest.mark.parametrize(("total", "counts"), [("1.00", False), ("1.01", True)])
def test_orders_of_one_yuan_or_less_earn_nothing(
    pair: tuple[User, Listing], total: str, counts: bool
) -> None:
    buyer, listing = pair

    rating = buy_and_rate(buyer, listing, START, total=total)

    assert notes([rating]) == [(counts, "" if counts else "small_order")]
    assert seller_score(listing) == int(counts)
    assert_figures_sound()


def test_a_removed_rating_stops_counting_and_lets_the_next_one_count(
    pair: tuple[User, Listing],
) -> None:
    buyer, listing = pair
    first = buy_and_rate(buyer, listing, START)
    second = buy_and_rate(buyer, listing, START + timedelta(days=3))
    assert notes([first, second]) == [(True, ""), (False, "same_listing_period")]

    rating_remove(rating=first, staff=UserFactory(is_staff=True), reason="Brushing ring.")

    assert notes([first, second]) == [(False, "removed"), (True, "")]
    assert seller_score(listing) == 1
    assert_figures_sound()


def test_the_buyer_credit_follows_the_same_rules(pair: tuple[User, Listing]) -> None:
    buyer, listing = pair
    buy_and_rate(buyer, listing, START)
    buy_and_rate(buyer, listing, START + timedelta(days=1))

    sellers_ratings = Rating.objects.filter(role=Rating.Role.BY_SELLER).order_by("order_created_at")

    assert [(r.counted, r.count_note) for r in sellers_ratings] == [
        (True, ""),
        (False, "same_listing_period"),
    ]


# --- Grades -----------------------------------------------------------------------------------

BOUNDARIES = [
    (3, 0, "none"),
    (4, 1, "1 heart"),
    (10, 1, "1 heart"),
    (11, 2, "2 hearts"),
    (40, 2, "2 hearts"),
    (41, 3, "3 hearts"),
    (90, 3, "3 hearts"),
    (91, 4, "4 hearts"),
    (150, 4, "4 hearts"),
    (151, 5, "5 hearts"),
    (250, 5, "5 hearts"),
    (251, 6, "1 diamond"),
    (500, 6, "1 diamond"),
    (501, 7, "2 diamonds"),
    (1_000, 7, "2 diamonds"),
    (1_001, 8, "3 diamonds"),
    (2_000, 8, "3 diamonds"),
    (2_001, 9, "4 diamonds"),
    (5_000, 9, "4 diamonds"),
    (5_001, 10, "5 diamonds"),
    (10_000, 10, "5 diamonds"),
    (10_001, 11, "1 crown"),
    (20_000, 11, "1 crown"),
    (20_001, 12, "2 crowns"),
    (50_000, 12, "2 crowns"),
    (50_001, 13, "3 crowns"),
    (100_000, 13, "3 crowns"),
    (100_001, 14, "4 crowns"),
    (200_000, 14, "4 crowns"),
    (200_001, 15, "5 crowns"),
    (500_000, 15, "5 crowns"),
    (500_001, 16, "1 golden crown"),
    (1_000_000, 16, "1 golden crown"),
    (1_000_001, 17, "2 golden crowns"),
    (2_000_000, 17, "2 golden crowns"),
    (2_000_001, 18, "3 golden crowns"),
    (5_000_000, 18, "3 golden crowns"),
    (5_000_001, 19, "4 golden crowns"),
    (10_000_000, 19, "4 golden crowns"),
    (10_000_001, 20, "5 golden crowns"),
    (-5, 0, "none"),
]


@pytest.mark.parametrize(("score", "level", "name"), BOUNDARIES)
def test_every_grade_boundary(score: int, level: int, name: str) -> None:
    assert grade_level(score) == level
    assert grade_name(level) == name


@pytest.mark.parametrize("buyers", [1, 2, 3])
def test_the_rebuild_grades_a_shop_as_the_incremental_update_does(
    settings: Any, buyers: int
) -> None:
    """The grade is computed in Python (each change) and in SQL (the rebuild); with one grade
    per point both must land on the same level at every step."""
    settings.RATINGS_GRADE_FLOORS = tuple(range(1, 21))
    listing = make_listing(price="20.00")
    for _ in range(buyers):
        buy_and_rate(UserFactory(), listing, START)

    listing.shop.refresh_from_db()
    assert (listing.shop.credit_score, listing.shop.credit_level) == (buyers, buyers)
    assert_figures_sound()
    credit_rebuild(move_window=False)
    listing.shop.refresh_from_db()
    assert listing.shop.credit_level == buyers
