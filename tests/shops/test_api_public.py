"""What buyers see: active shops, the category tree, listings on sale and their details."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shops.models import Listing, Shop
from shops.services.images import listing_image_add
from shops.services.listings import listing_delist
from shops.services.shops import shop_set_status
from tests.factories import ShopFactory, UserFactory, make_category, make_listing
from tests.images import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    return body


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def add_image(listing: Listing) -> None:
    listing_image_add(
        listing=listing, actor=listing.shop.owner, upload=image_upload(size=(200, 200))
    )


# --- Shops and categories ---------------------------------------------------------------------


def test_shop_list_shows_active_shops_with_their_location(api_client: APIClient) -> None:
    active = ShopFactory(name="Bamboo Corner")
    ShopFactory(status=Shop.Status.SUSPENDED)

    response = api_client.get("/api/shops/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [shop] = body["results"]
    assert shop["slug"] == active.slug
    assert shop["name"] == "Bamboo Corner"
    assert set(shop["location"]) == {"province", "city", "county", "village"}
    assert (shop["location"]["province"], shop["location"]["city"]) == ("浙江省", "金华市")
    assert shop["status"] == "active"
    assert shop["logo"] is None


def test_shop_detail_is_found_by_slug_whatever_its_status(api_client: APIClient) -> None:
    shop = ShopFactory(status=Shop.Status.SUSPENDED)

    response = api_client.get(f"/api/shops/{shop.slug}/")

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"


def test_unknown_shop_is_a_404_in_the_error_shape(api_client: APIClient) -> None:
    response = api_client.get("/api/shops/nobody-here/")

    error(response, 404, "not_found")


def test_category_tree_is_nested_and_not_paginated(api_client: APIClient) -> None:
    make_category("Clothing", "Women", "Dresses")
    make_category("Food")

    response = api_client.get("/api/categories/")

    assert response.status_code == 200
    tree = response.json()
    assert [root["name"] for root in tree] == ["Clothing", "Food"]
    [women] = tree[0]["children"]
    assert women["name"] == "Women"
    assert [child["name"] for child in women["children"]] == ["Dresses"]
    assert set(women) == {"slug", "name", "children"}


# --- Listing list -----------------------------------------------------------------------------


def test_listing_list_hides_drafts_delisted_and_suspended_shops(api_client: APIClient) -> None:
    shop = ShopFactory()
    make_listing(shop, title="On sale")
    make_listing(shop, title="Draft", publish=False)
    delisted = make_listing(shop, title="Delisted")
    listing_delist(listing=delisted, actor=shop.owner)
    suspended = make_listing(title="Suspended shop").shop
    shop_set_status(
        shop=suspended, status=Shop.Status.SUSPENDED, actor=UserFactory(), reason="Fake goods"
    )

    response = api_client.get("/api/listings/")

    assert titles(response) == ["On sale"]


def test_listing_item_shows_prices_as_strings_shop_category_and_cover(
    api_client: APIClient,
) -> None:
    shop = ShopFactory(name="Bamboo Corner")
    category = make_category("Home", "Baskets")
    listing = make_listing(shop, category=category, price="25.5", stock=3, shipping_fee="6")
    add_image(listing)

    response = api_client.get("/api/listings/")

    [item] = response.json()["results"]
    assert item["id"] == str(listing.public_id)
    assert item["shop"] == {
        "slug": shop.slug,
        "name": "Bamboo Corner",
        "province": "浙江省",
        "city": "金华市",
        "credit": {"score": 0, "level": 0, "grade": "none", "good_rate": None},
    }
    assert item["category"] == {"slug": category.slug, "name": "Baskets"}
    assert (item["price_min"], item["price_max"], item["shipping_fee"]) == (
        "25.50",
        "25.50",
        "6.00",
    )
    assert (item["total_stock"], item["is_sold_out"]) == (3, False)
    assert item["shipping_method"] == "express"
    assert item["cover"].startswith("http://testserver/media/listings/thumbs/")
    assert item["published_at"]


def test_a_listing_without_pictures_has_no_cover(api_client: APIClient) -> None:
    make_listing()

    response = api_client.get("/api/listings/")

    assert response.json()["results"][0]["cover"] is None


def test_category_filter_includes_the_subtree(api_client: APIClient) -> None:
    clothing = make_category("Clothing")
    make_listing(category=clothing, title="Scarf")
    make_listing(category=make_category("Clothing", "Women", "Dresses"), title="Dress")
    make_listing(category=make_category("Food"), title="Tea")

    response = api_client.get("/api/listings/", {"category": clothing.slug})

    assert sorted(titles(response)) == ["Dress", "Scarf"]


def test_price_range_filter_matches_listings_whose_prices_overlap(api_client: APIClient) -> None:
    make_listing(title="Cheap", price="5.00")
    make_listing(title="Middle", price="50.00")
    make_listing(title="Dear", price="500.00")

    response = api_client.get("/api/listings/", {"price_min": "10", "price_max": "100.50"})

    assert titles(response) == ["Middle"]


def test_in_stock_filter_leaves_out_sold_out_listings(api_client: APIClient) -> None:
    make_listing(title="Sold out", stock=0)
    make_listing(title="Available", stock=2)

    in_stock = api_client.get("/api/listings/", {"in_stock": "true"})
    everything = api_client.get("/api/listings/", {"in_stock": "false"})

    assert titles(in_stock) == ["Available"]
    assert sorted(titles(everything)) == ["Available", "Sold out"]
    sold_out = next(item for item in everything.json()["results"] if item["title"] == "Sold out")
    assert sold_out["is_sold_out"] is True


def test_shop_filter_shows_one_shops_listings(api_client: APIClient) -> None:
    shop = ShopFactory()
    make_listing(shop, title="Mine")
    make_listing(title="Theirs")

    response = api_client.get("/api/listings/", {"shop": shop.slug})

    assert titles(response) == ["Mine"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("newest", ["Third", "Second", "First"]),
        ("price_asc", ["Second", "Third", "First"]),
        ("price_desc", ["First", "Third", "Second"]),
    ],
)
def test_ordering(api_client: APIClient, ordering: str, expected: list[str]) -> None:
    make_listing(title="First", price="30.00")
    make_listing(title="Second", price="10.00")
    make_listing(title="Third", price="20.00")

    response = api_client.get("/api/listings/", {"ordering": ordering})

    assert titles(response) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"price_min": "abc"}, "price_min"),
        ({"price_max": "NaN"}, "price_max"),
        ({"in_stock": "perhaps"}, "in_stock"),
        ({"ordering": "random"}, "ordering"),
    ],
)
def test_bad_filter_values_are_field_errors(
    api_client: APIClient, params: dict[str, str], field: str
) -> None:
    response = api_client.get("/api/listings/", params)

    body = error(response, 400, "invalid")
    assert list(body["extra"]["fields"]) == [field]


def test_empty_filter_values_count_as_not_given(api_client: APIClient) -> None:
    make_listing(title="Basket")

    response = api_client.get(
        "/api/listings/", {"shop": "", "category": "", "price_min": "", "in_stock": ""}
    )

    assert titles(response) == ["Basket"]


def count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_listings_with_pictures(shop: Shop, count: int) -> None:
    category = make_category("Home")
    for number in range(count):
        listing = make_listing(
            shop, title=f"Basket {number}", category=category, variants={"Size": ["S", "M"]}
        )
        add_image(listing)


def test_listing_list_query_count_does_not_grow_with_the_page(
    api_client: APIClient, django_assert_max_num_queries: Any
) -> None:
    shop = ShopFactory()
    url = "/api/listings/?page_size=50"
    make_listings_with_pictures(shop, 5)
    queries_for_five = count_queries(api_client, url)

    make_listings_with_pictures(shop, 45)
    with django_assert_max_num_queries(6):
        response = api_client.get(url)

    assert len(response.json()["results"]) == 50
    assert count_queries(api_client, url) == queries_for_five


# --- Listing detail ---------------------------------------------------------------------------


def test_listing_detail_shows_skus_with_attributes_in_the_listings_order(
    api_client: APIClient,
) -> None:
    listing = make_listing(
        variants={"Size": ["M", "L"], "Colour": ["Red", "Blue"]},
        price="12.00",
        stock=4,
        description="Woven by hand.",
    )
    add_image(listing)

    response = api_client.get(f"/api/listings/{listing.public_id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["description"] == "Woven by hand."
    assert body["variant_attributes"] == [
        {"name": "Size", "values": ["M", "L"]},
        {"name": "Colour", "values": ["Red", "Blue"]},
    ]
    assert len(body["skus"]) == 4
    first = body["skus"][0]
    assert first["attributes"] == [
        {"name": "Size", "value": "M"},
        {"name": "Colour", "value": "Red"},
    ]
    assert first["label"] == "Size: M / Colour: Red"
    assert (first["price"], first["stock"]) == ("12.00", 4)
    assert {sku["id"] for sku in body["skus"]} == {str(sku.public_id) for sku in listing.skus.all()}
    [image] = body["images"]
    assert image["url"].startswith("http://testserver/media/listings/")
    assert (image["width"], image["height"], image["position"]) == (200, 200, 0)
    assert "status" not in body


def _draft() -> str:
    return str(make_listing(publish=False).public_id)


def _delisted() -> str:
    listing = make_listing()
    listing_delist(listing=listing, actor=listing.shop.owner)
    return str(listing.public_id)


@pytest.mark.parametrize(
    "public_id",
    [
        pytest.param(_draft, id="draft"),
        pytest.param(_delisted, id="delisted"),
        pytest.param(lambda: "5b3c1f0e-0000-4000-8000-000000000000", id="unknown"),
        pytest.param(lambda: "not-a-uuid", id="bad-uuid"),
    ],
)
def test_listing_detail_is_404_unless_on_sale(api_client: APIClient, public_id: Any) -> None:
    response = api_client.get(f"/api/listings/{public_id()}/")

    error(response, 404, "not_found")
