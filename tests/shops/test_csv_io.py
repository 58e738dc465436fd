"""CSV import and export of listings: all or nothing, with line numbers."""

import pytest

from shops.models import SKU, Listing
from shops.services.csv_io import CsvImportFailed, listings_export_csv, listings_import_csv
from tests.factories import ShopFactory, make_category, make_listing

pytestmark = pytest.mark.django_db

HEADER = "listing,title,category,description,shipping_method,shipping_fee,variants,price,stock\n"


def import_text(shop, text: str, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    return listings_import_csv(shop=shop, actor=shop.owner, content=text.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_import_creates_draft_listings_with_bom_or_without(encoding: str) -> None:
    shop = ShopFactory()
    tea = make_category("茶叶")
    text = HEADER + (
        f"tgy,安溪铁观音,{tea.slug},浓香型,express,0,重量=250g,68.00,20\n"
        f"tgy,安溪铁观音,{tea.slug},浓香型,express,0,重量=500g,128.00,10\n"
        f"pot,Clay teapot,{tea.slug},,post,12.50,,158,3\n"
    )

    result = import_text(shop, text, encoding)

    assert (result.created, result.updated) == (2, 0)
    tgy = Listing.objects.get(title="安溪铁观音")
    assert tgy.status == Listing.Status.DRAFT
    assert tgy.variant_attributes == [{"name": "重量", "values": ["250g", "500g"]}]
    assert (tgy.price_min, tgy.price_max, tgy.total_stock) == (68, 128, 30)


def test_export_then_import_updates_in_place() -> None:
    listing = make_listing(variants={"Colour": ["Red", "Blue"]}, price="10.00", stock=1)
    exported = listings_export_csv(shop=listing.shop)

    result = import_text(listing.shop, exported.replace(",10.00,1", ",11.00,7"))

    assert (result.created, result.updated) == (0, 1)
    assert set(listing.skus.values_list("price", "stock")) == {(11, 7)}
    assert Listing.objects.get().status == Listing.Status.ACTIVE


def test_export_lists_one_row_per_sku_with_variants_in_the_listing_order() -> None:
    listing = make_listing(variants={"颜色": ["红"], "尺码": ["M", "L"]})

    lines = listings_export_csv(shop=listing.shop).splitlines()

    assert lines[0] == HEADER.strip()
    assert [line.split(",")[6] for line in lines[1:]] == ["颜色=红; 尺码=M", "颜色=红; 尺码=L"]


def failure(shop, text: str, encoding: str = "utf-8") -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(CsvImportFailed) as error:
        import_text(shop, text, encoding)
    assert not Listing.objects.filter(shop=shop, title__startswith="New").exists()
    return error.value.errors


def test_one_bad_row_reports_its_line_and_saves_nothing() -> None:
    shop = ShopFactory()
    cat = make_category()
    text = HEADER + (
        f"a,New tea,{cat.slug},,express,0,,68.00,20\n"
        f"b,New pot,{cat.slug},,express,0,,abc,3\n"
        f"c,New cup,{cat.slug},,express,0,,9.90,-2\n"
    )

    errors = failure(shop, text)

    assert errors == [
        (3, "price: “abc” is not a number."),
        (4, "stock: default — stock cannot be negative."),
    ]
    assert not Listing.objects.exists()
    assert not SKU.objects.exists()


def test_wrong_columns_are_reported_on_line_one() -> None:
    errors = failure(ShopFactory(), "name,price\nTea,1\n")

    assert errors[0][0] == 1
    assert "missing: listing, title" in errors[0][1]
    assert "unknown: name" in errors[0][1]


def test_a_file_that_is_not_utf8_is_refused_with_advice() -> None:
    text = HEADER + "a,新茶,x,,express,0,,1,1\n"

    errors = failure(ShopFactory(), text, encoding="gbk")

    assert errors == [(0, "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.")]


def test_a_grid_with_a_missing_combination_points_at_the_listing() -> None:
    shop = ShopFactory()
    cat = make_category()
    text = HEADER + (
        f"dress,New dress,{cat.slug},,express,0,颜色=红; 尺码=M,89,1\n"
        f"dress,New dress,{cat.slug},,express,0,颜色=蓝; 尺码=L,89,1\n"
    )

    errors = failure(shop, text)

    assert errors == [
        (2, "skus: Missing price and stock for “颜色: 红 / 尺码: L”."),
        (2, "skus: Missing price and stock for “颜色: 蓝 / 尺码: M”."),
    ]


def test_rows_of_one_listing_must_agree_and_unknown_ids_are_refused() -> None:
    shop = ShopFactory()
    other = make_listing()
    cat = make_category()
    text = HEADER + (
        f"a,New tea,{cat.slug},,express,0,重量=1,5,1\n"
        f"a,New TEA,{cat.slug},,express,0,重量=2,5,1\n"
        f"{other.public_id},New stolen,{cat.slug},,express,0,,5,1\n"
        f"b,New thing,no-such-category,,express,0,,5,1\n"
    )

    errors = failure(shop, text)

    assert errors == [
        (3, "title: differs from line 2 of the same listing."),
        (4, "listing: no listing of your shop has this id."),
        (5, "category: no category “no-such-category”."),
    ]
    assert other.skus.get().price == 25
