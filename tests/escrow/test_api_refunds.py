"""Refunds, returns, disputes and extensions through the API, and who sees what."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from rest_framework.test import APIClient

from escrow.models import Order, Refund
from marketplace.accounts.models import User
from tests.escrow.helpers import assert_ledger_sound
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NothingChanges = Callable[..., AbstractContextManager[None]]
OrderIn = Callable[..., Order]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(user: User, path: str, data: dict[str, Any] | None = None, key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(path, data or {}, format="json", **headers)


def ask(order: Order, key: str = "ask-1", **data: Any) -> Any:
    body = {"reason": "damaged", "amount": "20.00", "with_return": True, **data}
    return post(order.buyer, f"/api/orders/{order.public_id}/refunds/", body, key=key)


def test_the_buyer_asks_and_sees_the_request_on_the_order(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)

    response = ask(order, description="The handle came off.")

    assert response.status_code == 201, response.json()
    refund = response.json()
    assert {k: refund[k] for k in ("status", "reason", "amount", "with_return")} == {
        "status": "requested",
        "reason": "damaged",
        "amount": "20.00",
        "with_return": True,
    }
    assert refund["deadline"] is not None
    assert refund["dispute"] is None
    seen = client_for(order.buyer).get(f"/api/orders/{order.public_id}/").json()
    assert [r["id"] for r in seen["refunds"]] == [refund["id"]]
    assert seen["confirm_deadline"] is None  # the clock stands still
    assert seen["timeline"][-1]["type"] == "refund_requested"


def test_the_same_key_gets_the_first_answer_and_asks_once(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)

    first, again = ask(order, key="k"), ask(order, key="k")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Refund.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "code", "field"),
    [
        ({"amount": "abc"}, 400, "invalid", "amount"),
        ({"reason": "because"}, 400, "invalid", "reason"),
        ({"amount": "56.01"}, 400, "refund_amount_too_large", None),
        ({"amount": "0.00"}, 400, "refund_amount_too_large", None),
    ],
)
def test_bad_requests_are_clear_and_change_nothing(
    order_in: OrderIn,
    nothing_changes: NothingChanges,
    data: dict[str, str],
    status: int,
    code: str,
    field: str | None,
) -> None:
    order = order_in(Order.Status.SHIPPED)

    with nothing_changes():
        response = ask(order, **data)

    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    if field:
        assert field in body["extra"]["fields"]


def test_a_second_open_request_is_a_conflict(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    ask(order)

    response = ask(order, key="ask-2")

    assert response.status_code == 409
    assert response.json()["code"] == "refund_already_open"


def test_the_whole_return_path_through_the_api(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    seller, buyer = order.shop.owner, order.buyer
    refund_id = ask(order).json()["id"]

    listed = client_for(seller).get("/api/seller/refunds/?status=requested").json()
    assert [r["id"] for r in listed["results"]] == [refund_id]
    agreed = post(seller, f"/api/seller/refunds/{refund_id}/agree/", key="a")
    assert agreed.json()["status"] == "awaiting_return"
    shipped = post(
        buyer,
        f"/api/refunds/{refund_id}/return/",
        {"carrier": "YTO", "tracking_number": "YT77"},
        key="r",
    )
    assert shipped.json()["status"] == "return_shipped"
    confirmed = post(seller, f"/api/seller/refunds/{refund_id}/confirm-return/", key="c")

    assert confirmed.status_code == 200
    assert (confirmed.json()["status"], confirmed.json()["refunded_amount"]) == (
        "refunded",
        "20.00",
    )
    balance = client_for(seller).get("/api/seller/balance/").json()
    assert balance["in_escrow"] == "36.00"
    assert_ledger_sound()


def test_a_refused_request_escalated_shows_its_dispute(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    refund_id = ask(order).json()["id"]
    refused = post(
        order.shop.owner, f"/api/seller/refunds/{refund_id}/refuse/", {"reason": "Used."}, key="x"
    )
    assert refused.json()["refused_reason"] == "Used."

    response = post(
        order.buyer, f"/api/refunds/{refund_id}/escalate/", {"statement": "Not used."}, key="e"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "disputed"
    assert body["dispute"]["statement"] == "Not used."
    assert body["dispute"]["decision"] == ""


def test_refusing_needs_a_reason(order_in: OrderIn, nothing_changes: NothingChanges) -> None:
    order = order_in(Order.Status.SHIPPED)
    refund_id = ask(order).json()["id"]

    with nothing_changes():
        response = post(order.shop.owner, f"/api/seller/refunds/{refund_id}/refuse/", {})

    assert response.status_code == 400
    assert "reason" in response.json()["extra"]["fields"]


def test_others_see_nothing_of_a_refund(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    refund_id = ask(order).json()["id"]
    stranger, rival = UserFactory(), order_in(Order.Status.SHIPPED).shop.owner

    assert client_for(stranger).get(f"/api/refunds/{refund_id}/").status_code == 404
    assert post(stranger, f"/api/refunds/{refund_id}/withdraw/").status_code == 404
    assert ask(order, key="s").status_code == 409  # still the buyer's own open request
    stranger_order = post(
        stranger,
        f"/api/orders/{order.public_id}/refunds/",
        {"reason": "damaged", "amount": "1.00"},
    )
    assert stranger_order.status_code == 404
    assert client_for(rival).get(f"/api/seller/refunds/{refund_id}/").status_code == 404
    assert post(rival, f"/api/seller/refunds/{refund_id}/agree/").status_code == 404
    assert client_for(rival).get("/api/seller/refunds/").json()["results"] == []
    assert client_for(order.buyer).get("/api/refunds/not-a-uuid/").status_code == 404


def test_an_illegal_step_is_a_conflict(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    refund_id = ask(order).json()["id"]

    response = post(order.buyer, f"/api/refunds/{refund_id}/escalate/")

    assert response.status_code == 409
    assert response.json()["extra"] == {"status": "requested", "action": "escalate"}


def test_buyer_and_seller_extend_the_clock(order_in: OrderIn) -> None:
    order = order_in(Order.Status.SHIPPED)
    deadline = client_for(order.buyer).get(f"/api/orders/{order.public_id}/").json()

    by_buyer = post(order.buyer, f"/api/orders/{order.public_id}/extend-confirmation/", {"days": 3})
    by_seller = post(
        order.shop.owner, f"/api/seller/orders/{order.public_id}/extend-confirmation/", {"days": 5}
    )
    wrong = post(order.buyer, f"/api/orders/{order.public_id}/extend-confirmation/", {"days": 9})

    assert by_buyer.status_code == by_seller.status_code == 200
    assert by_buyer.json()["buyer_extension_days"] == 3
    assert by_seller.json()["seller_extension_days"] == 5
    assert by_seller.json()["confirm_deadline"] > deadline["confirm_deadline"]
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_extension"
