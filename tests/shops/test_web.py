"""The seller centre and the storefront through Django's test client."""

import pytest
from django.test import Client

from shops.models import Listing, Shop, ShopVerification
from tests.factories import ShopFactory, UserFactory, make_category, make_listing, make_place
from tests.images import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_client(client: Client) -> tuple[Client, Shop]:
    shop = ShopFactory()
    client.force_login(shop.owner)
    return client, shop


def test_the_seller_centre_needs_a_login(client: Client) -> None:
    response = client.get("/seller/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_shop_is_sent_to_open_one(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.get("/seller/listings/")

    assert response.status_code == 302
    assert response["Location"] == "/seller/open/"


def test_opening_a_shop_shows_errors_next_to_the_fields(client: Client) -> None:
    ShopFactory(name="Tea Garden")
    client.force_login(UserFactory())

    response = client.post("/seller/open/", {"name": "tea garden", "place": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["Another shop has this name."]
    assert "place" in form.errors
    assert Shop.objects.count() == 1


def test_opening_a_shop_with_a_logo(client: Client) -> None:
    place = make_place()
    client.force_login(UserFactory())

    response = client.post(
        "/seller/open/",
        {"name": "Bamboo House", "slug": "bamboo", "place": place.pk, "logo": image_upload()},
    )

    assert response.status_code == 302
    shop = Shop.objects.get()
    assert shop.logo_thumbnail.name.endswith(".jpg")
    assert client.get("/shops/bamboo/").status_code == 200


def listing_post(category_id: int, **overrides: str) -> dict[str, str]:
    data = {
        "title": "Hand-woven bamboo basket",
        "category": str(category_id),
        "description": "",
        "shipping_method": "express",
        "shipping_fee": "0",
        "variants": "Size: S, L",
        "sku-count": "2",
        "sku-0-attributes": '{"Size": "S"}',
        "sku-0-price": "25.00",
        "sku-0-stock": "4",
        "sku-1-attributes": '{"Size": "L"}',
        "sku-1-price": "35.00",
        "sku-1-stock": "2",
        "action": "save",
    }
    return {**data, **overrides}


def test_creating_a_listing_with_its_grid(seller_client: tuple[Client, Shop]) -> None:
    client, shop = seller_client
    category = make_category()

    response = client.post("/seller/listings/new/", listing_post(category.pk))

    listing = Listing.objects.get(shop=shop)
    assert response["Location"] == f"/seller/listings/{listing.public_id}/"
    assert sorted(listing.skus.values_list("price", "stock")) == [(25, 4), (35, 2)]


def test_update_grid_keeps_typed_prices_and_adds_empty_rows(
    seller_client: tuple[Client, Shop],
) -> None:
    client, _ = seller_client
    category = make_category()

    response = client.post(
        "/seller/listings/new/",
        listing_post(category.pk, variants="Size: S, L, XL", action="grid"),
    )

    grid = response.context["grid"]
    assert [(row.label, row.price) for row in grid] == [
        ("Size: S", "25.00"),
        ("Size: L", "35.00"),
        ("Size: XL", ""),
    ]
    assert not Listing.objects.exists()


def test_grid_errors_show_on_their_rows_and_nothing_is_saved(
    seller_client: tuple[Client, Shop],
) -> None:
    client, _ = seller_client
    category = make_category()

    response = client.post(
        "/seller/listings/new/",
        listing_post(
            category.pk,
            title="x" * 61,
            **{"sku-0-price": "0", "sku-1-stock": "-3"},
        ),
    )

    assert response.status_code == 200
    rows = response.context["grid"]
    assert rows[0].errors == ["Size: S — the price must be more than 0."]
    assert rows[1].errors == ["Size: L — stock cannot be negative."]
    assert response.context["form"].errors["title"] == [
        "A title has at most 60 characters (this one has 61)."
    ]
    assert not Listing.objects.exists()


def test_a_missing_combination_is_reported_on_the_variants_field(
    seller_client: tuple[Client, Shop],
) -> None:
    client, _ = seller_client
    category = make_category()

    response = client.post(
        "/seller/listings/new/",
        listing_post(category.pk, **{"sku-1-price": "", "sku-1-stock": ""}),
    )

    assert response.context["grid"][1].errors == ["Size: L — enter a price."]
    assert not Listing.objects.exists()


def test_publish_and_delist_from_the_listing_page(seller_client: tuple[Client, Shop]) -> None:
    client, shop = seller_client
    listing = make_listing(shop, publish=False)

    client.post(f"/seller/listings/{listing.public_id}/publish/")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE
    client.post(f"/seller/listings/{listing.public_id}/delist/")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.DELISTED


def test_uploading_reordering_and_deleting_pictures(seller_client: tuple[Client, Shop]) -> None:
    client, shop = seller_client
    listing = make_listing(shop)
    url = f"/seller/listings/{listing.public_id}/images/"

    client.post(url, {"images": [image_upload(name="a.png"), image_upload(name="b.png")]})
    first, second = listing.images.all()
    client.post(f"{url}{second.pk}/", {"action": "earlier"})
    assert list(listing.images.values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(f"{url}{second.pk}/", {"action": "delete"})
    assert list(listing.images.values_list("pk", flat=True)) == [first.pk]


def test_a_non_image_upload_shows_a_message_and_adds_nothing(
    seller_client: tuple[Client, Shop],
) -> None:
    client, shop = seller_client
    listing = make_listing(shop)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/seller/listings/{listing.public_id}/images/",
        {"images": SimpleUploadedFile("notes.png", b"plain text", "image/png")},
        follow=True,
    )

    assert "notes.png: This file is not a picture we can read" in response.content.decode()
    assert not listing.images.exists()


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", ""),
        ("post", "publish/"),
        ("post", "delist/"),
        ("post", "images/"),
    ],
)
def test_another_sellers_listing_is_not_found(
    seller_client: tuple[Client, Shop], method: str, suffix: str
) -> None:
    client, _ = seller_client
    foreign = make_listing(title="Not yours")

    response = getattr(client, method)(f"/seller/listings/{foreign.public_id}/{suffix}")

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Listing.Status.ACTIVE
    assert foreign.title == "Not yours"


def test_listing_list_search_and_status_filter(seller_client: tuple[Client, Shop]) -> None:
    client, shop = seller_client
    make_listing(shop, title="Green tea")
    make_listing(shop, title="Black tea", publish=False)
    make_listing(shop, title="Teapot")

    response = client.get("/seller/listings/", {"q": "tea", "status": "draft"})

    assert [listing.title for listing in response.context["page"]] == ["Black tea"]


def test_export_is_a_utf8_csv_with_bom(seller_client: tuple[Client, Shop]) -> None:
    client, shop = seller_client
    make_listing(shop, title="安溪铁观音")

    response = client.get("/seller/listings/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufefflisting,title".encode())
    assert "安溪铁观音" in response.content.decode("utf-8-sig")


def test_verification_form_shows_masked_details_after_submitting(
    seller_client: tuple[Client, Shop],
) -> None:
    client, shop = seller_client

    client.post(
        "/seller/verification/",
        {
            "legal_name": "刘阿花",
            "id_number": "330782199001011234",
            "id_photo": image_upload(),
            "bank_name": "农业银行",
            "bank_account_name": "刘阿花",
            "bank_account_number": "6228480012345678901",
        },
    )
    page = client.get("/seller/verification/").content.decode()

    shop.verification.refresh_from_db()
    assert shop.verification.status == ShopVerification.Status.SUBMITTED
    assert "330***********1234" in page
    assert "330782199001011234" not in page
    assert "6228480012345678901" not in page


def test_storefront_lists_active_listings_and_filters_by_category(client: Client) -> None:
    shop = ShopFactory(slug="yiwu-socks")
    socks, hats = make_category("Socks"), make_category("Hats")
    make_listing(shop, title="Wool socks", category=socks, price="9.90")
    make_listing(shop, title="Straw hat", category=hats)
    make_listing(shop, title="Secret draft", publish=False)

    everything = client.get("/shops/yiwu-socks/")
    only_socks = client.get("/shops/yiwu-socks/", {"category": socks.slug})

    assert {listing.title for listing in everything.context["page"]} == {"Wool socks", "Straw hat"}
    assert [listing.title for listing in only_socks.context["page"]] == ["Wool socks"]
    assert "¥9.90" in only_socks.content.decode()


@pytest.mark.parametrize("status", [Shop.Status.SUSPENDED, Shop.Status.CLOSED])
def test_a_suspended_or_closed_shop_shows_a_notice_instead_of_listings(
    client: Client, status: str
) -> None:
    shop = ShopFactory(slug="paused")
    make_listing(shop, title="Hidden basket")
    Shop.objects.filter(pk=shop.pk).update(status=status)

    response = client.get("/shops/paused/")

    page = response.content.decode()
    assert f"This shop is {status}" in page
    assert "Hidden basket" not in page
    assert client.get(f"/listings/{shop.listings.get().public_id}/").status_code == 404


def test_storefront_pages_through_many_listings(
    client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    shop = ShopFactory(slug="big")
    for number in range(30):
        make_listing(shop, title=f"Item {number}")

    with django_assert_max_num_queries(8):
        first = client.get("/shops/big/")
    second = client.get("/shops/big/", {"page": 2})

    assert len(first.context["page"]) == 24
    assert len(second.context["page"]) == 6


def test_home_page_shows_new_listings_on_sale_but_not_drafts(client: Client) -> None:
    shop = ShopFactory(name="Tea Garden")
    make_listing(shop, title="Spring green tea")
    make_listing(shop, title="Unfinished draft", publish=False)

    page = client.get("/").content.decode()

    assert "Spring green tea" in page
    assert "Unfinished draft" not in page
    assert "Tea Garden" in page
