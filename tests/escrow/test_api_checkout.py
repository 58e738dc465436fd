"""Checkout through the API: one order per shop, all or nothing, and the Idempotency-Key."""

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import psycopg2
import pytest
from django.db import connection
from rest_framework.test import APIClient

from escrow.models import CartItem, Checkout, IdempotencyRecord, Order
from marketplace.accounts.models import User
from shops.models import SKU, Listing
from shops.services.listings import listing_delist
from tests.escrow.helpers import place
from tests.factories import ShopFactory, UserFactory, make_listing

pytestmark = pytest.mark.django_db

CHECKOUT = "/api/checkout/"
NothingChanges = Callable[[], AbstractContextManager[None]]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def sku_of(listing: Listing, index: int = 0) -> SKU:
    return list(listing.skus.order_by("position"))[index]


def to_cart(buyer: User, sku: SKU, quantity: int = 1) -> None:
    CartItem.objects.create(buyer=buyer, sku=sku, quantity=quantity)


def check_out(client: APIClient, body: dict[str, Any] | None = None, key: str = "key-1") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(CHECKOUT, body or {}, format="json", **headers)


def items(*lines: tuple[SKU, int]) -> dict[str, Any]:
    return {"items": [{"sku": str(sku.public_id), "quantity": quantity} for sku, quantity in lines]}


def stock(listing: Listing) -> tuple[int, int]:
    listing.refresh_from_db()
    return listing.total_stock, sku_of(listing).stock


# --- Placing orders ---------------------------------------------------------------------------


def test_checking_out_the_cart_places_one_order_per_shop_and_empties_the_cart() -> None:
    tea = make_listing(
        ShopFactory(slug="tea-farm"), title="Longjing tea", price="30.00", shipping_fee="6.00"
    )
    cups = make_listing(tea.shop, title="Tea cups", price="12.50", shipping_fee="4.00")
    basket = make_listing(ShopFactory(slug="weaver"), title="Basket", variants={"色": ["红"]})
    buyer = UserFactory()
    to_cart(buyer, sku_of(tea), 1)
    to_cart(buyer, sku_of(cups), 2)
    to_cart(buyer, sku_of(basket), 2)

    response = check_out(client_for(buyer))

    assert response.status_code == 201, response.json()
    body = response.json()
    checkout = Checkout.objects.get()
    assert body["id"] == str(checkout.public_id)
    assert body["total"] == "115.00"
    by_shop = {order["shop"]["slug"]: order for order in body["orders"]}
    assert set(by_shop) == {"tea-farm", "weaver"}
    tea_order = by_shop["tea-farm"]
    assert tea_order["status"] == "awaiting_payment"
    assert tea_order["lines"] == [
        {
            "title": "Longjing tea",
            "sku_label": "",
            "unit_price": "30.00",
            "quantity": 1,
            "line_total": "30.00",
        },
        {
            "title": "Tea cups",
            "sku_label": "",
            "unit_price": "12.50",
            "quantity": 2,
            "line_total": "25.00",
        },
    ]
    assert (tea_order["goods_total"], tea_order["shipping_total"], tea_order["total"]) == (
        "55.00",
        "10.00",
        "65.00",
    )
    assert by_shop["weaver"]["lines"][0]["sku_label"] == "色: 红"
    assert [event["type"] for event in tea_order["timeline"]] == ["placed"]
    assert tea_order["timeline"][0]["actor"] == buyer.username
    assert not CartItem.objects.exists()
    assert stock(cups) == (8, 8)


def test_order_lines_keep_what_was_bought_when_the_seller_changes_the_listing() -> None:
    listing = make_listing(title="Basket", price="25.00")
    buyer = UserFactory()
    client = client_for(buyer)
    order_id = check_out(client, items((sku_of(listing), 1))).json()["orders"][0]["id"]

    Listing.objects.filter(pk=listing.pk).update(title="Renamed basket")
    SKU.objects.filter(listing=listing).update(price=Decimal("99.00"))

    line = client.get(f"/api/orders/{order_id}/").json()["lines"][0]
    assert (line["title"], line["unit_price"], line["line_total"]) == ("Basket", "25.00", "25.00")


def test_checking_out_given_items_leaves_the_rest_of_the_cart() -> None:
    bought = make_listing(price="25.00", shipping_fee="6.00")
    kept = make_listing(title="Kept in the cart")
    buyer = UserFactory()
    to_cart(buyer, sku_of(kept))

    response = check_out(client_for(buyer), items((sku_of(bought), 1), (sku_of(bought), 1)))

    assert response.status_code == 201, response.json()
    (order,) = response.json()["orders"]
    assert [line["quantity"] for line in order["lines"]] == [2]
    assert (order["total"], response.json()["total"]) == ("56.00", "56.00")
    assert list(CartItem.objects.values_list("sku", flat=True)) == [sku_of(kept).pk]
    assert stock(bought) == (8, 8)


def test_a_checkout_is_read_back_by_its_buyer_only() -> None:
    buyer = UserFactory()
    listing = make_listing()
    created = check_out(client_for(buyer), items((sku_of(listing), 1))).json()

    mine = client_for(buyer).get(f"/api/checkouts/{created['id']}/")
    theirs = client_for(UserFactory()).get(f"/api/checkouts/{created['id']}/")

    assert mine.status_code == 200
    assert mine.json() == created
    assert theirs.status_code == 404


# --- Refused checkouts leave no trace ----------------------------------------------------------


def test_checking_out_an_empty_cart_is_refused(nothing_changes: NothingChanges) -> None:
    with nothing_changes():
        response = check_out(client_for(UserFactory()))

    assert response.status_code == 400
    assert response.json()["code"] == "cart_empty"
    assert not Checkout.objects.exists()


def test_a_cart_with_an_item_no_longer_on_sale_is_refused_whole(
    nothing_changes: NothingChanges,
) -> None:
    on_sale, delisted = make_listing(), make_listing(title="Delisted")
    buyer = UserFactory()
    to_cart(buyer, sku_of(on_sale))
    to_cart(buyer, sku_of(delisted))
    listing_delist(listing=delisted, actor=delisted.shop.owner)

    with nothing_changes():
        response = check_out(client_for(buyer))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "unavailable"
    assert body["extra"]["skus"] == {str(sku_of(delisted).public_id): "no longer on sale"}
    assert not Checkout.objects.exists()


def test_too_little_stock_in_one_shop_refuses_the_orders_of_every_shop(
    nothing_changes: NothingChanges,
) -> None:
    plenty = make_listing(stock=10)
    scarce = make_listing(title="Scarce", stock=2)
    buyer = UserFactory()
    to_cart(buyer, sku_of(plenty), 1)
    to_cart(buyer, sku_of(scarce), 3)

    with nothing_changes():
        response = check_out(client_for(buyer))

    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"
    assert response.json()["extra"] == {"sku": str(sku_of(scarce).public_id)}
    assert (stock(plenty), stock(scarce)) == ((10, 10), (2, 2))
    assert not Checkout.objects.exists()


def test_more_unpaid_units_of_a_sku_than_allowed_are_refused(
    nothing_changes: NothingChanges,
) -> None:
    listing = make_listing(stock=20)
    buyer = UserFactory()
    place(buyer, listing, quantity=4)

    with nothing_changes():
        response = check_out(client_for(buyer), items((sku_of(listing), 2)))

    assert response.status_code == 409
    assert response.json()["code"] == "unpaid_units_limit_reached"
    assert response.json()["extra"]["limit"] == 5


def test_more_unpaid_orders_than_allowed_are_refused(
    nothing_changes: NothingChanges, settings: Any
) -> None:
    settings.ESCROW_MAX_UNPAID_ORDERS = 2
    buyer = UserFactory()
    place(buyer, make_listing())
    listing_a, listing_b = make_listing(), make_listing()
    to_cart(buyer, sku_of(listing_a))
    to_cart(buyer, sku_of(listing_b))

    with nothing_changes():
        response = check_out(client_for(buyer))

    assert response.status_code == 409
    assert response.json()["code"] == "unpaid_limit_reached"
    assert Order.objects.count() == 1


def test_buying_from_your_own_shop_is_forbidden(nothing_changes: NothingChanges) -> None:
    listing = make_listing()

    with nothing_changes():
        response = check_out(client_for(listing.shop.owner), items((sku_of(listing), 1)))

    assert response.status_code == 403
    assert response.json()["code"] == "own_shop"
    assert not Checkout.objects.exists()


def test_checking_out_an_unknown_sku_is_not_found(nothing_changes: NothingChanges) -> None:
    listing = make_listing()
    body = items((sku_of(listing), 1))
    body["items"].append({"sku": "00000000-0000-0000-0000-000000000000", "quantity": 1})

    with nothing_changes():
        response = check_out(client_for(UserFactory()), body)

    assert response.status_code == 404
    assert response.json()["extra"] == {"skus": ["00000000-0000-0000-0000-000000000000"]}


def test_an_empty_list_of_items_is_a_field_error() -> None:
    response = check_out(client_for(UserFactory()), {"items": []})

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["items"]


# --- Idempotency-Key --------------------------------------------------------------------------


def test_a_checkout_without_an_idempotency_key_is_refused(nothing_changes: NothingChanges) -> None:
    buyer = UserFactory()
    to_cart(buyer, sku_of(make_listing()))

    with nothing_changes():
        response = check_out(client_for(buyer), key="")

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert not Checkout.objects.exists()


def test_a_retry_with_the_same_key_replays_the_first_response_and_places_nothing_more() -> None:
    listing = make_listing(stock=10)
    client = client_for(UserFactory())
    body = items((sku_of(listing), 2))

    first = check_out(client, body, key="retry-me")
    again = check_out(client, body, key="retry-me")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert (Checkout.objects.count(), Order.objects.count()) == (1, 1)
    assert stock(listing) == (8, 8)


def test_a_refusal_is_replayed_too() -> None:
    listing = make_listing(stock=1)
    client = client_for(UserFactory())
    body = items((sku_of(listing), 2))
    assert check_out(client, body, key="k").status_code == 409
    SKU.objects.filter(listing=listing).update(stock=5)
    Listing.objects.filter(pk=listing.pk).update(total_stock=5)

    again = check_out(client, body, key="k")

    assert again.status_code == 409
    assert again.json()["code"] == "out_of_stock"
    assert again["Idempotent-Replayed"] == "true"
    assert not Order.objects.exists()


def test_the_same_key_with_a_different_body_is_refused() -> None:
    listing = make_listing(stock=10)
    client = client_for(UserFactory())
    check_out(client, items((sku_of(listing), 1)), key="k")

    response = check_out(client, items((sku_of(listing), 2)), key="k")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1
    assert stock(listing) == (9, 9)


def test_a_key_belongs_to_one_user() -> None:
    listing = make_listing(stock=10)
    body = items((sku_of(listing), 1))

    first = check_out(client_for(UserFactory()), body, key="shared")
    second = check_out(client_for(UserFactory()), body, key="shared")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert "Idempotent-Replayed" not in second
    assert Order.objects.count() == 2


def held_key_claims() -> int:
    """Idempotency-Key claims held at this moment by transactions still running."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_sent_while_the_first_is_running_gets_409() -> None:
    listing = make_listing(stock=10)
    buyer = UserFactory()
    body = items((sku_of(listing), 1))
    responses: dict[str, Any] = {}
    # Another session holds the buyer's row, so the first checkout waits inside its transaction,
    # after claiming the key.
    blocker = psycopg2.connect(**connection.get_connection_params())
    with blocker.cursor() as cursor:
        cursor.execute("SELECT 1 FROM accounts_user WHERE id = %s FOR UPDATE", [buyer.pk])

    def first_request() -> None:
        try:
            responses["first"] = check_out(client_for(buyer), body, key="double-click")
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while held_key_claims() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert held_key_claims() == 1
        duplicate = check_out(client_for(buyer), body, key="double-click")
    finally:
        blocker.rollback()
        blocker.close()
        thread.join(timeout=10)

    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_request_in_progress"
    assert responses["first"].status_code == 201
    assert Order.objects.count() == 1
    assert stock(listing) == (9, 9)
    replay = check_out(client_for(buyer), body, key="double-click")
    assert replay.json() == responses["first"].json()
    assert IdempotencyRecord.objects.get().is_complete
