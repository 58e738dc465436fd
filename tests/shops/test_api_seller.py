"""The seller's API: their own shop and its listings, and nobody else's."""

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from shops.models import Listing, ProhibitedTerm, Shop, ShopVerification
from tests.factories import ShopFactory, make_category, make_listing, make_place
from tests.images import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def shop() -> Shop:
    return ShopFactory(name="Bamboo Corner")


@pytest.fixture
def seller_client(shop: Shop) -> APIClient:
    client = APIClient()
    client.force_authenticate(shop.owner)
    return client


@pytest.fixture
def rival_listing() -> Listing:
    return make_listing(ShopFactory(), title="Someone else's basket")


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    return body


def field_errors(response: Any) -> dict[str, Any]:
    return error(response, 400, "invalid")["extra"]["fields"]


def listing_body(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "Bamboo basket",
        "category": make_category("Home").slug,
        "description": "Woven by hand.",
        "shipping_method": "post",
        "shipping_fee": "8.00",
        "variant_attributes": [{"name": "Size", "values": ["S", "M"]}],
        "skus": [
            {"attributes": {"Size": "S"}, "price": "20.00", "stock": 5},
            {"attributes": {"Size": "M"}, "price": "25.50", "stock": 0},
        ],
    }
    return {**body, **changes}


# --- The shop ---------------------------------------------------------------------------------


def test_anonymous_visitors_cannot_use_the_seller_api(api_client: APIClient) -> None:
    response = api_client.get("/api/seller/shop/")

    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "extra"}


def test_opening_a_shop(user_client: APIClient) -> None:
    place = make_place()

    response = user_client.post(
        "/api/seller/shop/",
        {"name": "Tea Garden", "place": place.pk, "description": "Green tea from the hills."},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Tea Garden"
    assert body["slug"]
    assert body["status"] == "active"
    assert body["place"] == place.pk
    assert body["location"]["village"] == "青岩刘村"
    assert body["verification"]["status"] == "unverified"
    assert user_client.get("/api/seller/shop/").json()["name"] == "Tea Garden"


def test_opening_a_shop_with_a_logo(user_client: APIClient) -> None:
    response = user_client.post(
        "/api/seller/shop/",
        {"name": "Tea Garden", "place": make_place().pk, "logo": image_upload()},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["logo"].startswith("http://testserver/media/shops/logos/")
    assert response.json()["logo_thumbnail"].startswith("http://testserver/media/")


def test_opening_a_second_shop_is_a_conflict(shop: Shop, seller_client: APIClient) -> None:
    response = seller_client.post(
        "/api/seller/shop/", {"name": "Another", "place": make_place().pk}, format="json"
    )

    error(response, 409, "shop_already_open")
    assert Shop.objects.filter(owner=shop.owner).count() == 1


def test_a_taken_shop_name_is_a_field_error(shop: Shop, user_client: APIClient) -> None:
    response = user_client.post(
        "/api/seller/shop/", {"name": "BAMBOO corner", "place": make_place().pk}, format="json"
    )

    assert list(field_errors(response)) == ["name"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Tea Garden"}, "place"),
        ({"name": "Tea Garden", "place": 999999}, "place"),
        ({"name": "Tea Garden", "place": "Yiwu"}, "place"),
        ({"name": "T", "place": "valid"}, "name"),
        ({"name": "Tea Garden", "place": "valid", "contact_phone": "1" * 31}, "contact_phone"),
    ],
)
def test_shop_input_is_checked(user_client: APIClient, body: dict[str, Any], field: str) -> None:
    if body.get("place") == "valid":
        body = {**body, "place": make_place().pk}

    response = user_client.post("/api/seller/shop/", body, format="json")

    assert list(field_errors(response)) == [field]


def test_a_province_is_not_precise_enough_for_a_shop(user_client: APIClient) -> None:
    province = make_place(("浙江省",))

    response = user_client.post(
        "/api/seller/shop/", {"name": "Tea Garden", "place": province.pk}, format="json"
    )

    assert list(field_errors(response)) == ["place"]


def test_patch_changes_only_the_given_fields(shop: Shop, seller_client: APIClient) -> None:
    response = seller_client.patch(
        "/api/seller/shop/", {"description": "Baskets and mats."}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"] == "Baskets and mats."
    assert (body["name"], body["slug"], body["place"]) == (shop.name, shop.slug, shop.place_id)


def test_patch_can_move_the_shop(shop: Shop, seller_client: APIClient) -> None:
    place = make_place(("浙江省", "杭州市", "西湖区"))

    response = seller_client.patch("/api/seller/shop/", {"place": place.pk}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["location"]["city"] == "杭州市"


def test_own_shop_shows_verification_with_numbers_masked(
    shop: Shop, seller_client: APIClient
) -> None:
    ShopVerification.objects.filter(shop=shop).update(
        status=ShopVerification.Status.SUBMITTED,
        legal_name="王芳",
        id_number="110105199001011234",
        bank_name="农业银行",
        bank_account_number="6228480012345678",
    )

    response = seller_client.get("/api/seller/shop/")

    assert response.status_code == 200
    verification = response.json()["verification"]
    assert verification["status"] == "submitted"
    assert verification["id_number_masked"] == "110***********1234"
    assert verification["bank_account_masked"] == "************5678"
    assert "110105199001011234" not in response.content.decode()
    assert "6228480012345678" not in response.content.decode()


def test_user_without_a_shop_is_told_to_open_one(user_client: APIClient) -> None:
    error(user_client.get("/api/seller/shop/"), 404, "shop_required")
    error(user_client.patch("/api/seller/shop/", {}, format="json"), 404, "shop_required")


# --- Listings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/seller/listings/"),
        ("post", "/api/seller/listings/"),
        ("get", "/api/seller/listings/5b3c1f0e-0000-4000-8000-000000000000/"),
        ("post", "/api/seller/listings/5b3c1f0e-0000-4000-8000-000000000000/publish/"),
    ],
)
def test_listing_endpoints_need_a_shop(user_client: APIClient, method: str, path: str) -> None:
    response = getattr(user_client, method)(path)

    error(response, 404, "shop_required")


def test_creating_a_listing_saves_a_draft_with_its_skus(seller_client: APIClient) -> None:
    response = seller_client.post("/api/seller/listings/", listing_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["status_reason"]) == ("draft", "")
    assert body["title"] == "Bamboo basket"
    assert (body["price_min"], body["price_max"], body["total_stock"]) == ("20.00", "25.50", 5)
    assert (body["shipping_method"], body["shipping_fee"]) == ("post", "8.00")
    assert [sku["label"] for sku in body["skus"]] == ["Size: S", "Size: M"]
    assert "shop" not in body
    public = APIClient().get(f"/api/listings/{body['id']}/")
    assert public.status_code == 404


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": "x" * 61}, {"title"}),
        ({"category": "no-such-category"}, {"category"}),
        ({"shipping_method": "pigeon"}, {"shipping_method"}),
        (
            {"skus": [{"attributes": {"Size": "S"}, "price": "0", "stock": 1}]},
            {"skus", "skus.0.price"},
        ),
        ({"skus": [{"attributes": {"Size": "S"}, "price": "20.00", "stock": 5}]}, {"skus"}),
        (
            {
                "skus": [
                    {"attributes": {"Size": "S"}, "price": "20.00", "stock": -1},
                    {"attributes": {"Size": "M"}, "price": "20.00", "stock": 1},
                ]
            },
            {"skus.0.stock"},
        ),
        ({"variant_attributes": "Size: S, M"}, {"variant_attributes"}),
    ],
)
def test_listing_input_errors_name_their_fields(
    seller_client: APIClient, changes: dict[str, Any], fields: set[str]
) -> None:
    response = seller_client.post("/api/seller/listings/", listing_body(**changes), format="json")

    assert set(field_errors(response)) == fields
    assert not Listing.objects.exists()


def test_wrong_types_inside_a_sku_are_reported_per_row(seller_client: APIClient) -> None:
    body = listing_body(skus=[{"attributes": {"Size": "S"}, "price": "abc", "stock": "x"}])

    response = seller_client.post("/api/seller/listings/", body, format="json")

    assert set(field_errors(response)) == {"skus.0.price", "skus.0.stock"}


def test_updating_a_listing_replaces_its_grid(shop: Shop, seller_client: APIClient) -> None:
    listing = make_listing(shop, variants={"Size": ["S", "M"]})
    body = listing_body(
        title="Bigger basket",
        variant_attributes=[{"name": "Size", "values": ["L"]}],
        skus=[{"attributes": {"Size": "L"}, "price": "40.00", "stock": 2}],
    )

    response = seller_client.put(f"/api/seller/listings/{listing.public_id}/", body, format="json")

    assert response.status_code == 200, response.content
    updated = response.json()
    assert updated["title"] == "Bigger basket"
    assert [sku["label"] for sku in updated["skus"]] == ["Size: L"]
    assert (updated["price_min"], updated["total_stock"]) == ("40.00", 2)


def test_publish_then_delist(shop: Shop, seller_client: APIClient) -> None:
    listing = make_listing(shop, publish=False)
    url = f"/api/seller/listings/{listing.public_id}/"

    published = seller_client.post(f"{url}publish/")
    on_sale = APIClient().get(f"/api/listings/{listing.public_id}/")
    delisted = seller_client.post(f"{url}delist/")

    assert (published.status_code, published.json()["status"]) == (200, "active")
    assert published.json()["published_at"]
    assert on_sale.status_code == 200
    assert (delisted.status_code, delisted.json()["status"]) == (200, "delisted")
    assert APIClient().get(f"/api/listings/{listing.public_id}/").status_code == 404


def test_a_listing_with_a_prohibited_term_stays_a_draft_with_the_reason(
    shop: Shop, seller_client: APIClient
) -> None:
    ProhibitedTerm.objects.create(term="replica", reason="Counterfeit goods are not allowed.")
    listing = make_listing(shop, publish=False, title="Replica designer basket")

    response = seller_client.post(f"/api/seller/listings/{listing.public_id}/publish/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "draft"
    assert "Counterfeit goods are not allowed." in body["status_reason"]


def test_delisting_a_draft_is_an_invalid_transition(shop: Shop, seller_client: APIClient) -> None:
    listing = make_listing(shop, publish=False)

    response = seller_client.post(f"/api/seller/listings/{listing.public_id}/delist/")

    body = error(response, 409, "invalid_transition")
    assert body["extra"] == {"status": "draft", "action": "delist"}


def test_setting_stock_updates_the_sku_and_the_listing(
    shop: Shop, seller_client: APIClient
) -> None:
    listing = make_listing(shop, variants={"Colour": ["Red", "Blue"]}, stock=1)
    sku = listing.skus.get(attributes={"Colour": "Blue"})

    response = seller_client.post(
        f"/api/seller/listings/{listing.public_id}/skus/{sku.public_id}/stock/",
        {"stock": 7},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["stock"] == 7
    assert response.json()["attributes"] == [{"name": "Colour", "value": "Blue"}]
    listing_now = seller_client.get(f"/api/seller/listings/{listing.public_id}/").json()
    assert listing_now["total_stock"] == 8


@pytest.mark.parametrize(
    ("stock", "code"), [("x", "invalid"), (-1, "invalid"), (None, "null"), ("", "invalid")]
)
def test_stock_must_be_a_whole_number_of_at_least_zero(
    shop: Shop, seller_client: APIClient, stock: Any, code: str
) -> None:
    listing = make_listing(shop, stock=3)
    sku = listing.skus.get()

    response = seller_client.post(
        f"/api/seller/listings/{listing.public_id}/skus/{sku.public_id}/stock/",
        {"stock": stock},
        format="json",
    )

    assert field_errors(response)["stock"][0]["code"] == code
    sku.refresh_from_db()
    assert sku.stock == 3


def test_seller_lists_own_listings_with_search_and_status(
    shop: Shop, seller_client: APIClient, rival_listing: Listing
) -> None:
    make_listing(shop, title="Bamboo basket")
    make_listing(shop, title="Bamboo mat", publish=False)
    make_listing(shop, title="Tea cup")

    everything = seller_client.get("/api/seller/listings/")
    bamboo = seller_client.get("/api/seller/listings/", {"q": "bamboo"})
    drafts = seller_client.get("/api/seller/listings/", {"status": "draft"})
    nonsense = seller_client.get("/api/seller/listings/", {"status": "lost"})

    assert everything.json()["count"] == 3
    assert sorted(item["title"] for item in bamboo.json()["results"]) == [
        "Bamboo basket",
        "Bamboo mat",
    ]
    assert [item["title"] for item in drafts.json()["results"]] == ["Bamboo mat"]
    assert drafts.json()["results"][0]["status"] == "draft"
    assert list(field_errors(nonsense)) == ["status"]


# --- Other sellers' listings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("put", ""), ("post", "publish/"), ("post", "delist/")],
)
def test_another_sellers_listing_is_not_found(
    seller_client: APIClient, rival_listing: Listing, method: str, suffix: str
) -> None:
    url = f"/api/seller/listings/{rival_listing.public_id}/{suffix}"

    response = seller_client.generic(
        method.upper(), url, json.dumps(listing_body()), content_type="application/json"
    )

    error(response, 404, "not_found")
    rival_listing.refresh_from_db()
    assert (rival_listing.title, rival_listing.status) == ("Someone else's basket", "active")


def test_another_sellers_sku_stock_cannot_be_set(
    shop: Shop, seller_client: APIClient, rival_listing: Listing
) -> None:
    own_listing = make_listing(shop)
    rival_sku = rival_listing.skus.get()

    through_rival = seller_client.post(
        f"/api/seller/listings/{rival_listing.public_id}/skus/{rival_sku.public_id}/stock/",
        {"stock": 0},
        format="json",
    )
    through_own = seller_client.post(
        f"/api/seller/listings/{own_listing.public_id}/skus/{rival_sku.public_id}/stock/",
        {"stock": 0},
        format="json",
    )

    error(through_rival, 404, "not_found")
    error(through_own, 404, "not_found")
    rival_sku.refresh_from_db()
    assert rival_sku.stock == 10


def test_a_malformed_listing_id_is_not_found(seller_client: APIClient) -> None:
    response = seller_client.get("/api/seller/listings/not-a-uuid/")

    error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("options", ""),
        ("get", "{listing}/"),
        ("options", "{listing}/"),
        ("options", "{listing}/publish/"),
    ],
)
def test_listing_endpoints_work_in_the_browsable_api(
    shop: Shop, seller_client: APIClient, method: str, suffix: str
) -> None:
    listing = make_listing(shop)
    url = "/api/seller/listings/" + suffix.format(listing=listing.public_id)

    response = getattr(seller_client, method)(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
