"""The seller's order pages and balance through Django's test client."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from escrow.models import Order, OrderEvent
from escrow.services.orders import order_cancel, order_confirm_receipt, order_ship
from marketplace.accounts.models import User
from shops.models import Listing, Shop
from tests.escrow.helpers import pay, place
from tests.factories import ShopFactory, UserFactory, make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing() -> Listing:
    return make_listing(title="安溪铁观音 250g", price="68.00", stock=50, shipping_fee="8.00")


@pytest.fixture
def shop(listing: Listing) -> Shop:
    return listing.shop


@pytest.fixture
def buyer() -> User:
    return UserFactory(username="xiaomei")


@pytest.fixture
def seller_client(client: Client, shop: Shop) -> Client:
    client.force_login(shop.owner)
    return client


def paid_order(buyer: User, listing: Listing, quantity: int = 1) -> Order:
    order = place(buyer, listing, quantity=quantity)
    pay(order)
    order.refresh_from_db()
    return order


def detail_url(order: Order) -> str:
    return f"/seller/orders/{order.public_id}/"


def ship_url(order: Order) -> str:
    return f"/seller/orders/{order.public_id}/ship/"


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/seller/orders/", "/seller/balance/"])
def test_the_order_pages_need_a_login(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/seller/orders/", "/seller/balance/"])
def test_a_user_without_a_shop_is_sent_to_open_one(client: Client, url: str) -> None:
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == "/seller/open/"


def test_another_seller_gets_404_on_the_detail_and_on_shipping(
    client: Client, listing: Listing, buyer: User
) -> None:
    order = paid_order(buyer, listing)
    client.force_login(ShopFactory().owner)

    detail = client.get(detail_url(order))
    shipped = client.post(ship_url(order), {"carrier": "顺丰速运", "tracking_number": "SF1"})

    assert detail.status_code == 404
    assert shipped.status_code == 404
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (Order.Status.PAID, "", "")
    assert not OrderEvent.objects.filter(order=order, type="shipped").exists()


def test_another_shops_orders_are_not_listed(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    other = paid_order(buyer, make_listing(title="Bamboo basket"))
    own = paid_order(buyer, listing)

    response = seller_client.get("/seller/orders/")

    assert [row.order for row in response.context["rows"]] == [own]
    assert str(other.public_id)[:8] not in response.content.decode()


# --- The list ---------------------------------------------------------------------------------


def test_the_list_filters_by_state(seller_client: Client, listing: Listing, buyer: User) -> None:
    unpaid = place(buyer, listing)
    paid = paid_order(buyer, listing)
    completed = paid_order(buyer, listing)
    order_ship(order=completed, actor=listing.shop.owner, carrier="中通快递", tracking_number="ZT1")
    order_confirm_receipt(order=completed, actor=buyer)
    closed = place(buyer, listing)
    order_cancel(order=closed, actor=buyer)

    every = seller_client.get("/seller/orders/")
    to_ship = seller_client.get("/seller/orders/?status=paid")
    awaiting = seller_client.get("/seller/orders/?status=awaiting_payment")
    nonsense = seller_client.get("/seller/orders/?status=nonsense")

    assert {row.order for row in every.context["rows"]} == {unpaid, paid, completed, closed}
    assert [row.order for row in to_ship.context["rows"]] == [paid]
    assert [row.order for row in awaiting.context["rows"]] == [unpaid]
    assert len(nonsense.context["rows"]) == 4
    assert dict((value, count) for value, _, count in every.context["tabs"]) == {
        "": 4,
        "awaiting_payment": 1,
        "paid": 1,
        "shipped": 0,
        "completed": 1,
        "closed": 1,
    }
    page = to_ship.content.decode()
    assert "xiaomei" in page
    assert "安溪铁观音 250g × 1" in page
    assert "¥76.00" in page
    assert "Paid — to ship" in page


def test_a_paid_order_past_the_ship_deadline_is_highlighted(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    late = paid_order(buyer, listing)
    fresh = paid_order(buyer, listing)
    Order.objects.filter(pk=late.pk).update(ship_deadline=timezone.now() - timedelta(hours=1))

    response = seller_client.get("/seller/orders/?status=paid")

    must_ship = {row.order: row.must_ship_now for row in response.context["rows"]}
    assert must_ship == {late: True, fresh: False}
    assert response.content.decode().count("Ship now") == 1


def test_the_list_is_paged_by_twenty(
    seller_client: Client, listing: Listing, buyer: User, settings: Any
) -> None:
    settings.ESCROW_MAX_UNPAID_ORDERS = 30
    settings.ESCROW_MAX_UNPAID_UNITS_PER_SKU = 30
    for _ in range(21):
        place(buyer, listing)

    first = seller_client.get("/seller/orders/")
    second = seller_client.get("/seller/orders/?page=2")

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 1
    assert "Page 1 of 2" in first.content.decode()


# --- The detail and shipping ------------------------------------------------------------------


def test_the_detail_shows_lines_totals_and_the_whole_timeline(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    order = paid_order(buyer, listing, quantity=2)

    response = seller_client.get(detail_url(order))

    assert response.status_code == 200
    page = response.content.decode()
    for text in ["安溪铁观音 250g", "¥68.00", "¥136.00", "¥8.00", "¥144.00", "xiaomei"]:
        assert text in page
    timeline = [(entry.label, entry.actor) for entry in response.context["timeline"]]
    assert timeline == [
        ("Placed", "xiaomei"),
        ("Payment started", "xiaomei"),
        ("Paid", "system"),
    ]
    assert "by system" in page
    assert "Mark as shipped" in page


def test_shipping_through_the_form_moves_the_order_to_shipped(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    order = paid_order(buyer, listing)

    response = seller_client.post(
        ship_url(order), {"carrier": " 顺丰速运 ", "tracking_number": "SF1234567890"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(order)
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        Order.Status.SHIPPED,
        "顺丰速运",
        "SF1234567890",
    )
    page = seller_client.get(detail_url(order)).content.decode()
    assert "is shipped" in page
    assert "SF1234567890" in page
    assert "Mark as shipped" not in page
    assert OrderEvent.objects.get(order=order, type="shipped").actor == listing.shop.owner


def test_shipping_an_express_order_without_carrier_or_tracking_shows_errors_next_to_them(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    order = paid_order(buyer, listing)

    response = seller_client.post(ship_url(order), {"carrier": "", "tracking_number": "  "})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "carrier": ["Name the carrier."],
        "tracking_number": ["Enter the tracking number."],
    }
    page = response.content.decode()
    assert 'id="id_carrier_errors"' in page
    assert 'id="id_tracking_number_errors"' in page
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not OrderEvent.objects.filter(order=order, type="shipped").exists()


def test_a_virtual_order_ships_without_a_tracking_number(
    seller_client: Client, shop: Shop, buyer: User
) -> None:
    code = make_listing(shop, title="Game top-up code", shipping_method="virtual")
    order = paid_order(buyer, code)

    response = seller_client.post(ship_url(order), {"carrier": "", "tracking_number": ""})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED


def test_shipping_a_completed_order_says_why_and_changes_nothing(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    order = paid_order(buyer, listing)
    order_ship(order=order, actor=listing.shop.owner, carrier="EMS", tracking_number="E1")
    order_confirm_receipt(order=order, actor=buyer)

    response = seller_client.post(
        ship_url(order), {"carrier": "EMS", "tracking_number": "E2"}, follow=True
    )

    assert "A completed order cannot be" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (Order.Status.COMPLETED, "E1")


# --- Balance ----------------------------------------------------------------------------------


def test_the_balance_shows_money_in_escrow_then_available_after_completion(
    seller_client: Client, listing: Listing, buyer: User
) -> None:
    order = paid_order(buyer, listing, quantity=2)

    before = seller_client.get("/seller/balance/")
    order_ship(order=order, actor=listing.shop.owner, carrier="EMS", tracking_number="E1")
    order_confirm_receipt(order=order, actor=buyer)
    after = seller_client.get("/seller/balance/")

    assert before.context["balances"]["in_escrow"] == Decimal("144.00")
    assert before.context["rows"] == []
    assert after.context["balances"] == {
        "available": Decimal("144.00"),
        "payout_pending": Decimal("0"),
        "in_escrow": Decimal("0.00"),
    }
    page = after.content.decode()
    assert '<span class="count" id="balance-available">¥144.00</span>' in page
    assert "+¥144.00" in page
    assert "Order completed — escrow released" in page
    assert detail_url(order) in page
