"""The seller's refund pages and the after-sale part of the order page, through Django's test
client: the same services as the API underneath, errors next to the fields, another shop's
requests out of reach."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from escrow.models import Dispute, Order, OrderEvent, Refund
from escrow.selectors import shop_balances
from escrow.services.orders import order_confirm_receipt
from escrow.services.refunds import (
    dispute_decide,
    refund_agree,
    refund_escalate,
    refund_refuse,
    refund_request,
    refund_ship_return,
    refund_withdraw,
)
from escrow.web.refunds import when
from shops.models import Shop
from tests.escrow.helpers import assert_ledger_sound
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

RStatus = Refund.Status
OrderIn = Callable[..., Order]
NothingChanges = Callable[..., AbstractContextManager[None]]
PART = Decimal("20.00")  # of an order of 56.00


@pytest.fixture
def shop() -> Shop:
    return ShopFactory(name="王家茶园")  # type: ignore[no-any-return]


@pytest.fixture
def seller_client(client: Client, shop: Shop) -> Client:
    client.force_login(shop.owner)
    return client


@pytest.fixture
def shipped(order_in: OrderIn, shop: Shop) -> Callable[[], Order]:
    """A shipped order of 56.00 in the seller's shop, from a new buyer each time."""
    return lambda: order_in(Order.Status.SHIPPED, shop=shop, title="安溪铁观音 250g")


def ask(order: Order, *, with_return: bool, amount: Decimal = PART) -> Refund:
    return refund_request(
        order=order,
        buyer=order.buyer,
        reason="not_as_described",
        amount=amount,
        with_return=with_return,
        description="茶叶受潮了",
    )


def returned(order: Order) -> Refund:
    """A request with a return that the seller agreed to and the buyer sent back."""
    refund = ask(order, with_return=True)
    refund_agree(refund=refund, actor=order.shop.owner)
    refund_ship_return(refund=refund, actor=order.buyer, carrier="圆通速递", tracking_number="YT9")
    refund.refresh_from_db()
    return refund


def detail_url(refund: Refund) -> str:
    return f"/seller/refunds/{refund.public_id}/"


def order_url(order: Order) -> str:
    return f"/seller/orders/{order.public_id}/"


def page_text(response: Any) -> str:
    return str(response.content.decode())


# --- Access -----------------------------------------------------------------------------------


def test_the_refund_list_needs_a_login(client: Client) -> None:
    response = client.get("/seller/refunds/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["", "agree/", "refuse/", "confirm-return/"])
def test_a_rival_seller_gets_404_for_another_shops_refund_and_changes_nothing(
    client: Client,
    shipped: Callable[[], Order],
    nothing_changes: NothingChanges,
    action: str,
) -> None:
    refund = (
        returned(shipped()) if action == "confirm-return/" else ask(shipped(), with_return=False)
    )
    client.force_login(ShopFactory().owner)

    with nothing_changes():
        if action:
            response = client.post(detail_url(refund) + action, {"reason": "No."})
        else:
            response = client.get(detail_url(refund))

    assert response.status_code == 404


def test_another_shops_requests_are_not_listed(
    seller_client: Client, shipped: Callable[[], Order], order_in: OrderIn
) -> None:
    own = ask(shipped(), with_return=False)
    other = ask(order_in(Order.Status.SHIPPED), with_return=False)

    response = seller_client.get("/seller/refunds/")

    assert [row.refund for row in response.context["rows"]] == [own]
    assert str(other.order.public_id)[:8] not in page_text(response)


# --- The list ---------------------------------------------------------------------------------


def test_the_list_opens_on_what_waits_for_the_seller_with_deadlines_in_words(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    requested = ask(shipped(), with_return=False)
    to_confirm = returned(shipped())
    awaiting = ask(shipped(), with_return=True)
    refund_agree(refund=awaiting, actor=awaiting.order.shop.owner)
    withdrawn = ask(shipped(), with_return=False)
    refund_withdraw(refund=withdrawn, actor=withdrawn.order.buyer)
    requested.refresh_from_db()
    to_confirm.refresh_from_db()
    awaiting.refresh_from_db()

    waiting = seller_client.get("/seller/refunds/")
    return_tab = seller_client.get("/seller/refunds/?status=awaiting_return")

    assert {row.refund for row in waiting.context["rows"]} == {requested, to_confirm}
    assert dict((value, count) for value, _, count in waiting.context["tabs"]) == {
        "waiting": 2,
        "awaiting_return": 1,
        "refused": 0,
        "disputed": 0,
        "refunded": 0,
        "closed": 1,
        "all": 4,
    }
    page = page_text(waiting)
    assert requested.deadline is not None and to_confirm.deadline is not None
    assert (
        f"Answer by {when(requested.deadline)} — if you do not, the refund is agreed "
        "automatically" in page
    )
    assert (
        f"Confirm the return by {when(to_confirm.deadline)} — otherwise the buyer is refunded "
        "automatically" in page
    )
    for text in [
        "¥20.00",
        "Not as described",
        "No return",
        "With return",
        requested.order.buyer.username,
    ]:
        assert text in page
    assert [row.refund for row in return_tab.context["rows"]] == [awaiting]
    assert awaiting.deadline is not None
    assert f"The buyer has until {when(awaiting.deadline)} to send it back" in page_text(return_tab)
    assert '<span class="badge urgent" title="Waiting for your answer">2</span>' in page


def test_a_deadline_less_than_a_day_away_is_highlighted(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    soon = ask(shipped(), with_return=False)
    later = ask(shipped(), with_return=False)
    Refund.objects.filter(pk=soon.pk).update(deadline=timezone.now() + timedelta(hours=23))

    response = seller_client.get("/seller/refunds/")

    urgent = {row.refund: row.is_urgent for row in response.context["rows"]}
    assert urgent == {soon: True, later: False}
    assert [row.refund for row in response.context["rows"]] == [soon, later]  # soonest first
    assert page_text(response).count("Due within 24 h") == 1


def test_the_list_is_paged(
    seller_client: Client, shipped: Callable[[], Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("escrow.web.refunds.PAGE_SIZE", 2)
    for _ in range(3):
        ask(shipped(), with_return=False)

    first = seller_client.get("/seller/refunds/")
    second = seller_client.get("/seller/refunds/?page=2")

    assert len(first.context["rows"]) == 2
    assert len(second.context["rows"]) == 1
    assert "Page 1 of 2" in page_text(first)


# --- The detail and the seller's answers ------------------------------------------------------


def test_the_detail_shows_the_request_the_order_and_its_timeline(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    refund = ask(shipped(), with_return=True)

    response = seller_client.get(detail_url(refund))

    assert response.status_code == 200
    page = page_text(response)
    for text in [
        "Waiting for your answer",
        "Not as described",
        "茶叶受潮了",
        "¥20.00",
        "安溪铁观音 250g",
        "Agree and ask for the goods back",
        "Refuse the refund",
    ]:
        assert text in page
    assert "Confirm the return arrived" not in page
    labels = [entry.label for entry in response.context["timeline"]]
    assert labels[-2:] == ["Shipped", "Refund requested"]
    assert "Not as described · with return" in page


def test_agreeing_without_a_return_refunds_the_buyer_at_once(
    seller_client: Client, shipped: Callable[[], Order], shop: Shop
) -> None:
    refund = ask(shipped(), with_return=False)
    assert shop_balances(shop=shop)["in_escrow"] == Decimal("56.00")

    response = seller_client.post(detail_url(refund) + "agree/", follow=True)

    refund.refresh_from_db()
    assert (refund.status, refund.refunded_amount) == (RStatus.REFUNDED, PART)
    assert shop_balances(shop=shop)["in_escrow"] == Decimal("36.00")
    assert_ledger_sound()
    page = page_text(response)
    assert "Refund agreed: ¥20.00 is on its way back to the buyer." in page
    assert '<span class="status refund-status refunded" id="refund-status">Refunded</span>' in page
    assert "Refuse the refund" not in page
    event = OrderEvent.objects.get(order=refund.order, type="refund_agreed")
    assert event.actor == shop.owner


def test_agreeing_with_a_return_waits_for_the_goods_and_moves_no_money(
    seller_client: Client, shipped: Callable[[], Order], shop: Shop
) -> None:
    refund = ask(shipped(), with_return=True)

    response = seller_client.post(detail_url(refund) + "agree/", follow=True)

    refund.refresh_from_db()
    assert refund.status == RStatus.AWAITING_RETURN
    assert shop_balances(shop=shop)["in_escrow"] == Decimal("56.00")
    assert "The buyer has been asked to send the goods back" in page_text(response)
    assert refund.deadline is not None
    assert f"The buyer has until {when(refund.deadline)} to send it back" in page_text(response)


def test_refusing_without_a_reason_shows_the_error_next_to_the_field_and_changes_nothing(
    seller_client: Client, shipped: Callable[[], Order], nothing_changes: NothingChanges
) -> None:
    refund = ask(shipped(), with_return=False)

    with nothing_changes():
        response = seller_client.post(detail_url(refund) + "refuse/", {"reason": "   "})

    assert response.status_code == 200
    assert response.context["refuse_form"].errors == {"reason": ["Tell the buyer why you refuse."]}
    assert 'id="id_reason_errors"' in page_text(response)


def test_refusing_with_a_reason_tells_the_buyer_and_lets_the_clock_run_on(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    refund = ask(shipped(), with_return=False)

    response = seller_client.post(
        detail_url(refund) + "refuse/", {"reason": "照片显示商品已拆封使用"}, follow=True
    )

    refund.refresh_from_db()
    assert (refund.status, refund.refused_reason) == (RStatus.REFUSED, "照片显示商品已拆封使用")
    order = refund.order
    order.refresh_from_db()
    assert order.confirm_deadline is not None and order.confirm_time_left is None
    page = page_text(response)
    assert "Refund refused." in page
    assert "Refund refused</strong>" in page  # on the timeline
    assert "“照片显示商品已拆封使用”" in page
    assert "Agree" in page  # the seller may still change their mind


def test_confirming_the_return_refunds_the_buyer(
    seller_client: Client, shipped: Callable[[], Order], shop: Shop
) -> None:
    refund = returned(shipped())
    before = seller_client.get(detail_url(refund))

    response = seller_client.post(detail_url(refund) + "confirm-return/", follow=True)

    assert "Confirm the return arrived" in page_text(before)
    assert "圆通速递" in page_text(before)
    refund.refresh_from_db()
    assert (refund.status, refund.refunded_amount) == (RStatus.REFUNDED, PART)
    assert shop_balances(shop=shop)["in_escrow"] == Decimal("36.00")
    assert_ledger_sound()
    page = page_text(response)
    assert "Return confirmed: ¥20.00 is on its way back to the buyer." in page
    assert "Return confirmed</strong>" in page
    assert "Confirm the return arrived" not in page


@pytest.mark.parametrize("action", ["agree/", "refuse/"])
def test_an_answer_after_the_buyer_withdrew_says_why_and_changes_nothing(
    seller_client: Client,
    shipped: Callable[[], Order],
    nothing_changes: NothingChanges,
    action: str,
) -> None:
    refund = ask(shipped(), with_return=False)
    seller_client.get(detail_url(refund))  # the seller reads the request ...
    refund_withdraw(refund=refund, actor=refund.order.buyer)  # ... the buyer takes it back

    with nothing_changes():
        response = seller_client.post(detail_url(refund) + action, {"reason": "Used."}, follow=True)

    assert response.status_code == 200
    page = page_text(response)
    assert "Nothing was changed: A closed refund request cannot be" in page
    assert "The buyer withdrew the request." in page


def test_confirming_a_return_that_never_shipped_says_why(
    seller_client: Client, shipped: Callable[[], Order], nothing_changes: NothingChanges
) -> None:
    refund = ask(shipped(), with_return=True)

    with nothing_changes():
        response = seller_client.post(detail_url(refund) + "confirm-return/", follow=True)

    assert "Nothing was changed: A requested refund request cannot be confirmed" in page_text(
        response
    )


def test_a_silent_seller_reads_what_the_system_did_in_words(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    refund = ask(shipped(), with_return=False)
    assert refund.deadline is not None
    with time_machine.travel(refund.deadline + timedelta(seconds=1)):
        refund_agree(refund=refund, actor=None, timed_out=True)

    response = seller_client.get(detail_url(refund))

    timeline = [(entry.label, entry.actor) for entry in response.context["timeline"]]
    assert ("Refund agreed automatically — no answer in time", "system") in timeline
    assert ("Money refunded to the buyer", "system") in timeline


def test_a_dispute_and_its_decision_are_shown(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    refund = ask(shipped(), with_return=False)
    refund_refuse(refund=refund, actor=refund.order.shop.owner, reason="Opened and used.")
    dispute = refund_escalate(refund=refund, actor=refund.order.buyer, statement="包装是完好的")
    dispute_decide(
        dispute=dispute,
        staff=UserFactory(is_staff=True),
        decision=Dispute.Decision.PARTIAL_REFUND,
        amount=Decimal("10.00"),
        reason="Half the tea was damp.",
    )

    response = seller_client.get(detail_url(refund))

    page = page_text(response)
    for text in [
        "包装是完好的",
        "Partial refund, the rest to the seller",
        "¥10.00 to the buyer",
        "Half the tea was damp.",
        "Staff decided the dispute",
    ]:
        assert text in page
    assert "Refuse the refund" not in page


# --- The order page ---------------------------------------------------------------------------


def test_the_order_page_lists_its_refunds_and_shows_the_stopped_clock(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    order = shipped()
    refund = ask(order, with_return=False)
    order.refresh_from_db()
    assert order.confirm_time_left is not None

    response = seller_client.get(order_url(order))

    page = page_text(response)
    assert detail_url(refund) in page
    assert "Waiting for your answer" in page
    left = response.context["after_sale"].time_left_words
    assert left.startswith("9 days")
    assert f"Clock stopped while a refund request is open ({left} left)." in page


def test_the_order_page_says_when_a_shipped_order_completes_by_itself(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    order = shipped()
    assert order.confirm_deadline is not None

    response = seller_client.get(order_url(order))

    assert f"Completes automatically on {when(order.confirm_deadline)}" in page_text(response)
    assert "Give the buyer more time" in page_text(response)


def test_the_seller_extends_the_clock_once_and_a_second_time_is_refused(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    order = shipped()
    deadline = order.confirm_deadline
    assert deadline is not None

    first = seller_client.post(order_url(order) + "extend/", {"days": "5"}, follow=True)
    order.refresh_from_db()
    second = seller_client.post(order_url(order) + "extend/", {"days": "3"}, follow=True)

    assert order.confirm_deadline == deadline + timedelta(days=5)
    assert order.seller_extension_days == 5
    assert "The buyer has 5 more days to confirm receipt" in page_text(first)
    assert "Confirmation time extended" in page_text(first)
    assert "5 more days, by the seller" in page_text(first)
    assert "Give the buyer more time" not in page_text(first)
    order.refresh_from_db()
    assert (order.confirm_deadline, order.seller_extension_days) == (
        deadline + timedelta(days=5),
        5,
    )
    assert "Nothing was changed: You have already extended this order once." in page_text(second)
    assert OrderEvent.objects.filter(order=order, type="confirmation_extended").count() == 1


def test_an_extension_not_on_offer_shows_the_error_next_to_the_field(
    seller_client: Client, shipped: Callable[[], Order], nothing_changes: NothingChanges
) -> None:
    order = shipped()

    with nothing_changes():
        response = seller_client.post(order_url(order) + "extend/", {"days": "4"})

    assert response.status_code == 200
    assert list(response.context["after_sale"].extend_form.errors) == ["days"]
    assert 'id="id_days_errors"' in page_text(response)


def test_an_automatic_completion_reads_as_such_on_the_timeline(
    seller_client: Client, shipped: Callable[[], Order]
) -> None:
    order = shipped()
    assert order.confirm_deadline is not None
    with time_machine.travel(order.confirm_deadline + timedelta(seconds=1)):
        order_confirm_receipt(order=order, actor=None, timed_out=True)

    response = seller_client.get(order_url(order))

    timeline = [(entry.label, entry.actor) for entry in response.context["timeline"]]
    assert timeline[-1] == ("Completed automatically — the confirmation time ran out", "system")
    assert "Give the buyer more time" not in page_text(response)
