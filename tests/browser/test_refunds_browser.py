"""After-sale in the seller centre: a buyer asks for part of the money back and returns the goods;
the seller finds the request under Refunds, agrees, and confirms the return when it arrives."""

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from escrow.models import Order, Refund
from escrow.selectors import shop_balances
from escrow.services.orders import order_ship
from escrow.services.refunds import refund_request, refund_ship_return
from escrow.web.refunds import when
from tests.browser.conftest import SCREENSHOTS
from tests.escrow.helpers import assert_ledger_sound, pay, place
from tests.factories import PASSWORD, ShopFactory, UserFactory, make_listing

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1100, "height": 800}


def snapshot(page: Page, name: str, *, phone: bool = False) -> None:
    """An extra screenshot beside the one the ``page`` fixture takes of the final page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if phone:
        page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"refunds-{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size(DESKTOP)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_seller_agrees_to_a_return_and_confirms_it_arrived(page: Page, live_server: Any) -> None:
    shop = ShopFactory(owner=UserFactory(username="laowang"), name="王家茶园")
    listing = make_listing(
        shop, title="安溪铁观音 浓香型 250g", price="68.00", stock=10, shipping_fee="8.00"
    )
    order = place(UserFactory(username="xiaomei"), listing)
    pay(order)
    order_ship(order=order, actor=shop.owner, carrier="顺丰速运", tracking_number="SF1234567890")
    refund = refund_request(
        order=order,
        buyer=order.buyer,
        reason=Refund.Reason.DAMAGED,
        amount=Decimal("76.00"),
        with_return=True,
        description="茶叶罐压扁了，包装破损",
    )
    assert refund.deadline is not None

    # The order page says the clock stands still while the request is open.
    log_in(page, live_server.url, "laowang")
    page.goto(f"{live_server.url}/seller/orders/{order.public_id}/")
    expect(page.locator("#confirm-clock")).to_contain_text(
        "Clock stopped while a refund request is open (9 days 23 hours left)."
    )
    expect(page.locator("#refunds")).to_contain_text("Waiting for your answer")
    expect(page.locator("#extend")).to_contain_text("Give the buyer more time")
    snapshot(page, "order-clock-stopped")

    # The seller sees one request waiting, with its deadline in words.
    page.get_by_role("navigation").get_by_role("link", name="Seller centre").click()
    page.locator(".seller-nav").get_by_role("link", name="Refunds").click()
    expect(page.locator("#tab-waiting")).to_contain_text("Waiting for you 1")
    row = page.locator("table.refunds tbody tr", has_text="xiaomei")
    expect(row).to_contain_text("¥76.00")
    expect(row).to_contain_text("Damaged or defective")
    expect(row).to_contain_text("With return")
    expect(row).to_contain_text(
        f"Answer by {when(refund.deadline)} — if you do not, the refund is agreed automatically"
    )
    snapshot(page, "list")
    snapshot(page, "list-phone", phone=True)

    # The seller agrees: the buyer is asked to send the goods back.
    row.get_by_role("link", name=f"Refund of order {str(order.public_id)[:8]}").click()
    expect(page.locator("#refund-status")).to_have_text("Waiting for your answer")
    expect(page.locator("#refund-request")).to_contain_text("茶叶罐压扁了，包装破损")
    snapshot(page, "detail")
    page.get_by_role("button", name="Agree and ask for the goods back").click()
    expect(page.get_by_text("The buyer has been asked to send the goods back")).to_be_visible()
    expect(page.locator("#refund-status")).to_have_text("Agreed — waiting for the return")
    expect(page.locator("#refund-deadline")).to_contain_text("The buyer has until")

    # The buyer sends the tea back; the seller confirms it arrived and the buyer is refunded.
    refund_ship_return(
        refund=refund, actor=order.buyer, carrier="圆通速递", tracking_number="YT7788"
    )
    page.reload()
    expect(page.locator("#refund-status")).to_have_text("Sent back — confirm it arrived")
    expect(page.locator("#return-tracking")).to_contain_text("圆通速递 YT7788")
    expect(page.locator("#refund-deadline")).to_contain_text("Confirm the return by")
    snapshot(page, "confirm-return")
    page.get_by_role("button", name="Confirm the return arrived").click()
    expect(page.locator("#refund-status")).to_have_text("Refunded")
    expect(page.locator("#refund-outcome")).to_contain_text("¥76.00 went back to the buyer")
    expect(page.locator("#timeline")).to_contain_text("Return confirmed by laowang")
    expect(page.locator("#timeline")).to_contain_text("Money refunded to the buyer by laowang")

    refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, refund.refunded_amount) == (Refund.Status.REFUNDED, Decimal("76.00"))
    assert order.status == Order.Status.CLOSED  # refunded in full
    assert shop_balances(shop=shop)["in_escrow"] == Decimal("0.00")
    assert_ledger_sound()

    # Nothing is left waiting in the menu, and the order page lists the request.
    page.locator(".seller-nav").get_by_role("link", name="Refunds").click()
    expect(page.locator("#tab-waiting")).to_contain_text("Waiting for you 0")
    page.goto(f"{live_server.url}/seller/orders/{order.public_id}/")
    expect(page.locator("#refunds")).to_contain_text("Refunded")
    snapshot(page, "order")
    page.goto(f"{live_server.url}/seller/refunds/{refund.public_id}/")
