"""The seller's side of the API: their shop's orders, shipping, and their balance."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from rest_framework.test import APIClient

from escrow.models import Order
from escrow.services.orders import order_confirm_receipt, order_ship
from marketplace.accounts.models import User
from tests.escrow.helpers import assert_ledger_sound, pay, place
from tests.factories import ShopFactory, UserFactory, make_listing

pytestmark = pytest.mark.django_db

NothingChanges = Callable[[], AbstractContextManager[None]]
OrderIn = Callable[..., Order]
SHIPMENT = {"carrier": "SF Express", "tracking_number": "SF1234567"}


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(order: Order, action: str = "") -> str:
    return f"/api/seller/orders/{order.public_id}/" + (f"{action}/" if action else "")


def ship(client: APIClient, order: Order, body: dict[str, str] = SHIPMENT, key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url(order, "ship"), body, format="json", **headers)


def test_a_seller_lists_their_shops_orders_with_the_buyers_name() -> None:
    listing = make_listing()
    buyer = UserFactory(username="xiaoming")
    unpaid, paid = place(buyer, listing), place(UserFactory(), listing)
    pay(paid)
    place(UserFactory(), make_listing())
    client = client_for(listing.shop.owner)

    everything = client.get("/api/seller/orders/").json()
    to_ship = client.get("/api/seller/orders/", {"status": "paid"}).json()

    assert [order["id"] for order in everything["results"]] == [
        str(paid.public_id),
        str(unpaid.public_id),
    ]
    assert everything["results"][1]["buyer"] == "xiaoming"
    assert [order["id"] for order in to_ship["results"]] == [str(paid.public_id)]
    detail = client.get(url(unpaid)).json()
    assert (detail["buyer"], detail["total"]) == ("xiaoming", "25.00")


def test_an_unknown_status_filter_is_a_field_error() -> None:
    client = client_for(ShopFactory().owner)

    response = client.get("/api/seller/orders/", {"status": "sent"})

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["status"]


def test_listing_the_shops_orders_takes_a_bounded_number_of_queries(
    settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.ESCROW_MAX_UNPAID_ORDERS = 50
    listing = make_listing(stock=50)
    for _ in range(20):
        place(UserFactory(), listing)
    client = client_for(listing.shop.owner)

    with django_assert_max_num_queries(6):
        response = client.get("/api/seller/orders/")

    assert response.json()["count"] == 20


def test_shipping_a_paid_order(order_in: OrderIn) -> None:
    order = order_in(Order.Status.PAID)

    response = ship(client_for(order.shop.owner), order, key="ship-1")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["carrier"], body["tracking_number"]) == (
        "shipped",
        "SF Express",
        "SF1234567",
    )
    assert body["shipped_at"] is not None
    assert body["buyer"] == order.buyer.username
    assert body["timeline"][-1] == {
        "type": "shipped",
        "label": "Shipped",
        "actor": order.shop.owner.username,
        "data": SHIPMENT,
        "created_at": body["timeline"][-1]["created_at"],
    }


def test_shipping_again_with_the_same_tracking_number_changes_nothing(order_in: OrderIn) -> None:
    order = order_in(Order.Status.PAID)
    client = client_for(order.shop.owner)
    first = ship(client, order)

    again = ship(client, order)

    assert again.status_code == 200
    assert again.json()["shipped_at"] == first.json()["shipped_at"]
    assert [event["type"] for event in again.json()["timeline"]].count("shipped") == 1


@pytest.mark.parametrize("state", ["awaiting_payment", "completed", "closed"])
def test_an_order_that_is_not_paid_cannot_be_shipped(
    state: str, order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(state)

    with nothing_changes():
        response = ship(client_for(order.shop.owner), order)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_a_shipped_order_cannot_be_shipped_again_under_another_number(
    order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(Order.Status.SHIPPED)

    with nothing_changes():
        response = ship(client_for(order.shop.owner), order)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_shipping_needs_a_carrier_and_a_tracking_number(
    order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(Order.Status.PAID)

    with nothing_changes():
        response = ship(client_for(order.shop.owner), order, {"carrier": " "})

    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"carrier", "tracking_number"}


def test_a_tracking_number_longer_than_the_column_is_a_field_error(
    order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(Order.Status.PAID)

    with nothing_changes():
        response = ship(
            client_for(order.shop.owner), order, {**SHIPMENT, "tracking_number": "9" * 61}
        )

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["tracking_number"]


def test_virtual_goods_ship_without_a_carrier(order_in: OrderIn) -> None:
    order = order_in(Order.Status.PAID, shipping_method="virtual")

    response = ship(client_for(order.shop.owner), order, {})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "shipped"


def test_another_sellers_order_is_not_found(
    order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(Order.Status.PAID)
    other_seller = client_for(ShopFactory().owner)

    with nothing_changes():
        responses = [other_seller.get(url(order)), ship(other_seller, order)]

    assert [response.status_code for response in responses] == [404, 404]
    assert {response.json()["code"] for response in responses} == {"order_not_found"}
    assert other_seller.get("/api/seller/orders/").json()["count"] == 0


def test_a_buyer_without_a_shop_cannot_ship_their_own_order(
    order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(Order.Status.PAID)
    buyer = client_for(order.buyer)

    with nothing_changes():
        responses = [
            ship(buyer, order),
            buyer.get(url(order)),
            buyer.get("/api/seller/orders/"),
            buyer.get("/api/seller/balance/"),
        ]

    assert [response.status_code for response in responses] == [404] * 4
    assert {response.json()["code"] for response in responses} == {"shop_required"}


def test_the_balance_shows_escrow_then_available_money_with_its_movements() -> None:
    listing = make_listing(price="25.00", shipping_fee="6.00")
    client = client_for(listing.shop.owner)
    assert client.get("/api/seller/balance/").json() == {
        "available": "0.00",
        "payout_pending": "0.00",
        "in_escrow": "0.00",
        "lines": [],
    }
    delivered, waiting = place(UserFactory(), listing, 2), place(UserFactory(), listing, 1)
    pay(delivered)
    pay(waiting)
    order_ship(order=delivered, actor=listing.shop.owner, carrier="SF", tracking_number="SF1")
    order_confirm_receipt(order=delivered, actor=delivered.buyer)

    balance = client.get("/api/seller/balance/").json()

    assert (balance["available"], balance["payout_pending"], balance["in_escrow"]) == (
        "56.00",
        "0.00",
        "31.00",
    )
    assert balance["lines"] == [
        {
            "created_at": balance["lines"][0]["created_at"],
            "kind": "release",
            "account": "seller_available",
            "amount": "56.00",
            "order": str(delivered.public_id),
            "description": f"Order {delivered.public_id} completed",
        }
    ]
    assert_ledger_sound()


def test_the_balance_shows_the_fifty_most_recent_movements(settings: Any) -> None:
    settings.ESCROW_MAX_UNPAID_ORDERS = 60
    listing = make_listing(price="1.00", stock=60)
    orders = [place(UserFactory(), listing) for _ in range(51)]
    for order in orders:
        pay(order)
        order_ship(order=order, actor=listing.shop.owner, carrier="SF", tracking_number="SF1")
        order_confirm_receipt(order=order, actor=order.buyer)

    lines = client_for(listing.shop.owner).get("/api/seller/balance/").json()["lines"]

    assert len(lines) == 50
    assert lines[0]["order"] == str(orders[-1].public_id)
    assert str(orders[0].public_id) not in {line["order"] for line in lines}
