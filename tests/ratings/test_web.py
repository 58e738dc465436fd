"""The seller's rating pages through Django's test client: orders to rate with the time left, the
rating form, replies to buyers, revising their own ratings, and the shop's figures."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from escrow.models import Order
from ratings.models import Rating
from ratings.services.ratings import DSR, rating_submit
from shops.models import Listing, Shop
from tests.escrow.helpers import place
from tests.factories import ShopFactory, UserFactory, make_category, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order

pytestmark = pytest.mark.django_db

Value, Status = Rating.Value, Rating.Status


@pytest.fixture
def shop() -> Shop:
    return ShopFactory(owner=UserFactory(username="laowang"), name="王家茶园")  # type: ignore[no-any-return]


@pytest.fixture
def listing(shop: Shop) -> Listing:
    return make_listing(shop, title="安溪铁观音 250g", category=make_category("Tea", "Oolong"))


@pytest.fixture
def seller_client(client: Client, shop: Shop) -> Client:
    client.force_login(shop.owner)
    return client


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def rate_url(order: Order) -> str:
    return f"/seller/ratings/orders/{order.public_id}/"


def short(order: Order) -> str:
    return str(order.public_id)[:8]


# --- Access -----------------------------------------------------------------------------------


def test_the_pages_need_a_login_and_a_shop(client: Client, listing: Listing) -> None:
    order = completed_order(UserFactory(), listing)
    for url in ("/seller/ratings/", "/seller/ratings/received/", rate_url(order)):
        assert client.get(url)["Location"].startswith("/accounts/login/")

    client.force_login(UserFactory())
    assert client.get("/seller/ratings/")["Location"] == "/seller/open/"


def test_another_shops_order_and_rating_are_not_found(
    seller_client: Client, listing: Listing
) -> None:
    elsewhere = completed_order(UserFactory(), make_listing())
    rating_submit(order=elsewhere, rater=elsewhere.buyer, value=1, dsr=DSR(5, 5, 5))
    rating_submit(order=elsewhere, rater=elsewhere.shop.owner, value=-1)
    theirs = Rating.objects.get(role=Rating.Role.BY_BUYER)
    given_there = Rating.objects.get(role=Rating.Role.BY_SELLER)

    assert seller_client.get(rate_url(elsewhere)).status_code == 404
    assert seller_client.post(rate_url(elsewhere), {"value": "-1"}).status_code == 404
    assert seller_client.post(f"/seller/ratings/{theirs.public_id}/reply/", {}).status_code == 404
    assert (
        seller_client.post(f"/seller/ratings/{given_there.public_id}/revise/", {}).status_code
        == 404
    )
    assert Rating.objects.count() == 2
    given_there.refresh_from_db()
    assert given_there.value == Value.BAD


# --- Orders to rate ---------------------------------------------------------------------------


def test_the_list_shows_buyers_still_to_rate_with_the_time_left(
    seller_client: Client, shop: Shop, listing: Listing
) -> None:
    now = timezone.now()
    fresh = completed_order(UserFactory(username="xiaomei"), listing)
    closing = completed_order(
        UserFactory(username="ahua"), listing, completed_at=now - timedelta(days=14, hours=12)
    )
    rated = completed_order(UserFactory(username="rated"), listing)
    rating_submit(order=rated, rater=shop.owner, value=1)
    completed_order(UserFactory(username="toolate"), listing, completed_at=now - timedelta(days=16))
    place(UserFactory(username="unpaid"), listing)
    completed_order(UserFactory(username="othershop"), make_listing())

    response = seller_client.get("/seller/ratings/")

    page = html(response)
    assert [row.order for row in response.context["rows"]] == [closing, fresh]
    table = page.split('<table class="orders responsive to-rate">')[1].split("</table>")[0]
    assert "xiaomei" in table and "ahua" in table
    for absent in ("rated", "toolate", "unpaid", "othershop"):
        assert f">{absent}<" not in table
    assert "14 days 23 hours left" in table
    assert '<span class="badge urgent">11 hours left</span>' in table
    assert f'href="{rate_url(fresh)}"' in table


def test_the_overview_shows_grade_score_good_rate_and_dsr_against_the_category(
    seller_client: Client, shop: Shop, listing: Listing
) -> None:
    for value in (1, 1, 1, 1, -1):
        order = completed_order(UserFactory(), listing)
        rating_submit(order=order, rater=order.buyer, value=value, dsr=DSR(5, 4, 4))
        rating_submit(order=order, rater=shop.owner, value=1)
    rival = completed_order(UserFactory(), make_listing(category=make_category("Tea", "Green")))
    rating_submit(order=rival, rater=rival.buyer, value=1, dsr=DSR(3, 4, 5))
    rating_submit(order=rival, rater=rival.shop.owner, value=1)

    page = html(seller_client.get("/seller/ratings/"))

    summary = page.split('id="credit-summary"')[1].split("</section>")[0]
    assert 'id="credit-score">3<' in summary
    assert 'id="credit-grade">none<' in summary
    assert 'id="good-rate">80.00%<' in summary
    assert "compared with Tea" in summary
    described = summary.split('id="dsr-described"')[1].split("</tr>")[0]
    assert (
        "5.00" in described
        and "4.67" in described
        and '▲ 7.14%<span class="wide-only"> higher' in described
    )
    shipping = summary.split('id="dsr-shipping"')[1].split("</tr>")[0]
    assert (
        "4.00" in shipping
        and "4.17" in shipping
        and '▼ 4.00%<span class="wide-only"> lower' in shipping
    )
    assert_figures_sound()


# --- Rating a buyer ---------------------------------------------------------------------------


def test_the_seller_rates_a_buyer_and_the_rating_stays_hidden(
    seller_client: Client, shop: Shop, listing: Listing
) -> None:
    order = completed_order(UserFactory(username="xiaomei"), listing)
    form = html(seller_client.get(rate_url(order)))
    assert 'id="rate-form"' in form and "xiaomei" in form

    response = seller_client.post(
        rate_url(order), {"value": "1", "comment": "付款爽快"}, follow=True
    )

    page = html(response)
    assert response.redirect_chain[-1][0] == "/seller/ratings/"
    assert "You rated xiaomei good. Your rating stays hidden until the buyer rates you too" in page
    rating = Rating.objects.get()
    assert (rating.role, rating.value, rating.comment, rating.status, rating.rater) == (
        Rating.Role.BY_SELLER,
        Value.GOOD,
        "付款爽快",
        Status.PENDING,
        shop.owner,
    )
    assert response.context["rows"] == []  # nothing left to rate
    again = html(seller_client.get(rate_url(order)))
    assert 'id="rate-form"' not in again
    assert "Hidden until the buyer rates you too" in again


def test_rating_a_buyer_who_rated_publishes_both(seller_client: Client, listing: Listing) -> None:
    order = completed_order(UserFactory(username="xiaomei"), listing)
    rating_submit(order=order, rater=order.buyer, value=0, comment="包装一般", dsr=DSR(4, 4, 2))

    response = seller_client.post(rate_url(order), {"value": "1"}, follow=True)

    assert "both ratings are now published" in html(response)
    assert set(Rating.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    page = html(seller_client.get(rate_url(order)))
    assert "包装一般" in page  # the buyer's rating of the shop, now published


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "value", "Choose good, neutral or bad."),
        ({"value": "7"}, "value", "Select a valid choice."),
        ({"value": "1", "comment": "字" * 501}, "comment", "at most 500 characters"),
    ],
)
def test_bad_input_shows_next_to_the_field_and_rates_nothing(
    seller_client: Client, listing: Listing, data: dict[str, str], field: str, message: str
) -> None:
    order = completed_order(UserFactory(), listing)

    page = html(seller_client.post(rate_url(order), data))

    errors = page.split(f'id="id_{field}_errors"')[1].split("</ul>")[0]
    assert message in errors
    assert not Rating.objects.exists()


def test_an_order_that_is_not_completed_cannot_be_rated(
    seller_client: Client, listing: Listing
) -> None:
    order = place(UserFactory(), listing)

    form = html(seller_client.get(rate_url(order)))
    response = seller_client.post(rate_url(order), {"value": "1"}, follow=True)

    assert 'id="rate-form"' not in form
    assert "Only completed orders can be rated" in form
    assert "Nothing was rated: Only completed orders can be rated" in html(response)
    assert not Rating.objects.exists()


def test_after_the_window_the_form_is_gone(seller_client: Client, listing: Listing) -> None:
    order = completed_order(
        UserFactory(), listing, completed_at=timezone.now() - timedelta(days=15, minutes=1)
    )

    page = html(seller_client.get(rate_url(order)))
    response = seller_client.post(rate_url(order), {"value": "-1"}, follow=True)

    assert "The time to rate this order has ended." in page
    assert "Nothing was rated: The time to rate this order has ended." in html(response)
    assert not Rating.objects.exists()


# --- What buyers said, and replies ------------------------------------------------------------


def rated_by_buyer(listing: Listing, username: str, value: int, comment: str) -> Rating:
    order = completed_order(UserFactory(username=username), listing)
    rating_submit(order=order, rater=order.buyer, value=value, comment=comment, dsr=DSR(5, 3, 1))
    rating_submit(order=order, rater=listing.shop.owner, value=1)
    return Rating.objects.get(order=order, role=Rating.Role.BY_BUYER)


def test_received_ratings_show_published_ones_without_individual_dsr(
    seller_client: Client, listing: Listing
) -> None:
    rated_by_buyer(listing, "xiaomei", 0, "发货有点慢")
    hidden = completed_order(UserFactory(username="secret"), listing)
    rating_submit(order=hidden, rater=hidden.buyer, value=-1, comment="不满意", dsr=DSR(1, 1, 1))

    page = html(seller_client.get("/seller/ratings/received/"))

    received = page.split('id="received-ratings"')[1].split("</ul>\n{%")[0].split("</main>")[0]
    assert "发货有点慢" in received and "xiaomei" in received
    assert '<span class="rating-value neutral">Neutral</span>' in received
    assert "不满意" not in page and "secret" not in page
    assert "Item as described" not in received  # no per-buyer DSR anywhere in the list


def test_the_seller_replies_once(seller_client: Client, listing: Listing) -> None:
    rating = rated_by_buyer(listing, "xiaomei", -1, "破了")
    url = f"/seller/ratings/{rating.public_id}/reply/"
    field = f"r{rating.pk}-text"
    assert f'name="{field}"' in html(seller_client.get("/seller/ratings/received/"))

    response = seller_client.post(url, {field: "已经补发了，抱歉"}, follow=True)
    again = seller_client.post(url, {field: "再说一次"}, follow=True)

    assert "Your reply is published" in html(response)
    assert f'name="{field}"' not in html(response)
    assert "Your reply:</strong> 已经补发了，抱歉" in html(response)
    assert "Nothing was changed: You have already replied to this rating." in html(again)
    rating.refresh_from_db()
    assert rating.reply == "已经补发了，抱歉"


def test_an_empty_reply_shows_the_error_next_to_the_field(
    seller_client: Client, listing: Listing
) -> None:
    rating = rated_by_buyer(listing, "xiaomei", -1, "破了")

    page = html(seller_client.post(f"/seller/ratings/{rating.public_id}/reply/", {}))

    assert f'id="id_r{rating.pk}-text_errors"><li>Write your reply.' in page
    rating.refresh_from_db()
    assert rating.replied_at is None


def test_a_pending_rating_of_the_shop_cannot_be_answered(
    seller_client: Client, listing: Listing
) -> None:
    order = completed_order(UserFactory(), listing)
    rating = rating_submit(order=order, rater=order.buyer, value=-1, dsr=DSR(1, 1, 1))

    response = seller_client.post(
        f"/seller/ratings/{rating.public_id}/reply/", {f"r{rating.pk}-text": "?"}
    )

    assert response.status_code == 404


# --- The seller's own ratings -----------------------------------------------------------------


def test_the_seller_changes_a_bad_rating_to_good_once(
    seller_client: Client, shop: Shop, listing: Listing
) -> None:
    order = completed_order(UserFactory(username="xiaomei"), listing)
    rating = rating_submit(order=order, rater=shop.owner, value=-1, comment="拍了不付")
    url = f"/seller/ratings/{rating.public_id}/revise/"
    assert 'value="0" class="secondary">Change to good' in html(
        seller_client.get("/seller/ratings/given/")
    )

    response = seller_client.post(url, {"delete": "0"}, follow=True)
    again = seller_client.post(url, {"delete": "1"}, follow=True)

    assert "You changed your rating of xiaomei to good." in html(response)
    assert "Change to good" not in html(response)
    assert "changed from bad" in html(response)
    assert "Nothing was changed: A rating can be changed only once." in html(again)
    rating.refresh_from_db()
    assert (rating.value, rating.status) == (Value.GOOD, Status.PENDING)


def test_the_seller_deletes_a_neutral_rating(
    seller_client: Client, shop: Shop, listing: Listing
) -> None:
    order = completed_order(UserFactory(username="xiaomei"), listing)
    rating = rating_submit(order=order, rater=shop.owner, value=0)

    response = seller_client.post(
        f"/seller/ratings/{rating.public_id}/revise/", {"delete": "1"}, follow=True
    )

    assert "Your rating of xiaomei is deleted." in html(response)
    assert "Deleted by you" in html(response)
    rating.refresh_from_db()
    assert rating.status == Status.DELETED


def test_no_revision_after_thirty_days(seller_client: Client, shop: Shop, listing: Listing) -> None:
    order = completed_order(UserFactory(), listing)
    rating = rating_submit(order=order, rater=shop.owner, value=-1)

    with time_machine.travel(rating.rated_at + timedelta(days=30, seconds=1)):
        seller_client.force_login(shop.owner)  # the session of 30 days ago has expired
        page = html(seller_client.get("/seller/ratings/given/"))
        response = seller_client.post(
            f"/seller/ratings/{rating.public_id}/revise/", {}, follow=True
        )

    assert "Change to good" not in page
    assert "Nothing was changed: The time to change this rating has ended." in html(response)
    rating.refresh_from_db()
    assert rating.value == Value.BAD


def test_the_menu_has_ratings(seller_client: Client) -> None:
    page = html(seller_client.get("/seller/orders/"))

    assert 'id="nav-ratings">Ratings</a>' in page


def test_the_sellers_own_ratings_as_a_buyer_are_not_on_the_seller_pages(
    seller_client: Client, shop: Shop
) -> None:
    bought = completed_order(shop.owner, make_listing())
    as_buyer = rating_submit(order=bought, rater=shop.owner, value=-1, dsr=DSR(1, 1, 1))

    response = seller_client.post(f"/seller/ratings/{as_buyer.pk}/revise/", {"delete": "1"})

    assert response.status_code == 404
    assert "You have not rated any buyer yet." in html(seller_client.get("/seller/ratings/given/"))
    as_buyer.refresh_from_db()
    assert as_buyer.status == Status.PENDING
