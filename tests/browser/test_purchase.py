"""A purchase end to end: the buyer pays into escrow on the sandbox's pay page, a real Celery worker
delivers the signed webhook, the seller ships in the seller centre, the buyer confirms receipt and
the seller sees the money in their balance."""

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from escrow.models import Order
from shops.models import SKU
from tests.browser.conftest import SCREENSHOTS
from tests.factories import PASSWORD, ShopFactory, UserFactory, make_listing

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1100, "height": 800}


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Still waiting after {seconds} s.")
        time.sleep(0.2)


def snapshot(page: Page, name: str, *, phone: bool = False) -> None:
    """An extra screenshot beside the one the ``page`` fixture takes of the final page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if phone:
        page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"purchase-{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size(DESKTOP)


class Buyer:
    """The buyer's app: talks to the live server's REST API with a token."""

    def __init__(self, base_url: str, username: str) -> None:
        self.base_url, self.token = base_url, ""
        login = self.call("POST", "/api/auth/login/", {"username": username, "password": PASSWORD})
        self.token = login["token"]

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, key: bool = False
    ) -> Any:
        """One JSON request; ``key`` sends a fresh ``Idempotency-Key`` as a money-moving POST
        does."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if key:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        request = urllib.request.Request(  # noqa: S310 (the live test server)
            self.base_url + path,
            data=json.dumps(body or {}).encode() if method != "GET" else None,
            method=method,
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            pytest.fail(f"{method} {path} answered {error.code}: {error.read().decode()[:500]}")

    def add_to_cart(self, sku: SKU, quantity: int) -> None:
        self.call("POST", "/api/cart/items/", {"sku": str(sku.public_id), "quantity": quantity})

    def check_out(self) -> dict[str, Any]:
        checkout: dict[str, Any] = self.call("POST", "/api/checkout/", {}, key=True)
        return checkout

    def start_payment(self, checkout_id: str) -> str:
        payment = self.call("POST", f"/api/checkouts/{checkout_id}/pay/", key=True)
        return str(payment["pay_url"])

    def confirm_receipt(self, order_id: str) -> None:
        order = self.call("POST", f"/api/orders/{order_id}/confirm-receipt/", key=True)
        assert order["status"] == "completed"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_buyer_pays_into_escrow_seller_ships_and_is_paid_after_receipt(
    celery_worker_thread: object, page: Page, live_server: Any, settings: Any
) -> None:
    settings.ESCROW_SANDBOX_WEBHOOK_URL = live_server.url + "/api/payments/webhooks/sandbox/"
    settings.SITE_URL = live_server.url
    shop = ShopFactory(owner=UserFactory(username="laowang"), name="王家茶园")
    listing = make_listing(
        shop, title="安溪铁观音 浓香型 250g", price="68.00", stock=10, shipping_fee="8.00"
    )
    UserFactory(username="xiaomei")
    buyer = Buyer(live_server.url, "xiaomei")

    # The buyer checks out over the API and pays on the sandbox's hosted page with the test card
    # that succeeds.
    buyer.add_to_cart(listing.skus.get(), quantity=1)
    checkout = buyer.check_out()
    [placed] = checkout["orders"]
    order = Order.objects.get(public_id=placed["id"])
    assert order.total == Decimal("76.00")
    page.goto(buyer.start_payment(checkout["id"]))
    expect(page.get_by_role("heading", name="Pay ¥76.00")).to_be_visible()
    snapshot(page, "sandbox-pay-phone", phone=True)
    page.get_by_label("4242 4242 4242 4242 — succeeds").check()
    page.get_by_role("button", name="Pay ¥76.00").click()
    expect(page.locator("#outcome")).to_contain_text("Payment accepted")

    # The worker delivers the signed webhook to the live server; the money is in escrow.
    wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID)

    # The seller finds the order and ships it.
    log_in(page, live_server.url, "laowang")
    page.get_by_role("navigation").get_by_role("link", name="Seller centre").click()
    page.locator(".seller-nav").get_by_role("link", name="Orders").click()
    row = page.locator("table.orders tbody tr", has_text="xiaomei")
    expect(row).to_contain_text("安溪铁观音 浓香型 250g × 1")
    expect(row).to_contain_text("¥76.00")
    expect(row).to_contain_text("Paid — to ship")
    snapshot(page, "seller-orders")
    snapshot(page, "seller-orders-phone", phone=True)
    row.get_by_role("link", name=f"Order {str(order.public_id)[:8]}").click()
    expect(page.locator("#timeline")).to_contain_text("Paid by system")
    page.get_by_role("button", name="Mark as shipped").click()
    expect(page.locator("#id_carrier_errors")).to_have_text("Name the carrier.")
    expect(page.locator("#id_tracking_number_errors")).to_have_text("Enter the tracking number.")
    snapshot(page, "seller-order-ship-errors")
    page.get_by_label("Carrier").fill("顺丰速运")
    page.get_by_label("Tracking number").fill("SF1234567890")
    snapshot(page, "seller-order-ship", phone=True)
    page.get_by_role("button", name="Mark as shipped").click()
    expect(page.get_by_text("is shipped")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Shipped")
    expect(page.locator("#tracking-number")).to_have_text("SF1234567890")

    # The buyer confirms receipt: escrow is released to the seller.
    buyer.confirm_receipt(placed["id"])
    page.reload()
    expect(page.locator("#order-status")).to_have_text("Completed")
    expect(page.locator("#timeline")).to_contain_text("Completed by xiaomei")
    snapshot(page, "seller-order-completed")

    page.locator(".seller-nav").get_by_role("link", name="Balance").click()
    expect(page.locator("#balance-available")).to_have_text("¥76.00")
    expect(page.locator("#balance-in-escrow")).to_have_text("¥0.00")
    expect(page.locator("table.ledger")).to_contain_text("+¥76.00")
    snapshot(page, "seller-balance-phone", phone=True)
