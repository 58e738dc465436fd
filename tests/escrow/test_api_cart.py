"""The buyer's cart through the API: add, change, remove, grouped by shop with checkout's totals."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from escrow.models import CartItem
from marketplace.accounts.models import User
from shops.models import SKU, Listing, Shop
from shops.services.listings import listing_delist, sku_set_stock
from shops.services.shops import shop_set_status
from tests.factories import ShopFactory, UserFactory, make_listing

pytestmark = pytest.mark.django_db

CART = "/api/cart/"
ITEMS = "/api/cart/items/"


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def sku_of(listing: Listing, index: int = 0) -> SKU:
    return list(listing.skus.order_by("position"))[index]


def add(client: APIClient, sku: SKU, quantity: int = 1) -> Any:
    return client.post(ITEMS, {"sku": str(sku.public_id), "quantity": quantity}, format="json")


def test_adding_a_sku_puts_it_in_the_cart_with_amounts_as_strings() -> None:
    listing = make_listing(title="Bamboo basket", price="25.00", variants={"颜色": ["红", "蓝"]})
    buyer = UserFactory()
    sku = sku_of(listing, 1)

    response = add(client_for(buyer), sku, 2)

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "sku": str(sku.public_id),
        "listing": str(listing.public_id),
        "title": "Bamboo basket",
        "sku_label": "颜色: 蓝",
        "unit_price": "25.00",
        "quantity": 2,
        "line_total": "50.00",
        "available": True,
        "unavailable_reason": "",
    }
    assert list(CartItem.objects.values_list("buyer", "sku", "quantity")) == [(buyer.pk, sku.pk, 2)]


def test_adding_a_sku_again_replaces_its_quantity() -> None:
    sku = sku_of(make_listing())
    client = client_for(UserFactory())
    add(client, sku, 2)

    response = add(client, sku, 4)

    assert response.status_code == 201
    assert list(CartItem.objects.values_list("quantity", flat=True)) == [4]


def test_changing_the_quantity_of_a_cart_item() -> None:
    sku = sku_of(make_listing(price="9.90"))
    client = client_for(UserFactory())
    add(client, sku, 1)

    response = client.patch(f"{ITEMS}{sku.public_id}/", {"quantity": 3}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["quantity"], response.json()["line_total"]) == (3, "29.70")
    assert CartItem.objects.get().quantity == 3


def test_removing_a_cart_item() -> None:
    sku = sku_of(make_listing())
    client = client_for(UserFactory())
    add(client, sku)

    response = client.delete(f"{ITEMS}{sku.public_id}/")

    assert response.status_code == 204
    assert not CartItem.objects.exists()
    assert client.get(CART).json() == {"shops": [], "total": "0.00"}


def test_the_cart_is_grouped_by_shop_with_shipping_once_per_listing() -> None:
    shop_a, shop_b = ShopFactory(name="Tea Farm", slug="tea-farm"), ShopFactory(slug="weaver")
    tea = make_listing(
        shop_a,
        title="Longjing tea",
        price="30.00",
        shipping_fee="6.00",
        variants={"g": ["100", "250"]},
    )
    cups = make_listing(shop_a, title="Tea cups", price="12.50", shipping_fee="4.00")
    basket = make_listing(shop_b, title="Basket", price="25.00", shipping_fee="0.00")
    client = client_for(UserFactory())
    add(client, sku_of(tea, 0), 1)
    add(client, sku_of(basket), 2)
    add(client, sku_of(tea, 1), 2)
    add(client, sku_of(cups), 2)

    cart = client.get(CART).json()

    assert [group["shop"] for group in cart["shops"]] == [
        {"slug": "tea-farm", "name": "Tea Farm"},
        {"slug": "weaver", "name": shop_b.name},
    ]
    tea_farm, weaver = cart["shops"]
    assert [(item["title"], item["sku_label"], item["quantity"]) for item in tea_farm["items"]] == [
        ("Longjing tea", "g: 100", 1),
        ("Longjing tea", "g: 250", 2),
        ("Tea cups", "", 2),
    ]
    assert (tea_farm["goods_total"], tea_farm["shipping_total"], tea_farm["total"]) == (
        "115.00",
        "10.00",
        "125.00",
    )
    assert (weaver["goods_total"], weaver["shipping_total"], weaver["total"]) == (
        "50.00",
        "0.00",
        "50.00",
    )
    assert cart["total"] == "175.00"


def test_items_that_cannot_be_bought_stay_in_the_cart_flagged_and_out_of_the_totals() -> None:
    on_sale = make_listing(price="10.00", shipping_fee="5.00")
    delisted = make_listing(on_sale.shop, title="Delisted", price="20.00", shipping_fee="7.00")
    sold_out = make_listing(on_sale.shop, title="Sold out", price="30.00", shipping_fee="8.00")
    suspended = make_listing(title="Suspended shop", price="40.00")
    client = client_for(UserFactory())
    for listing in (on_sale, delisted, sold_out, suspended):
        assert add(client, sku_of(listing)).status_code == 201
    owner = on_sale.shop.owner
    listing_delist(listing=delisted, actor=owner)
    sku_set_stock(sku=sku_of(sold_out), actor=owner, stock=0)
    shop_set_status(
        shop=suspended.shop, status=Shop.Status.SUSPENDED, actor=UserFactory(), reason="Fakes"
    )

    cart = client.get(CART).json()

    flags = [
        (item["title"], item["available"], item["unavailable_reason"])
        for group in cart["shops"]
        for item in group["items"]
    ]
    assert flags == [
        (on_sale.title, True, ""),
        ("Delisted", False, "no longer on sale"),
        ("Sold out", False, "sold out"),
        ("Suspended shop", False, "the shop is suspended"),
    ]
    first, second = cart["shops"]
    assert (first["goods_total"], first["shipping_total"], first["total"]) == (
        "10.00",
        "5.00",
        "15.00",
    )
    assert (second["goods_total"], second["shipping_total"], second["total"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert cart["total"] == "15.00"


def test_adding_an_unknown_sku_is_not_found() -> None:
    response = client_for(UserFactory()).post(
        ITEMS, {"sku": "00000000-0000-0000-0000-000000000000", "quantity": 1}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not CartItem.objects.exists()


def test_a_sku_that_is_not_a_uuid_is_a_field_error() -> None:
    response = client_for(UserFactory()).post(
        ITEMS, {"sku": "basket", "quantity": 1}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["sku"]


def test_changing_a_sku_that_is_not_a_uuid_is_not_found() -> None:
    response = client_for(UserFactory()).patch(f"{ITEMS}basket/", {"quantity": 1}, format="json")

    assert response.status_code == 404


def test_a_sku_that_is_not_on_sale_cannot_be_added() -> None:
    listing = make_listing(publish=False)

    response = add(client_for(UserFactory()), sku_of(listing))

    assert response.status_code == 409
    assert response.json()["code"] == "unavailable"
    assert not CartItem.objects.exists()


def test_a_seller_cannot_put_their_own_listing_in_their_cart() -> None:
    listing = make_listing()

    response = add(client_for(listing.shop.owner), sku_of(listing))

    assert response.status_code == 403
    assert response.json()["code"] == "own_shop"
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("quantity", [0, 100])
def test_a_quantity_out_of_range_is_a_field_error(quantity: int) -> None:
    response = add(client_for(UserFactory()), sku_of(make_listing()), quantity)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["extra"]["fields"]) == ["quantity"]
    assert not CartItem.objects.exists()


def test_another_buyers_cart_item_is_not_found() -> None:
    sku = sku_of(make_listing())
    add(client_for(UserFactory()), sku, 2)
    other = client_for(UserFactory())

    changed = other.patch(f"{ITEMS}{sku.public_id}/", {"quantity": 5}, format="json")
    removed = other.delete(f"{ITEMS}{sku.public_id}/")

    assert (changed.status_code, removed.status_code) == (404, 404)
    assert changed.json()["code"] == "not_found"
    assert list(CartItem.objects.values_list("quantity", flat=True)) == [2]
    assert other.get(CART).json() == {"shops": [], "total": "0.00"}


def test_the_cart_requires_authentication() -> None:
    response = APIClient().get(CART)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
