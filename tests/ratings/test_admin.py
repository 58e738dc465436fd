"""Moderators look into ratings in admin, take fake ones down with a reason, and read the
suspicious-ratings report; the figures follow every removal."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from escrow.models import Order
from marketplace.accounts.models import User
from ratings.models import BuyerCredit, Rating, SellerCredit
from ratings.reports import SuspiciousReport
from ratings.services.ratings import DSR, rating_submit
from shops.models import Listing, Shop
from tests.factories import ShopFactory, UserFactory, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/ratings/rating/"
REPORT = "/admin/ratings/rating/suspicious/"


def staff_in(group: str) -> User:
    call_command("sync_staff_groups", stdout=StringIO())
    user: User = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def old_account(username: str) -> User:
    user: User = UserFactory(username=username, date_joined=timezone.now() - timedelta(days=400))
    return user


def trade(
    buyer: User,
    listing: Listing,
    *,
    days_ago: float,
    price: str = "20.00",
    confirmed_after: timedelta = timedelta(days=1),
) -> Order:
    """A completed order placed ``days_ago``, shipped five hours later and confirmed
    ``confirmed_after`` that."""
    placed = timezone.now() - timedelta(days=days_ago)
    shipped = placed + timedelta(hours=5)
    order = completed_order(buyer, listing, goods_total=price, created_at=placed)
    Order.objects.filter(pk=order.pk).update(
        shipped_at=shipped, completed_at=shipped + confirmed_after
    )
    order.refresh_from_db()
    return order


def rate(order: Order, value: int = Rating.Value.GOOD) -> Rating:
    """The buyer rates the seller, then the seller the buyer: both published."""
    rating = rating_submit(order=order, rater=order.buyer, value=value, dsr=DSR(5, 5, 5))
    rating_submit(order=order, rater=order.shop.owner, value=Rating.Value.GOOD)
    rating.refresh_from_db()
    return rating


def remove(client: Client, ratings: list[Rating], **extra: str) -> Any:
    data = {"action": "remove_ratings", ACTION_CHECKBOX_NAME: [r.pk for r in ratings], **extra}
    return client.post(CHANGELIST, data, follow=True)


@pytest.fixture
def same_listing_twice() -> tuple[Rating, Rating]:
    """Two good ratings of one buyer for the same listing within 14 days: only the first
    counts."""
    listing = make_listing(price="30.00")
    buyer = old_account("repeat_buyer")
    first = rate(trade(buyer, listing, days_ago=6, price="30.00"))
    second = rate(trade(buyer, listing, days_ago=3, price="30.00"))
    second.refresh_from_db()
    assert (first.counted, second.count_note) == (True, "same_listing_period")
    return first, second


# --- Removing ratings -------------------------------------------------------------------------


def test_a_moderator_removes_a_rating_with_a_reason_and_the_figures_follow(
    client: Client, same_listing_twice: tuple[Rating, Rating]
) -> None:
    first, second = same_listing_twice
    moderator = staff_in("moderators")
    client.force_login(moderator)

    asked = remove(client, [first], index="0")
    response = remove(client, [first], confirm="yes", reason="Paid for by the seller.")

    assert b'name="reason"' in asked.content
    assert "Removed 1 rating." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.removed_by, first.removed_reason) == (
        Rating.Status.REMOVED,
        moderator,
        "Paid for by the seller.",
    )
    assert (first.counted, first.points, first.count_note) == (False, 0, "removed")
    assert (second.counted, second.points) == (True, 1)  # the later one counts in its place
    shop = Shop.objects.get(pk=first.shop_id)
    assert SellerCredit.objects.get(shop=shop).score == shop.credit_score == 1
    assert BuyerCredit.objects.get(user=first.buyer).score == 1  # the seller's ratings stand
    assert_figures_sound()


def test_removing_without_a_reason_asks_again_and_changes_nothing(
    client: Client, same_listing_twice: tuple[Rating, Rating]
) -> None:
    first, _ = same_listing_twice
    client.force_login(staff_in("moderators"))

    response = remove(client, [first], confirm="yes", reason="  ")

    assert response.status_code == 200
    assert b'name="reason"' in response.content
    first.refresh_from_db()
    assert (first.status, first.counted) == (Rating.Status.PUBLISHED, True)
    assert_figures_sound()


def test_removing_a_removed_rating_again_changes_nothing(
    client: Client, same_listing_twice: tuple[Rating, Rating]
) -> None:
    first, _ = same_listing_twice
    client.force_login(staff_in("moderators"))
    remove(client, [first], confirm="yes", reason="Fake.")

    remove(client, [first], confirm="yes", reason="Another reason.")

    first.refresh_from_db()
    assert first.removed_reason == "Fake."
    assert_figures_sound()


def test_finance_staff_can_neither_remove_ratings_nor_read_the_report(
    client: Client, same_listing_twice: tuple[Rating, Rating]
) -> None:
    first, _ = same_listing_twice
    client.force_login(staff_in("finance"))

    response = remove(client, [first], confirm="yes", reason="Looks fake.")
    report = client.get(REPORT)

    assert response.status_code == report.status_code == 403
    first.refresh_from_db()
    assert (first.status, first.counted) == (Rating.Status.PUBLISHED, True)


# --- Lists and pages --------------------------------------------------------------------------


def test_moderators_find_ratings_by_shop_buyer_or_order_and_see_them_read_only(
    client: Client, same_listing_twice: tuple[Rating, Rating]
) -> None:
    first, second = same_listing_twice
    client.force_login(staff_in("moderators"))
    shop_name = Shop.objects.get(pk=first.shop_id).name

    by_shop = client.get(CHANGELIST, {"q": shop_name})
    by_buyer = client.get(
        CHANGELIST, {"q": "repeat_buyer", "counted__exact": "0", "role__exact": "by_buyer"}
    )
    by_order = client.get(CHANGELIST, {"q": str(second.order.public_id)})
    by_note = client.get(
        CHANGELIST, {"count_note": "same_listing_period", "role__exact": "by_buyer"}
    )
    page = client.get(f"{CHANGELIST}{first.pk}/change/")

    assert by_shop.context["cl"].result_count == 4  # both sides of both orders
    assert list(by_buyer.context["cl"].result_list) == [second]
    assert by_order.context["cl"].result_count == 2
    assert list(by_note.context["cl"].result_list) == [second]
    assert "Suspicious ratings report" in by_shop.content.decode()
    assert page.status_code == 200
    assert str(first.order.public_id) in page.content.decode()
    assert b'name="_save"' not in page.content


def test_moderators_read_seller_and_buyer_credit_with_grades(
    client: Client, same_listing_twice: tuple[Rating, Rating]
) -> None:
    client.force_login(staff_in("moderators"))

    sellers = client.get("/admin/ratings/sellercredit/")
    buyers = client.get("/admin/ratings/buyercredit/", {"grade": "none"})
    hearts = client.get("/admin/ratings/sellercredit/", {"grade": "hearts"})

    assert sellers.status_code == buyers.status_code == 200
    assert "100.00%" in sellers.content.decode()
    assert buyers.context["cl"].result_count == 1
    assert hearts.context["cl"].result_count == 0


# --- The suspicious-ratings report ------------------------------------------------------------


def open_report(client: Client) -> tuple[SuspiciousReport, str]:
    client.force_login(staff_in("moderators"))
    response = client.get(REPORT)
    assert response.status_code == 200
    return response.context["report"], response.content.decode()


def test_the_report_lists_each_planted_signal_and_not_the_innocent(client: Client) -> None:
    # (a) one buyer, five orders from one shop in ten days, two of them rated
    busy_shop = ShopFactory(name="Busy Shop")
    brusher = old_account("brusher")
    for day in (10, 8, 6, 4, 2):
        order = trade(brusher, make_listing(busy_shop, title=f"Item {day}"), days_ago=day)
        if day <= 4:
            rate(order)
    # (b) three orders of one shop confirmed ten minutes after shipping, all rated
    quick_shop = ShopFactory(name="Quick Shop")
    quick_item = make_listing(quick_shop)
    for number in range(3):
        rate(
            trade(
                old_account(f"quick{number}"),
                quick_item,
                days_ago=5,
                confirmed_after=timedelta(minutes=10),
            )
        )
    # (c) a week-old account that has only ever bought from one shop
    lonely = UserFactory(username="lonely", date_joined=timezone.now() - timedelta(days=7))
    lonely_shop = ShopFactory(name="Lonely Shop")
    rate(trade(lonely, make_listing(lonely_shop), days_ago=5))
    rate(trade(lonely, make_listing(lonely_shop, title="Another"), days_ago=4))
    # (d) a listing usually sold at 100.00, once at 20.00
    teapot = make_listing(ShopFactory(name="Teapot Shop"), title="Yixing teapot", price="100.00")
    for number in range(3):
        trade(old_account(f"teapot{number}"), teapot, days_ago=9 - number, price="100.00")
    cheap = rate(trade(old_account("bargain"), teapot, days_ago=3, price="20.00"))
    # innocent: a new buyer of two shops, an old buyer with a few unhurried orders
    newcomer = UserFactory(username="newcomer", date_joined=timezone.now() - timedelta(days=3))
    innocent_shop = ShopFactory(name="Innocent Shop")
    rate(trade(newcomer, make_listing(innocent_shop), days_ago=2))
    rate(trade(newcomer, make_listing(), days_ago=1))
    regular = old_account("regular")
    for day in (14, 9, 5):
        rate(trade(regular, make_listing(innocent_shop, title=f"Tea {day}"), days_ago=day))

    report, page = open_report(client)

    pairs = [(r.buyer, r.shop, r.most_in_period, r.orders, r.points) for r in report.busy_pairs]
    assert pairs == [("brusher", "Busy Shop", 5, 5, 2)]
    assert [(r.shop, r.quick, r.ratings, r.points) for r in report.quick_shops] == [
        ("Quick Shop", 3, 3, 3)
    ]
    assert {(r.buyer, r.shop, r.orders, r.points) for r in report.lonely_buyers} == {
        ("lonely", "Lonely Shop", 2, 2)
    }
    lines = [(r.order_id, r.unit_price, r.usual_price, r.rating_value) for r in report.cheap_lines]
    assert lines == [(cheap.order_id, 20, 100, Rating.Value.GOOD)]
    for text in ("brusher", "Quick Shop", "lonely", "Yixing teapot"):
        assert text in page
    for text in ("newcomer", "regular", "Innocent Shop"):
        assert text not in page
    assert f"?buyer__id__exact={brusher.pk}&amp;shop__id__exact={busy_shop.pk}" in page


def test_the_report_links_lead_to_the_ratings_behind_a_signal(client: Client) -> None:
    quick_shop = ShopFactory(name="Quick Shop")
    listing = make_listing(quick_shop)
    for number in range(3):
        rate(
            trade(
                old_account(f"quick{number}"),
                listing,
                days_ago=5,
                confirmed_after=timedelta(minutes=10),
            )
        )
    rate(trade(old_account("patient"), listing, days_ago=5))
    client.force_login(staff_in("moderators"))

    quick = client.get(
        CHANGELIST,
        {"shop__id__exact": quick_shop.pk, "role__exact": "by_buyer", "confirmed": "quick"},
    )

    assert quick.status_code == 200
    assert {r.buyer.username for r in quick.context["cl"].result_list} == {
        "quick0",
        "quick1",
        "quick2",
    }


def test_an_empty_report_says_so(client: Client) -> None:
    report, page = open_report(client)

    assert report == SuspiciousReport([], [], [], [])
    assert page.count("Nothing found.") == 4
