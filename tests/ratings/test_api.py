"""The ratings API: rating an order's other side, double-blind reads, replies, revisions and the
public lists, with the clear 4xx of each refusal."""

import json
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from escrow.models import Order
from escrow.services.orders import order_cancel, order_ship
from escrow.services.refunds import refund_agree, refund_request
from marketplace.accounts.models import User
from ratings.models import Rating
from ratings.selectors import mask_username
from ratings.services.ratings import DSR, rating_submit, rating_window_close
from shops.models import Listing, Shop
from tests.escrow.helpers import pay, place
from tests.factories import ShopFactory, UserFactory, make_category, make_listing
from tests.ratings.helpers import assert_figures_sound, completed_order

pytestmark = pytest.mark.django_db

GOOD_DSR = {"described": 5, "attitude": 5, "shipping": 4}


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def post(user: User, path: str, data: dict[str, Any] | None = None, key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(path, data or {}, format="json", **headers)


def rate_url(order: Order) -> str:
    return f"/api/orders/{order.public_id}/rating/"


def ratings_url(order: Order) -> str:
    return f"/api/orders/{order.public_id}/ratings/"


def seller_of(order: Order) -> User:
    return order.shop.owner


def buyer_rates(order: Order, value: str = "good", **data: Any) -> Any:
    body = {"value": value, "comment": "东西很好", "dsr": GOOD_DSR, **data}
    return post(order.buyer, rate_url(order), body)


def seller_rates(order: Order, value: str = "good", **data: Any) -> Any:
    return post(seller_of(order), rate_url(order), {"value": value, "comment": "爽快", **data})


def seen_by(user: User, order: Order) -> dict[str, Any]:
    response = client_for(user).get(ratings_url(order))
    assert response.status_code == 200, response.json()
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def shop() -> Shop:
    return ShopFactory(owner=UserFactory(username="laowang"), name="王家茶园")  # type: ignore[no-any-return]


@pytest.fixture
def listing(shop: Shop) -> Listing:
    return make_listing(shop, title="安溪铁观音 250g", category=make_category("Tea", "Oolong"))


@pytest.fixture
def order(listing: Listing) -> Order:
    return completed_order(UserFactory(username="xiaomei"), listing)


# --- Rating an order --------------------------------------------------------------------------


def test_the_buyer_rates_the_seller_and_sees_their_own_rating_with_dsr(order: Order) -> None:
    response = buyer_rates(order, "good", comment="  茶叶很香  ")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["order"], body["side"], body["may_rate"]) == (
        str(order.public_id),
        "buyer",
        False,
    )
    given = body["given"]
    assert (given["value"], given["comment"], given["role"], given["status"]) == (
        "good",
        "茶叶很香",
        "by_buyer",
        "pending",
    )
    assert given["dsr"] == GOOD_DSR
    assert body["received"] is None
    assert_figures_sound()


def test_the_seller_rates_the_buyer_without_dsr(order: Order) -> None:
    response = seller_rates(order, "neutral")

    assert response.status_code == 201, response.json()
    given = response.json()["given"]
    assert (given["value"], given["role"], given["dsr"]) == ("neutral", "by_seller", None)


def test_double_blind_the_buyer_cannot_see_the_sellers_pending_rating(order: Order) -> None:
    seller_rates(order, "bad", comment="催了很多次")

    before = seen_by(order.buyer, order)
    assert (before["given"], before["received"], before["may_rate"]) == (None, None, True)
    assert "催了很多次" not in json.dumps(before)

    answer = buyer_rates(order, "good").json()  # both sides have rated: both are published

    assert answer["received"]["value"] == "bad"
    assert answer["received"]["comment"] == "催了很多次"
    assert answer["given"]["status"] == answer["received"]["status"] == "published"


def test_double_blind_the_seller_sees_the_buyers_rating_without_their_dsr(order: Order) -> None:
    buyer_rates(order, "neutral", comment="一般")
    assert seen_by(seller_of(order), order)["received"] is None

    seller_rates(order, "good")
    received = seen_by(seller_of(order), order)["received"]

    assert (received["value"], received["comment"]) == ("neutral", "一般")
    assert "dsr" not in received


def test_a_pending_rating_shows_once_the_window_ends(order: Order) -> None:
    seller_rates(order, "good")
    window_end = order.completed_at + timedelta(days=15)  # type: ignore[operator]

    with time_machine.travel(window_end + timedelta(seconds=1)):
        rating_window_close(order=order)
        seen = seen_by(order.buyer, order)

    assert seen["received"]["value"] == "good"
    assert seen["given"]["is_default"] is True  # the buyer stayed silent: a default good
    assert seen["may_rate"] is False


def unpaid(listing: Listing) -> Order:
    return place(UserFactory(), listing)


def cancelled(listing: Listing) -> Order:
    order = place(UserFactory(), listing)
    return order_cancel(order=order, actor=order.buyer)


def shipped(listing: Listing) -> Order:
    order = place(UserFactory(), listing)
    pay(order)
    return order_ship(order=order, actor=order.shop.owner, carrier="SF", tracking_number="SF1")


def refunded(listing: Listing) -> Order:
    order = place(UserFactory(), listing)
    pay(order)
    order.refresh_from_db()
    refund = refund_request(
        order=order,
        buyer=order.buyer,
        reason="damaged",
        amount=order.total,
        with_return=False,
    )
    refund_agree(refund=refund, actor=order.shop.owner)
    order.refresh_from_db()
    assert (order.status, order.close_reason) == (Order.Status.CLOSED, "refund")
    return order


@pytest.mark.parametrize("make", [unpaid, cancelled, shipped, refunded])
@pytest.mark.parametrize("side", ["buyer", "seller"])
def test_only_completed_orders_can_be_rated(listing: Listing, make: Any, side: str) -> None:
    order = make(listing)

    response = buyer_rates(order) if side == "buyer" else seller_rates(order)

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "order_not_rateable"
    assert response.json()["extra"]["status"] == order.status
    assert not Rating.objects.exists()
    assert seen_by(order.buyer, order)["may_rate"] is False


def test_the_window_closes_fifteen_days_after_completion(listing: Listing) -> None:
    order = completed_order(
        UserFactory(), listing, completed_at=timezone.now() - timedelta(days=15, minutes=1)
    )

    response = buyer_rates(order)

    assert response.status_code == 409
    assert response.json()["code"] == "rating_window_closed"
    assert not Rating.objects.exists()


def test_each_side_rates_once(order: Order) -> None:
    assert buyer_rates(order).status_code == 201

    again = buyer_rates(order, "bad")

    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"
    assert list(Rating.objects.values_list("value", flat=True)) == [Rating.Value.GOOD]


def test_the_same_idempotency_key_gets_the_first_answer_and_rates_once(order: Order) -> None:
    body = {"value": "good", "dsr": GOOD_DSR}
    first = post(order.buyer, rate_url(order), body, key="rate-1")
    again = post(order.buyer, rate_url(order), body, key="rate-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("side", "data", "field"),
    [
        ("buyer", {"value": "great", "dsr": GOOD_DSR}, "value"),
        ("buyer", {"dsr": GOOD_DSR}, "value"),
        ("buyer", {"value": "good"}, "dsr"),
        ("buyer", {"value": "good", "dsr": {**GOOD_DSR, "described": 6}}, "dsr.described"),
        ("buyer", {"value": "good", "dsr": {**GOOD_DSR, "shipping": 0}}, "dsr.shipping"),
        ("buyer", {"value": "good", "dsr": {"described": 5}}, "dsr.attitude"),
        ("buyer", {"value": "good", "dsr": GOOD_DSR, "comment": "字" * 501}, "comment"),
        ("seller", {"value": "good", "dsr": GOOD_DSR}, "dsr"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_rates_nothing(
    order: Order, side: str, data: dict[str, Any], field: str
) -> None:
    user = order.buyer if side == "buyer" else seller_of(order)

    response = post(user, rate_url(order), data)

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    assert field in response.json()["extra"]["fields"]
    assert not Rating.objects.exists()


def test_someone_elses_order_is_not_found(order: Order) -> None:
    stranger = UserFactory()
    other_seller = ShopFactory().owner

    for user in (stranger, other_seller):
        rated = post(user, rate_url(order), {"value": "bad", "dsr": GOOD_DSR})
        read = client_for(user).get(ratings_url(order))
        assert (rated.status_code, read.status_code) == (404, 404)
        assert rated.json()["code"] == read.json()["code"] == "order_not_found"
    assert client_for(stranger).get("/api/orders/not-a-uuid/ratings/").status_code == 404
    assert not Rating.objects.exists()


def test_rating_needs_a_login(order: Order) -> None:
    response = client_for(None).post(rate_url(order), {"value": "good"}, format="json")

    assert response.status_code in (401, 403)
    assert client_for(None).get(ratings_url(order)).status_code in (401, 403)


# --- Replies ----------------------------------------------------------------------------------


def both_rated(order: Order, buyer_value: str = "good", seller_value: str = "good") -> Rating:
    """Both sides rate; returns the buyer's (published) rating of the seller."""
    assert buyer_rates(order, buyer_value).status_code == 201
    assert seller_rates(order, seller_value).status_code == 201
    return Rating.objects.get(order=order, role=Rating.Role.BY_BUYER)


def reply_url(rating: Rating) -> str:
    return f"/api/ratings/{rating.public_id}/reply/"


def test_the_rated_seller_replies_once(order: Order) -> None:
    rating = both_rated(order, "neutral")

    first = post(seller_of(order), reply_url(rating), {"text": "已补发赠品，谢谢"})
    same = post(seller_of(order), reply_url(rating), {"text": "已补发赠品，谢谢"})
    other = post(seller_of(order), reply_url(rating), {"text": "改一下"})

    assert first.status_code == 200, first.json()
    assert first.json()["reply"] == "已补发赠品，谢谢"
    assert "dsr" not in first.json()
    assert same.status_code == 200
    assert other.status_code == 409
    assert other.json()["code"] == "already_replied"
    rating.refresh_from_db()
    assert rating.reply == "已补发赠品，谢谢"
    assert seen_by(order.buyer, order)["given"]["reply"] == "已补发赠品，谢谢"


def test_the_rated_buyer_replies_to_the_sellers_rating(order: Order) -> None:
    both_rated(order)
    of_buyer = Rating.objects.get(order=order, role=Rating.Role.BY_SELLER)

    response = post(order.buyer, reply_url(of_buyer), {"text": "谢谢老板"})

    assert response.status_code == 200, response.json()
    assert response.json()["reply"] == "谢谢老板"


def test_only_the_rated_side_may_reply_and_only_to_a_published_rating(order: Order) -> None:
    buyer_rates(order, "bad")
    pending = Rating.objects.get()

    hidden = post(seller_of(order), reply_url(pending), {"text": "?"})
    assert hidden.status_code == 404  # still double-blind: not even its existence shows
    assert hidden.json()["code"] == "rating_not_found"

    seller_rates(order)
    for user in (order.buyer, UserFactory(), ShopFactory().owner):  # the rater, strangers
        assert post(user, reply_url(pending), {"text": "?"}).status_code == 404
    assert (
        post(seller_of(order), f"/api/ratings/{uuid.uuid4()}/reply/", {"text": "?"}).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.reply == ""


def test_an_empty_reply_is_a_400(order: Order) -> None:
    rating = both_rated(order)

    response = post(seller_of(order), reply_url(rating), {"text": ""})

    assert response.status_code == 400
    assert "text" in response.json()["extra"]["fields"]


# --- Revisions --------------------------------------------------------------------------------


def revise_url(rating: Rating) -> str:
    return f"/api/ratings/{rating.public_id}/revise/"


def test_the_rater_changes_a_bad_rating_to_good_once(order: Order) -> None:
    rating = both_rated(order, "bad")

    first = post(order.buyer, revise_url(rating), {})
    again = post(order.buyer, revise_url(rating), {"delete": True})

    assert first.status_code == 200, first.json()
    assert (first.json()["value"], first.json()["original_value"]) == ("good", "bad")
    assert first.json()["dsr"] == GOOD_DSR  # the rater sees their own scores
    assert again.status_code == 409
    assert again.json()["code"] == "already_revised"
    rating.refresh_from_db()
    assert (rating.value, rating.status) == (Rating.Value.GOOD, Rating.Status.PUBLISHED)
    assert_figures_sound()


def test_the_rater_deletes_a_neutral_rating(order: Order) -> None:
    rating = both_rated(order, "neutral")

    response = post(order.buyer, revise_url(rating), {"delete": True})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "deleted"
    assert seen_by(seller_of(order), order)["received"] is None
    assert_figures_sound()


def test_a_good_rating_cannot_be_revised(order: Order) -> None:
    rating = both_rated(order, "good")

    response = post(order.buyer, revise_url(rating), {"delete": True})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    rating.refresh_from_db()
    assert rating.status == Rating.Status.PUBLISHED


def test_revision_ends_thirty_days_after_rating(order: Order) -> None:
    rating = both_rated(order, "bad")

    with time_machine.travel(rating.rated_at + timedelta(days=30, seconds=1)):
        response = post(order.buyer, revise_url(rating), {})

    assert response.status_code == 409
    assert response.json()["code"] == "rating_window_closed"
    rating.refresh_from_db()
    assert (rating.value, rating.revised_at) == (Rating.Value.BAD, None)


def test_only_the_rater_may_revise(order: Order) -> None:
    rating = both_rated(order, "bad")

    for user in (seller_of(order), UserFactory()):
        response = post(user, revise_url(rating), {})
        assert response.status_code == 404
        assert response.json()["code"] == "rating_not_found"
    rating.refresh_from_db()
    assert rating.value == Rating.Value.BAD


# --- Public lists -----------------------------------------------------------------------------


def rate_with_services(order: Order, *, buyer: int, seller: int, dsr: DSR) -> None:
    rating_submit(order=order, rater=order.buyer, value=buyer, comment="买家说", dsr=dsr)
    rating_submit(order=order, rater=order.shop.owner, value=seller, comment="卖家说")


def walk(value: Any) -> list[str]:
    """Every key in a JSON document."""
    if isinstance(value, dict):
        return [key for k, v in value.items() for key in (k, *walk(v))]
    if isinstance(value, list):
        return [key for item in value for key in walk(item)]
    return []


def test_the_shop_list_shows_published_ratings_masked_and_without_anyones_dsr(
    shop: Shop, listing: Listing
) -> None:
    published = completed_order(UserFactory(username="lihua"), listing)
    rate_with_services(published, buyer=1, seller=1, dsr=DSR(5, 4, 3))
    pending = completed_order(UserFactory(username="zhangsan"), listing)
    rating_submit(order=pending, rater=pending.buyer, value=-1, comment="不好", dsr=DSR(1, 1, 1))

    response = APIClient().get(f"/api/shops/{shop.slug}/ratings/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["rater"] == "l***a"
    assert (item["value"], item["comment"], item["item_title"], item["is_default"]) == (
        "good",
        "买家说",
        "安溪铁观音 250g",
        False,
    )
    assert "不好" not in json.dumps(body, ensure_ascii=False)
    raw = {"dsr", "dsr_described", "dsr_attitude", "dsr_shipping", "described", "shipping"}
    assert not raw & set(walk(body["results"]))
    summary = body["summary"]
    assert (summary["score"], summary["level"], summary["grade"]) == (1, 0, "none")
    assert summary["good_rate"] == "1.0000"
    assert summary["category"]["name"] == "Tea"
    assert summary["dsr"]["described"]["mean"] == "5.00"  # a mean, never one buyer's row


def test_the_shop_summary_compares_dsr_with_the_category_mean(shop: Shop, listing: Listing) -> None:
    rate_with_services(completed_order(UserFactory(), listing), buyer=1, seller=1, dsr=DSR(5, 5, 4))
    rival = make_listing(category=make_category("Tea", "Green tea"))
    rate_with_services(completed_order(UserFactory(), rival), buyer=1, seller=1, dsr=DSR(3, 5, 4))

    dsr = APIClient().get(f"/api/shops/{shop.slug}/ratings/").json()["summary"]["dsr"]

    assert dsr["described"] == {
        "label": "Item as described",
        "mean": "5.00",
        "category_mean": "4.00",
        "versus_category": "25.00",
    }
    assert dsr["attitude"]["versus_category"] == "0.00"
    rival_dsr = APIClient().get(f"/api/shops/{rival.shop.slug}/ratings/").json()["summary"]
    assert rival_dsr["dsr"]["described"]["versus_category"] == "-25.00"


def test_the_shop_list_pages_and_filters_by_value(shop: Shop, listing: Listing) -> None:
    for value in (1, 1, -1):
        order = completed_order(UserFactory(), listing)
        rate_with_services(order, buyer=value, seller=1, dsr=DSR(4, 4, 4))

    first = APIClient().get(f"/api/shops/{shop.slug}/ratings/", {"page_size": 2}).json()
    bad = APIClient().get(f"/api/shops/{shop.slug}/ratings/", {"value": "bad"}).json()

    assert (first["count"], len(first["results"])) == (3, 2)
    assert first["next"] is not None
    assert [item["value"] for item in bad["results"]] == ["bad"]
    wrong = APIClient().get(f"/api/shops/{shop.slug}/ratings/", {"value": "great"})
    assert wrong.status_code == 400
    assert APIClient().get("/api/shops/no-such-shop/ratings/").status_code == 404


def test_the_user_list_shows_what_sellers_said_of_a_buyer(order: Order) -> None:
    rate_with_services(order, buyer=1, seller=0, dsr=DSR(5, 5, 5))

    response = APIClient().get("/api/users/XiaoMei/ratings/")  # any letter case

    assert response.status_code == 200
    body = response.json()
    [item] = body["results"]
    assert (item["value"], item["comment"], item["rater"]) == ("neutral", "卖家说", "l***g")
    assert item["shop"] == {"slug": order.shop.slug, "name": "王家茶园"}
    assert body["summary"] == {
        "score": 0,
        "level": 0,
        "grade": "none",
        "good_rate": "0.0000",
        "good": 0,
        "neutral": 1,
        "bad": 0,
    }
    assert APIClient().get("/api/users/nobody-here/ratings/").status_code == 404


def test_the_user_list_hides_a_pending_rating(order: Order) -> None:
    rating_submit(order=order, rater=order.shop.owner, value=-1, comment="差")

    body = APIClient().get("/api/users/xiaomei/ratings/").json()

    assert (body["count"], body["results"]) == (0, [])


def test_a_default_rating_shows_as_such(order: Order) -> None:
    rating_submit(order=order, rater=order.shop.owner, value=1)
    with time_machine.travel(timezone.now() + timedelta(days=15, seconds=1)):
        rating_window_close(order=order)

    [item] = APIClient().get(f"/api/shops/{order.shop.slug}/ratings/").json()["results"]

    assert (item["value"], item["is_default"], item["rater"]) == ("good", True, "x***i")


@pytest.mark.parametrize(
    ("username", "masked"), [("lihua", "l***a"), ("ab", "a***b"), ("x", "x***"), ("", "***")]
)
def test_usernames_are_masked_without_their_length(username: str, masked: str) -> None:
    assert mask_username(username) == masked


def test_good_rate_is_a_fraction_string(order: Order) -> None:
    rate_with_services(order, buyer=1, seller=1, dsr=DSR(5, 5, 5))

    shop = APIClient().get(f"/api/shops/{order.shop.slug}/ratings/").json()["summary"]

    assert Decimal(shop["good_rate"]) == Decimal("1")


def count_queries(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_public_lists_cost_the_same_queries_for_any_page_size(
    shop: Shop, listing: Listing
) -> None:
    regular = UserFactory(username="regular")

    def rate_some(count: int) -> None:
        for _ in range(count):
            order = completed_order(regular, listing)
            rate_with_services(order, buyer=1, seller=1, dsr=DSR(4, 4, 4))

    urls = (f"/api/shops/{shop.slug}/ratings/", "/api/users/regular/ratings/")
    rate_some(2)
    few = [count_queries(url) for url in urls]

    rate_some(10)

    assert [count_queries(url) for url in urls] == few
    assert APIClient().get(urls[1]).json()["count"] == 12
