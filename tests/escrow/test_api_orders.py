"""The buyer's orders and payments through the API: pay, cancel, confirm receipt, and who sees
what."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from escrow.models import Order, Payment
from marketplace.accounts.models import User
from shops.models import SKU, Listing
from tests.escrow.helpers import assert_ledger_sound, deliver, pay, place, webhook_body
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db

NothingChanges = Callable[[], AbstractContextManager[None]]
OrderIn = Callable[..., Order]
ALL_STATES = [state.value for state in Order.Status]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def sku_of(listing: Listing) -> SKU:
    return listing.skus.get()


def url(order: Order, action: str = "") -> str:
    return f"/api/orders/{order.public_id}/" + (f"{action}/" if action else "")


def post(client: APIClient, path: str, key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, format="json", **headers)


# --- Paying -----------------------------------------------------------------------------------


def test_paying_a_checkout_opens_a_sandbox_payment_and_the_webhook_marks_its_orders_paid() -> None:
    buyer = UserFactory()
    client = client_for(buyer)
    first, second = make_listing(price="25.00", shipping_fee="6.00"), make_listing(price="10.00")
    checkout = client.post(
        "/api/checkout/",
        {
            "items": [
                {"sku": str(sku_of(first).public_id), "quantity": 2},
                {"sku": str(sku_of(second).public_id), "quantity": 1},
            ]
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="checkout-1",
    ).json()

    response = post(client, f"/api/checkouts/{checkout['id']}/pay/", key="pay-1")

    assert response.status_code == 201, response.json()
    opened = response.json()
    payment = Payment.objects.get()
    assert opened["id"] == str(payment.public_id)
    assert (opened["status"], opened["amount"]) == ("pending", "66.00")
    assert (
        opened["pay_url"] == f"{django_settings.SITE_URL}/sandbox/pay/{payment.provider_reference}/"
    )
    assert sorted(opened["orders"]) == sorted(order["id"] for order in checkout["orders"])

    assert deliver(webhook_body(payment)).status_code == 200

    settled = client.get(f"/api/payments/{payment.public_id}/").json()
    assert (settled["status"], settled["amount"]) == ("succeeded", "66.00")
    for order_id in opened["orders"]:
        order = client.get(f"/api/orders/{order_id}/").json()
        assert order["status"] == "paid"
        assert order["paid_at"] is not None
        assert [(event["type"], event["actor"]) for event in order["timeline"]] == [
            ("placed", buyer.username),
            ("payment_started", buyer.username),
            ("paid", None),
        ]
        assert order["timeline"][2]["label"] == "Paid"
        assert order["timeline"][2]["data"] == {"payment": str(payment.public_id)}
    assert_ledger_sound()


def test_paying_one_order() -> None:
    order = place(UserFactory(), make_listing(price="25.00", shipping_fee="6.00"), quantity=2)
    client = client_for(order.buyer)

    response = post(client, url(order, "pay"))

    assert response.status_code == 201, response.json()
    assert (response.json()["amount"], response.json()["orders"]) == (
        "56.00",
        [str(order.public_id)],
    )
    assert "/sandbox/pay/sbx_" in response.json()["pay_url"]
    deliver(webhook_body(Payment.objects.get()))
    assert client.get(url(order)).json()["status"] == "paid"
    assert_ledger_sound()


def test_a_repeated_pay_request_with_the_same_key_opens_one_payment() -> None:
    order = place(UserFactory(), make_listing())
    client = client_for(order.buyer)

    first = post(client, url(order, "pay"), key="pay-once")
    again = post(client, url(order, "pay"), key="pay-once")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("state", ["paid", "shipped", "completed", "closed"])
def test_an_order_with_nothing_left_to_pay_cannot_be_paid(
    state: str, order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(state)

    with nothing_changes():
        response = post(client_for(order.buyer), url(order, "pay"))

    assert response.status_code == 409
    assert response.json()["code"] == "nothing_to_pay"


# --- Cancelling and confirming ----------------------------------------------------------------


def test_cancelling_an_unpaid_order_closes_it_and_gives_the_stock_back(order_in: OrderIn) -> None:
    order = order_in()
    listing = order.lines.get().listing
    client = client_for(order.buyer)

    response = post(client, url(order, "cancel"), key="cancel-1")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["close_reason"]) == ("closed", "cancelled_by_buyer")
    assert body["closed_at"] is not None
    assert [event["type"] for event in body["timeline"]] == ["placed", "closed"]
    listing.refresh_from_db()
    assert (listing.total_stock, sku_of(listing).stock) == (10, 10)
    assert post(client, url(order, "cancel")).json()["status"] == "closed"
    listing.refresh_from_db()
    assert listing.total_stock == 10


def test_confirming_receipt_completes_the_order_and_releases_escrow(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)

    response = post(client_for(order.buyer), url(order, "confirm-receipt"), key="confirm-1")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["carrier"], body["tracking_number"]) == (
        "completed",
        "SF",
        "SF100",
    )
    assert body["completed_at"] is not None
    assert body["timeline"][-1]["type"] == "completed"
    seller = client_for(order.shop.owner).get("/api/seller/balance/").json()
    assert (seller["available"], seller["in_escrow"]) == ("56.00", "0.00")
    assert_ledger_sound()


@pytest.mark.parametrize(
    ("action", "state"),
    [
        *[("cancel", state) for state in ("shipped", "completed")],
        *[("confirm-receipt", state) for state in ("awaiting_payment", "paid", "closed")],
    ],
)
def test_an_illegal_edge_is_a_conflict_that_changes_nothing(
    action: str, state: str, order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(state)

    with nothing_changes():
        response = post(client_for(order.buyer), url(order, action), key=f"{action}-{state}")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["extra"]["status"] == state
    assert_ledger_sound()


@pytest.mark.parametrize(
    ("action", "state"), [("cancel", "closed"), ("confirm-receipt", "completed")]
)
def test_repeating_an_action_that_already_happened_returns_the_order(
    action: str, state: str, order_in: OrderIn, nothing_changes: NothingChanges
) -> None:
    order = order_in(state)

    with nothing_changes():
        response = post(client_for(order.buyer), url(order, action))

    assert response.status_code == 200
    assert response.json()["status"] == state


# --- Listing and reading ----------------------------------------------------------------------


def test_my_orders_are_listed_newest_first_and_filtered_by_status() -> None:
    buyer = UserFactory()
    older = place(buyer, make_listing())
    newer = place(buyer, make_listing())
    pay(older)
    place(UserFactory(), make_listing())
    client = client_for(buyer)

    everything = client.get("/api/orders/").json()
    paid = client.get("/api/orders/", {"status": "paid"}).json()
    unfiltered = client.get("/api/orders/", {"status": ""}).json()

    assert everything["count"] == 2
    assert [order["id"] for order in everything["results"]] == [
        str(newer.public_id),
        str(older.public_id),
    ]
    assert [order["id"] for order in paid["results"]] == [str(older.public_id)]
    assert unfiltered["count"] == 2


def test_an_unknown_status_filter_is_a_field_error() -> None:
    response = client_for(UserFactory()).get("/api/orders/", {"status": "lost"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["extra"]["fields"]) == ["status"]


def test_listing_orders_takes_the_same_number_of_queries_for_twenty(
    settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.ESCROW_MAX_UNPAID_ORDERS = 50
    settings.ESCROW_MAX_UNPAID_UNITS_PER_SKU = 50
    buyer = UserFactory()
    listings = [make_listing(stock=50), make_listing(stock=50, variants={"色": ["红", "蓝"]})]
    orders = [place(buyer, listings[n % 2], sku=listings[n % 2].skus.first()) for n in range(20)]
    for order in orders[:5]:
        pay(order)
    client = client_for(buyer)

    with django_assert_max_num_queries(5):  # count, orders, lines, events, refunds
        response = client.get("/api/orders/")

    assert response.json()["count"] == 20
    assert len(response.json()["results"]) == 20
    assert {len(order["timeline"]) for order in response.json()["results"]} == {1, 3}


def test_the_order_detail_has_every_field() -> None:
    order = place(UserFactory(), make_listing(price="25.00", shipping_fee="6.00"), quantity=2)

    body = client_for(order.buyer).get(url(order)).json()

    assert set(body) == {
        "id",
        "status",
        "shop",
        "lines",
        "goods_total",
        "shipping_total",
        "total",
        "shipping_method",
        "carrier",
        "tracking_number",
        "created_at",
        "payment_deadline",
        "paid_at",
        "shipped_at",
        "completed_at",
        "closed_at",
        "close_reason",
        "ship_deadline",
        "confirm_deadline",
        "buyer_extension_days",
        "seller_extension_days",
        "refunds",
        "timeline",
    }
    assert body["shop"] == {"slug": order.shop.slug, "name": order.shop.name}
    assert (body["goods_total"], body["shipping_total"], body["total"]) == (
        "50.00",
        "6.00",
        "56.00",
    )
    assert body["shipping_method"] == "express"


# --- Another buyer ----------------------------------------------------------------------------


def test_another_buyers_order_checkout_and_payment_are_not_found(
    nothing_changes: NothingChanges,
) -> None:
    order = place(UserFactory(), make_listing())
    payment = pay(order)
    stranger = client_for(UserFactory())

    with nothing_changes():
        responses = [
            stranger.get(url(order)),
            post(stranger, url(order, "pay")),
            post(stranger, url(order, "cancel")),
            post(stranger, url(order, "confirm-receipt")),
            stranger.get(f"/api/checkouts/{order.checkout.public_id}/"),
            post(stranger, f"/api/checkouts/{order.checkout.public_id}/pay/"),
            stranger.get(f"/api/payments/{payment.public_id}/"),
        ]

    assert [response.status_code for response in responses] == [404] * 7
    assert {response.json()["code"] for response in responses[:4]} == {"order_not_found"}
    assert stranger.get("/api/orders/").json()["count"] == 0


def test_an_id_that_is_not_a_uuid_is_not_found() -> None:
    response = client_for(UserFactory()).get("/api/orders/not-an-id/")

    assert response.status_code == 404
    assert response.json()["code"] == "order_not_found"
