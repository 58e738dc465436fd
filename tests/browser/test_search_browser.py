"""A buyer searches from the home page's search box in Chinese, narrows by category and price,
sorts by price, and finds the trusted seller's dress first."""

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from search.services.indexing import dirty_drain
from shops.services.shops import shop_credit_set
from tests.browser.conftest import SCREENSHOTS
from tests.factories import PASSWORD, ShopFactory, UserFactory, make_category, make_listing

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_buyer_searches_narrows_and_sorts_in_the_browser(page: Page, live_server: Any) -> None:
    dresses = make_category("服装", "女装", "连衣裙")
    skirts = make_category("服装", "女装", "半身裙")
    trusted = ShopFactory(name="四季青女装档口", slug="sijiqing")
    newcomer = ShopFactory(name="小李新店", slug="xiaoli")
    make_listing(
        trusted, title="韩版修身连衣裙女夏季新款显瘦气质长裙", category=dresses, price="129.00"
    )
    make_listing(
        newcomer, title="韩版修身连衣裙女夏季新款显瘦气质长裙", category=dresses, price="99.00"
    )
    make_listing(newcomer, title="碎花雪纺连衣裙 法式复古", category=dresses, price="89.00")
    make_listing(trusted, title="百褶半身裙 高腰 连衣裙同款面料", category=skirts, price="69.00")
    make_listing(trusted, title="真丝围巾 苏州", category=make_category("服饰配件"), price="199.00")
    dirty_drain()
    shop_credit_set(shop_id=trusted.pk, score=300, level=7, good_rate=Decimal("0.9980"))
    dirty_drain()

    page.goto(f"{live_server.url}/")
    page.get_by_label("Search goods").fill("连衣裙")
    page.get_by_role("button", name="Search", exact=True).click()

    results = page.locator("#results .card-item")
    expect(page.locator("#result-count")).to_contain_text("4 listings for “连衣裙”")
    expect(results.first).to_contain_text("四季青女装档口")
    expect(page.locator("#results")).not_to_contain_text("真丝围巾")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-results.png"), full_page=True)

    page.locator("#facets").get_by_role("link", name="服装").click()
    page.locator("#facets").get_by_role("link", name="女装").click()
    page.locator("#facets").get_by_role("link", name="连衣裙").click()
    expect(page.locator("#result-count")).to_contain_text("3 listings")

    page.get_by_role("link", name="Price: low to high").click()
    expect(results.first).to_contain_text("碎花雪纺连衣裙")
    expect(results.last).to_contain_text("¥129.00")


def test_a_seller_asks_why_a_listing_ranks_where_it_does(page: Page, live_server: Any) -> None:
    shop = ShopFactory(owner=UserFactory(username="xiaoli"), name="小李新店", slug="xiaoli")
    mine = make_listing(shop, title="韩版修身连衣裙女夏季新款显瘦气质长裙", price="99.00")
    trusted = ShopFactory(name="四季青女装档口")
    make_listing(trusted, title="韩版修身连衣裙女夏季新款显瘦气质长裙", price="129.00")
    dirty_drain()
    shop_credit_set(shop_id=trusted.pk, score=300, level=7, good_rate=Decimal("0.9980"))
    dirty_drain()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("xiaoli")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Seller centre").first.click()
    page.get_by_role("link", name="Search ranking").click()
    page.get_by_label("Buyer's search words").fill("连衣裙")
    page.get_by_label("Listing").select_option(str(mine.public_id))
    page.get_by_role("button", name="Explain").click()

    expect(page.locator("#position")).to_contain_text("number 2 of 2")
    expect(page.locator("#signals")).to_contain_text("Your shop's credit grade")
