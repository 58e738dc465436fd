"""Ratings in the seller centre: buyers have rated the tea shop; the seller rates the last buyer
back, which publishes both ratings and earns the shop its first heart on the storefront."""

from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from ratings.models import Rating
from ratings.services.ratings import DSR, rating_submit
from shops.services.shops import shop_credit_set
from tests.browser.conftest import SCREENSHOTS
from tests.factories import PASSWORD, ShopFactory, UserFactory, make_category, make_listing
from tests.ratings.helpers import completed_order

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1100, "height": 800}


def snapshot(page: Page, name: str, *, phone: bool = False) -> None:
    """An extra screenshot beside the one the ``page`` fixture takes of the final page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if phone:
        page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"ratings-{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size(DESKTOP)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_seller_rates_a_buyer_back_and_the_storefront_shows_a_heart(
    page: Page, live_server: Any
) -> None:
    shop = ShopFactory(owner=UserFactory(username="laowang"), name="王家茶园", slug="wangjia")
    listing = make_listing(
        shop,
        title="安溪铁观音 浓香型 250g",
        price="68.00",
        category=make_category("茶叶", "乌龙茶"),
    )
    for name, words in [("lihua", "茶香浓郁"), ("ahua", "回购了"), ("dawei", "包装很好")]:
        order = completed_order(UserFactory(username=name), listing)
        rating_submit(order=order, rater=order.buyer, value=1, comment=words, dsr=DSR(5, 5, 4))
        rating_submit(order=order, rater=shop.owner, value=1, comment="欢迎再来")
    last = completed_order(UserFactory(username="xiaomei"), listing)
    rating_submit(
        order=last, rater=last.buyer, value=1, comment="物流很快，茶不错", dsr=DSR(5, 4, 5)
    )
    other_shop = ShopFactory(name="李记竹编", slug="lizhu")
    make_listing(other_shop, title="竹篮", category=make_category("茶叶", "绿茶"))

    # Three points: no grade yet on the storefront.
    page.goto(f"{live_server.url}/shops/wangjia/")
    expect(page.locator(".shop-header")).to_contain_text("No grade yet")

    # The seller finds xiaomei's order under Ratings, with the days left to rate.
    log_in(page, live_server.url, "laowang")
    page.get_by_role("navigation").get_by_role("link", name="Seller centre").click()
    page.locator(".seller-nav").get_by_role("link", name="Ratings").click()
    expect(page.locator("#credit-score")).to_have_text("3")
    row = page.locator("table.to-rate tbody tr", has_text="xiaomei")
    expect(row).to_contain_text("安溪铁观音 浓香型 250g × 1")
    expect(row).to_contain_text("14 days 23 hours left")
    snapshot(page, "to-rate")
    snapshot(page, "to-rate-phone", phone=True)

    # The seller rates the buyer good: both ratings are published and the shop earns a heart.
    row.get_by_role("link", name=f"Rate the buyer of order {str(last.public_id)[:8]}").click()
    expect(page.locator("#rate-order")).to_contain_text("xiaomei")
    page.get_by_label("Good (+1)").check()
    page.get_by_label("Comment").fill("付款及时，好买家")
    snapshot(page, "rate-form")
    page.get_by_role("button", name="Submit rating").click()
    expect(page.get_by_text("both ratings are now published")).to_be_visible()
    expect(page.locator("#credit-score")).to_have_text("4")
    expect(page.locator("#credit-grade")).to_have_text("1 heart")
    expect(page.locator("#good-rate")).to_have_text("100.00%")
    expect(page.locator(".seller-nav .credit-heart")).to_have_attribute(
        "title", "Seller credit: 1 heart"
    )
    expect(page.locator("table.to-rate")).to_contain_text("Nothing to rate")
    snapshot(page, "overview")

    # What buyers said, with a reply to xiaomei.
    page.locator("#tab-received").click()
    rating = Rating.objects.get(order=last, role=Rating.Role.BY_BUYER)
    item = page.locator(f"#rating-{rating.public_id}")
    expect(item).to_contain_text("物流很快，茶不错")
    item.get_by_label("Your reply").fill("谢谢支持，欢迎再来！")
    item.get_by_role("button", name="Reply").click()
    expect(page.get_by_text("Your reply is published")).to_be_visible()
    expect(page.locator(f"#rating-{rating.public_id} .reply")).to_contain_text(
        "谢谢支持，欢迎再来！"
    )
    snapshot(page, "received")

    # The storefront shows the red heart, the good rate and the way to the ratings.
    page.goto(f"{live_server.url}/shops/wangjia/")
    header = page.locator(".shop-header")
    badge = header.locator(".credit-badge.credit-heart")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("title", "Seller credit: 1 heart")
    expect(badge.locator(".icon")).to_have_count(1)
    assert badge.evaluate("el => getComputedStyle(el).color") == "rgb(228, 57, 60)"
    expect(header.locator("#shop-credit")).to_contain_text("Good rate 100.00%")
    snapshot(page, "storefront")

    # The public ratings page: masked buyers, the reply, the shop's DSR against 茶叶.
    header.get_by_role("link", name="Ratings").click()
    expect(page.locator("#shop-ratings .rating")).to_have_count(4)
    expect(page.locator("#shop-ratings")).to_contain_text("x***i")
    expect(page.locator("#shop-ratings")).not_to_contain_text("xiaomei")
    expect(page.locator("#shop-ratings")).to_contain_text("谢谢支持，欢迎再来！")
    expect(page.locator("#dsr")).to_contain_text("compared with 茶叶")
    snapshot(page, "public")
    snapshot(page, "public-phone", phone=True)

    # Higher grades: blue diamonds, blue-purple crowns and golden crowns.
    for level, slug in [(8, "diamonds"), (13, "crowns"), (18, "golden")]:
        graded = ShopFactory(name=f"Grade {level}", slug=slug)
        shop_credit_set(shop_id=graded.pk, score=0, level=level, good_rate=None)
        page.goto(f"{live_server.url}/shops/{slug}/")
        expect(page.locator(".shop-header .credit-badge .icon")).to_have_count((level - 1) % 5 + 1)
        snapshot(page, f"storefront-{slug}")
    page.goto(f"{live_server.url}/listings/{listing.public_id}/")
    expect(page.locator(".listing-detail .credit-heart")).to_be_visible()
