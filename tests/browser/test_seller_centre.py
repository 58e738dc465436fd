"""A villager opens a shop and lists goods in the browser, start to finish."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shops.models import SKU, Listing, Shop
from tests.factories import (
    PASSWORD,
    ShopFactory,
    UserFactory,
    make_category,
    make_listing,
    make_place,
)
from tests.images import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_new_seller_opens_a_shop_and_publishes_a_listing_with_a_variant_grid(
    page: Page, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    make_place()
    make_category("服装", "女装")
    picture = tmp_path / "dress.jpg"
    picture.write_bytes(image_bytes(size=(800, 800), color="#d33", fmt="JPEG"))

    # Sign up and open a shop.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("ahua")
    page.get_by_label("Email").fill("ahua@example.com")
    page.get_by_label("Password", exact=True).fill("silk-road-2024")
    page.get_by_label("Password again").fill("silk-road-2024")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("navigation").get_by_role("link", name="Seller centre").click()
    expect(page.get_by_role("heading", name="Open your shop — free")).to_be_visible()
    page.get_by_label("Name").fill("阿花的小店")
    page.get_by_label("Shop address").fill("ahua")
    page.get_by_label("Location").select_option(label="浙江省 / 金华市 / 义乌市 / 青岩刘村")
    page.get_by_label("Description").fill("自家缝制的连衣裙")
    page.get_by_role("button", name="Open shop").click()
    expect(page.get_by_text("Your shop “阿花的小店” is open.")).to_be_visible()

    # Create a listing with a 2×2 grid.
    page.get_by_role("link", name="New listing").first.click()
    page.get_by_label("Title").fill("韩版修身连衣裙 夏季新款")
    page.get_by_label("Category").select_option(label="服装 › 女装")
    page.get_by_label("Variant attributes").fill("颜色: 红, 蓝\n尺码: M, L")
    page.get_by_role("button", name="Update SKU grid").click()
    for label, price, stock in [
        ("颜色: 红 / 尺码: M", "89.00", "5"),
        ("颜色: 红 / 尺码: L", "89.00", "3"),
        ("颜色: 蓝 / 尺码: M", "99.00", "4"),
        ("颜色: 蓝 / 尺码: L", "99.00", "0"),
    ]:
        page.get_by_label(f"Price of {label}").fill(price)
        page.get_by_label(f"Stock of {label}").fill(stock)
    page.get_by_role("button", name="Save listing").click()
    expect(page.get_by_text("“韩版修身连衣裙 夏季新款” saved.")).to_be_visible()

    # Add a picture and publish.
    page.get_by_label("Add pictures").set_input_files(str(picture))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_alt_text("Picture 1")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is on sale")).to_be_visible()

    listing = Listing.objects.get()
    assert listing.status == Listing.Status.ACTIVE
    assert sorted(SKU.objects.values_list("price", "stock")) == sorted(
        [(89, 5), (89, 3), (99, 4), (99, 0)]
    )

    # The storefront shows it with its cover and price range.
    page.goto(f"{live_server.url}/shops/ahua/")
    card = page.locator(".card-item", has_text="韩版修身连衣裙")
    expect(card).to_be_visible()
    expect(card.locator(".price")).to_have_text("¥89.00 – ¥99.00")
    expect(card.locator("img")).to_be_visible()


def test_csv_import_with_one_bad_row_shows_the_line_and_saves_nothing(
    page: Page, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    shop = ShopFactory(owner=UserFactory(username="laochen"))
    tea = make_category("茶叶")
    csv_file = tmp_path / "listings.csv"
    csv_file.write_text(
        "listing,title,category,description,shipping_method,shipping_fee,variants,price,stock\n"
        f"tea,安溪铁观音 浓香型,{tea.slug},,express,0,重量=250g,68.00,20\n"
        f"tea,安溪铁观音 浓香型,{tea.slug},,express,0,重量=500g,-5,10\n"
        f"pot,紫砂茶壶,{tea.slug},,express,10,,158.00,3\n",
        encoding="utf-8-sig",
    )

    log_in(page, live_server.url, "laochen")
    page.goto(f"{live_server.url}/seller/listings/import/")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import").click()

    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Nothing was saved")
    expect(errors).to_contain_text("Line 3: price: 重量: 500g — the price must be more than 0.")
    assert not Listing.objects.filter(shop=shop).exists()


def test_another_seller_cannot_open_the_first_sellers_edit_page(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    listing = make_listing(title="Hand-woven bamboo basket")
    ShopFactory(owner=UserFactory(username="rival"))

    log_in(page, live_server.url, "rival")
    response = page.goto(f"{live_server.url}/seller/listings/{listing.public_id}/")

    assert response is not None and response.status == 404
    expect(page.get_by_text("Hand-woven bamboo basket")).to_have_count(0)
    assert Shop.objects.count() == 2
