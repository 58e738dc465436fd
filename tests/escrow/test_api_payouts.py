"""The seller's bank check and payouts through the API: amounts as strings, errors with stable
codes, another shop's payout not found, and a retried request with the same Idempotency-Key
paying out once."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from escrow.models import BankAccountCheck, Order, Payout
from marketplace.accounts.models import User
from shops.models import Shop
from tests.escrow.helpers import assert_ledger_sound, deliver
from tests.escrow.test_payouts import (
    CLOSED_ACCOUNT,
    balances,
    confirm_bank_account,
    kyc,
    outcome,
    shop_with_money,
    statement,
    wrong_amounts,
)
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

OrderIn = Callable[..., Order]
BANK_CHECK = "/api/seller/bank-check/"
CONFIRM = "/api/seller/bank-check/confirm/"
PAYOUTS = "/api/seller/payouts/"


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def confirm(client: APIClient, first: Decimal, second: Decimal) -> Any:
    return client.post(
        CONFIRM, {"first_amount": str(first), "second_amount": str(second)}, format="json"
    )


def request_payout(client: APIClient, amount: str, key: str = "") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(PAYOUTS, {"amount": amount}, format="json", **headers)


# --- Bank check -------------------------------------------------------------------------------


def test_a_shop_without_a_bank_account_sees_it_must_hand_one_in() -> None:
    client = client_for(ShopFactory().owner)

    state = client.get(BANK_CHECK)
    start = client.post(BANK_CHECK)

    assert state.json() == {
        "status": None,
        "bank_account_masked": "",
        "attempts_left": 3,
        "can_withdraw": False,
        "sent_at": None,
        "confirmed_at": None,
    }
    assert (start.status_code, start.json()["code"]) == (409, "bank_details_required")
    assert not BankAccountCheck.objects.exists()


def test_the_seller_starts_the_check_and_confirms_with_the_amounts_as_strings() -> None:
    shop = ShopFactory()
    kyc(shop)
    client = client_for(shop.owner)

    started = client.post(BANK_CHECK)
    first, second = statement(shop)
    confirmed = confirm(client, second, first)

    assert started.status_code == 200
    assert started.json()["status"] == "pending"
    assert started.json()["bank_account_masked"] == "************1234"
    assert started.json()["sent_at"] is not None
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["can_withdraw"] is True
    assert confirmed.json()["attempts_left"] == 0


def test_wrong_amounts_say_how_many_tries_are_left_and_the_third_locks() -> None:
    shop = ShopFactory()
    kyc(shop)
    client = client_for(shop.owner)
    client.post(BANK_CHECK)
    wrong = wrong_amounts(shop)

    tries = [confirm(client, *wrong) for _ in range(3)]
    locked_state = client.get(BANK_CHECK).json()
    right_too_late = confirm(client, *statement(shop))

    assert [(r.status_code, r.json()["code"]) for r in tries] == [
        (400, "bank_amounts_wrong"),
        (400, "bank_amounts_wrong"),
        (403, "bank_check_locked"),
    ]
    assert [r.json()["extra"].get("attempts_left") for r in tries[:2]] == [2, 1]
    assert "staff" in tries[2].json()["message"]
    assert (locked_state["status"], locked_state["attempts_left"]) == ("locked", 0)
    assert right_too_late.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"first_amount": "1.20", "second_amount": "0.30"},
        {"first_amount": "0.123", "second_amount": "0.30"},
        {"first_amount": "abc", "second_amount": "0.30"},
        {"first_amount": "0.10"},
    ],
    ids=["over 0.99", "three decimals", "not a number", "one missing"],
)
def test_malformed_amounts_are_field_errors_and_use_no_try(body: dict[str, str]) -> None:
    shop = ShopFactory()
    kyc(shop)
    client = client_for(shop.owner)
    client.post(BANK_CHECK)

    response = client.post(CONFIRM, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["extra"]["fields"]) <= {"first_amount", "second_amount"}
    assert BankAccountCheck.objects.get(shop=shop).failed_attempts == 0


@pytest.mark.parametrize("url", [BANK_CHECK, PAYOUTS])
def test_a_user_without_a_shop_is_told_to_open_one(url: str) -> None:
    response = client_for(UserFactory()).get(url)

    assert (response.status_code, response.json()["code"]) == (404, "shop_required")


@pytest.mark.parametrize("url", [BANK_CHECK, PAYOUTS])
def test_the_endpoints_need_a_login(url: str) -> None:
    response = APIClient().get(url)

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


# --- Payouts ----------------------------------------------------------------------------------


def test_a_seller_pays_out_and_follows_the_payout_to_the_bank(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    client = client_for(shop.owner)

    created = request_payout(client, "50.00")
    payout = Payout.objects.get()
    deliver(outcome(payout))
    detail = client.get(f"{PAYOUTS}{payout.public_id}/")
    listed = client.get(PAYOUTS)

    assert created.status_code == 201
    body = created.json()
    assert (body["id"], body["status"], body["amount"], body["bank_account_masked"]) == (
        str(payout.public_id),
        "pending",
        "50.00",
        "************1234",
    )
    assert (body["failure_reason"], body["settled_at"]) == ("", None)
    assert detail.json()["status"] == "settled"
    assert detail.json()["settled_at"] is not None
    assert listed.json()["count"] == 1
    assert listed.json()["results"] == [detail.json()]
    assert balances(shop) == (Decimal("6.00"), Decimal("0.00"))
    assert_ledger_sound()


def test_a_failed_payout_shows_why(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in, account=CLOSED_ACCOUNT)
    client = client_for(shop.owner)
    payout_id = request_payout(client, "20.00").json()["id"]

    deliver(outcome(Payout.objects.get()))
    detail = client.get(f"{PAYOUTS}{payout_id}/").json()

    assert (detail["status"], detail["failure_reason"]) == ("failed", "account_closed")
    assert balances(shop) == (Decimal("56.00"), Decimal("0.00"))


def _unverified(shop: Shop) -> None:
    kyc(shop, status="submitted")
    confirm_bank_account(shop)


def _unconfirmed(shop: Shop) -> None:
    kyc(shop)


@pytest.mark.parametrize(
    ("prepare", "code"),
    [(_unverified, "verification_required"), (_unconfirmed, "bank_account_unconfirmed")],
)
def test_a_payout_before_verification_and_bank_check_is_refused_and_moves_nothing(
    order_in: OrderIn, prepare: Callable[[Shop], None], code: str
) -> None:
    shop = order_in(Order.Status.COMPLETED).shop
    prepare(shop)

    response = request_payout(client_for(shop.owner), "10.00")

    assert (response.status_code, response.json()["code"]) == (409, code)
    assert not Payout.objects.exists()
    assert balances(shop) == (Decimal("56.00"), Decimal("0"))


@pytest.mark.parametrize(
    ("amount", "status", "code", "extra"),
    [
        ("56.01", 409, "insufficient_balance", {"available": "56.00"}),
        ("0.50", 400, "invalid", None),
        ("10.005", 400, "invalid", None),
        ("ten", 400, "invalid", None),
    ],
)
def test_a_payout_must_fit_the_available_balance(
    order_in: OrderIn, amount: str, status: int, code: str, extra: dict[str, str] | None
) -> None:
    shop = shop_with_money(order_in)

    response = request_payout(client_for(shop.owner), amount)

    assert (response.status_code, response.json()["code"]) == (status, code)
    if extra is None:
        assert "amount" in response.json()["extra"]["fields"]
    else:
        assert response.json()["extra"] == extra
    assert not Payout.objects.exists()
    assert balances(shop) == (Decimal("56.00"), Decimal("0"))


def test_another_sellers_payout_is_not_found(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    request_payout(client_for(shop.owner), "10.00")
    payout = Payout.objects.get()
    stranger = client_for(shop_with_money(order_in).owner)

    detail = stranger.get(f"{PAYOUTS}{payout.public_id}/")
    listed = stranger.get(PAYOUTS)
    nonsense = stranger.get(f"{PAYOUTS}not-a-uuid/")

    assert detail.status_code == 404
    assert listed.json()["count"] == 0
    assert nonsense.status_code == 404


def test_a_retry_with_the_same_idempotency_key_pays_out_once(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    client = client_for(shop.owner)

    first = request_payout(client, "30.00", key="payout-1")
    retry = request_payout(client, "30.00", key="payout-1")
    other_body = request_payout(client, "20.00", key="payout-1")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert (other_body.status_code, other_body.json()["code"]) == (422, "idempotency_key_reused")
    assert Payout.objects.count() == 1
    assert balances(shop) == (Decimal("26.00"), Decimal("30.00"))
    assert_ledger_sound()


def test_the_list_is_paginated_newest_first(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    client = client_for(shop.owner)
    for amount in ("1.00", "2.00", "3.00"):
        request_payout(client, amount)

    page = client.get(PAYOUTS, {"page_size": 2}).json()

    assert page["count"] == 3
    assert [payout["amount"] for payout in page["results"]] == ["3.00", "2.00"]
    assert page["next"] is not None
