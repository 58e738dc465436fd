"""Credit grades where buyers see them: the storefront, the listing page, the seller centre, the
listing and shop API, and the public page of a shop's ratings."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ratings.services.counting import grade_level, grade_name
from ratings.services.ratings import DSR, rating_submit
from shops.credit import TOP_LEVEL, credit_grade_name
from shops.models import Listing, Shop
from shops.services.images import listing_image_add
from shops.services.shops import shop_credit_set
from tests.factories import ShopFactory, UserFactory, make_category, make_listing
from tests.images import image_upload
from tests.ratings.helpers import completed_order

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


def graded(shop: Shop, level: int, good_rate: str | None = "0.9876") -> Shop:
    shop_credit_set(
        shop_id=shop.pk,
        score=0,
        level=level,
        good_rate=None if good_rate is None else Decimal(good_rate),
    )
    shop.refresh_from_db()
    return shop


def earn_one_heart(listing: Listing) -> None:
    """Four buyers rate the shop good and are rated good: 4 points, 1 heart."""
    for _ in range(4):
        order = completed_order(UserFactory(), listing)
        rating_submit(order=order, rater=order.buyer, value=1, dsr=DSR(5, 5, 5))
        rating_submit(order=order, rater=order.shop.owner, value=1)


def add_image(listing: Listing) -> None:
    listing_image_add(
        listing=listing, actor=listing.shop.owner, upload=image_upload(size=(200, 200))
    )


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", range(TOP_LEVEL + 1))
def test_shops_names_each_grade_as_ratings_does(level: int) -> None:
    assert credit_grade_name(level) == grade_name(level)


@pytest.mark.parametrize(
    ("score", "name"),
    [
        (3, "none"),
        (4, "1 heart"),
        (250, "5 hearts"),
        (251, "1 diamond"),
        (10_001, "1 crown"),
        (500_001, "1 golden crown"),
        (10_000_001, "5 golden crowns"),
    ],
)
def test_scores_turn_into_the_grades_of_the_table(score: int, name: str) -> None:
    assert credit_grade_name(grade_level(score)) == name


# --- The storefront and the listing page ------------------------------------------------------


def test_ratings_earn_the_storefront_a_red_heart_and_a_good_rate(client: Client) -> None:
    shop = ShopFactory(slug="tea", name="王家茶园")
    earn_one_heart(make_listing(shop, title="铁观音"))

    page = html(client.get("/shops/tea/"))

    header = page.split('<section class="shop-header">')[1].split("</section>")[0]
    assert 'class="credit-badge credit-heart"' in header
    assert "Seller credit: 1 heart" in header
    assert header.count("♥") == 1
    assert 'id="shop-credit">Good rate <strong>100.00%</strong>' in header
    assert 'href="/shops/tea/ratings/"' in header


@pytest.mark.parametrize(
    ("level", "css", "icon", "count", "name"),
    [
        (3, "credit-heart", "♥", 3, "3 hearts"),
        (7, "credit-diamond", "◆", 2, "2 diamonds"),
        (13, "credit-crown", "<svg", 3, "3 crowns"),
        (20, "credit-golden-crown", "<svg", 5, "5 golden crowns"),
    ],
)
def test_each_kind_of_grade_has_its_icons(
    client: Client, level: int, css: str, icon: str, count: int, name: str
) -> None:
    graded(ShopFactory(slug="shop"), level)

    page = html(client.get("/shops/shop/"))

    assert f'class="credit-badge {css}"' in page
    assert f'data-level="{level}"' in page
    assert f"Seller credit: {name}" in page
    header = page.split('<section class="shop-header">')[1].split("</section>")[0]
    assert header.count(icon) == count
    assert "98.76%" in header


def test_a_new_shop_has_no_grade_yet_and_no_good_rate(client: Client) -> None:
    ShopFactory(slug="new")

    page = html(client.get("/shops/new/"))

    assert "No grade yet" in page
    assert "Good rate" not in page
    assert 'href="/shops/new/ratings/"' in page


def test_the_listing_page_shows_the_sellers_grade(client: Client) -> None:
    shop = graded(ShopFactory(), 8)
    listing = make_listing(shop, title="竹篮")

    page = html(client.get(f"/listings/{listing.public_id}/"))

    assert "Seller credit: 3 diamonds" in page
    assert page.count("◆") == 3
    assert "good rate 98.76%" in page


def test_the_seller_centre_shows_the_grade_and_a_ratings_link(client: Client) -> None:
    shop = graded(ShopFactory(), 16)
    client.force_login(shop.owner)

    page = html(client.get("/seller/"))

    nav = page.split('<aside class="seller-nav">')[1].split("</aside>")[0]
    assert "Seller credit: 1 golden crown" in nav
    assert '<a href="/seller/ratings/" id="nav-ratings">Ratings</a>' in nav


# --- The API ----------------------------------------------------------------------------------


def test_the_listing_api_shows_the_sellers_grade_and_good_rate(api_client: APIClient) -> None:
    shop = ShopFactory()
    earn_one_heart(make_listing(shop))

    [item] = api_client.get("/api/listings/").json()["results"]

    assert item["shop"]["credit"] == {
        "score": 4,
        "level": 1,
        "grade": "1 heart",
        "good_rate": "1.0000",
    }


def test_the_shop_api_shows_the_credit(api_client: APIClient) -> None:
    shop = graded(ShopFactory(slug="crowned"), 12, good_rate=None)

    credit = api_client.get("/api/shops/crowned/").json()["credit"]

    assert credit == {"score": 0, "level": 12, "grade": "2 crowns", "good_rate": None}
    [listed] = api_client.get("/api/shops/").json()["results"]
    assert listed["credit"]["grade"] == "2 crowns"
    assert shop.slug == listed["slug"]


def count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_listing_list_costs_no_more_queries_with_grades(
    api_client: APIClient, django_assert_max_num_queries: Any
) -> None:
    category = make_category("Home")
    shops = [graded(ShopFactory(), level) for level in (0, 5, 10, 15, 20)]
    for shop in shops:
        add_image(make_listing(shop, category=category))
    url = "/api/listings/?page_size=50"
    queries_for_five = count_queries(api_client, url)
    for shop in shops:
        for _ in range(9):
            add_image(make_listing(shop, category=category))

    with django_assert_max_num_queries(6):
        response = api_client.get(url)

    assert len(response.json()["results"]) == 50
    assert {item["shop"]["credit"]["level"] for item in response.json()["results"]} == {
        0,
        5,
        10,
        15,
        20,
    }
    assert count_queries(api_client, url) == queries_for_five


# --- The public page of a shop's ratings ------------------------------------------------------


def test_the_public_ratings_page_shows_published_ratings_only_and_no_buyers_dsr(
    client: Client,
) -> None:
    shop = ShopFactory(slug="tea", name="王家茶园")
    listing = make_listing(shop, title="铁观音 250g")
    published = completed_order(UserFactory(username="lihua"), listing)
    rating_submit(order=published, rater=published.buyer, value=1, comment="很香", dsr=DSR(5, 4, 3))
    rating_submit(order=published, rater=shop.owner, value=1)
    pending = completed_order(UserFactory(username="zhangsan"), listing)
    rating_submit(order=pending, rater=pending.buyer, value=-1, comment="太差", dsr=DSR(1, 1, 1))

    page = html(client.get("/shops/tea/ratings/"))

    ratings = page.split('<ul class="ratings" id="shop-ratings">')[1].split("</ul>")[0]
    assert ratings.count('<li class="rating">') == 1
    assert "l***a" in ratings
    assert "lihua" not in page
    assert "很香" in ratings and "铁观音 250g" in ratings
    assert "太差" not in page and "zhangsan" not in page
    dsr = page.split('<table class="dsr" id="dsr">')[1].split("</table>")[0]
    assert "5.00" in dsr and "4.00" in dsr and "3.00" in dsr  # the shop's means


def test_the_public_ratings_page_pages_and_filters(client: Client) -> None:
    shop = ShopFactory(slug="busy")
    listing = make_listing(shop)
    for value in [1] * 21 + [-1]:
        order = completed_order(UserFactory(), listing)
        rating_submit(order=order, rater=order.buyer, value=value, dsr=DSR(4, 4, 4))
        rating_submit(order=order, rater=shop.owner, value=1)

    first = client.get("/shops/busy/ratings/")
    second = client.get("/shops/busy/ratings/", {"page": 2})
    bad = client.get("/shops/busy/ratings/", {"value": "bad"})

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 2
    assert "Page 1 of 2" in html(first)
    assert [row.value_name for row in bad.context["rows"]] == ["bad"]
    assert client.get("/shops/nobody/ratings/").status_code == 404
