"""Seller payouts and the micro-deposit check of the payout bank account, through the services
and the provider's signed webhooks.

A payout needs verified KYC and a confirmed bank check of the KYC's current account; it moves
money out of the available balance once, never more than is there, and the provider's outcome
settles or returns it once, however its webhooks arrive.
"""

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from escrow import tasks
from escrow.conf import escrow_setting
from escrow.demo_payouts import pay_out_demo_shops
from escrow.exceptions import (
    BankAccountUnconfirmed,
    BankAmountsWrong,
    BankCheckLocked,
    InsufficientBalance,
    VerificationRequired,
)
from escrow.models import (
    BankAccountCheck,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    Payout,
    SandboxTransfer,
    WebhookEvent,
)
from escrow.providers.sandbox import sandbox_payout_outcome, webhook_event
from escrow.selectors import shop_balances
from escrow.services.orders import order_confirm_receipt, order_ship
from escrow.services.payouts import (
    bank_check_confirm,
    bank_check_start,
    bank_check_state,
    bank_check_unlock,
    payout_request,
)
from marketplace.exceptions import InvalidTransition
from marketplace.money import to_minor_units
from shops.demo.data import SHOPS
from shops.models import Shop, ShopEvent, ShopVerification
from tests.escrow.helpers import assert_ledger_sound, deliver, pay, place, run_in_threads
from tests.factories import ShopFactory, UserFactory, make_listing

pytestmark = pytest.mark.django_db

ACCOUNT = "6222020200001234"
CLOSED_ACCOUNT = "6222020200000002"  # the sandbox bounces payouts to it
OrderIn = Callable[..., Order]
NothingChanges = Callable[..., AbstractContextManager[None]]
Verified = ShopVerification.Status


# --- Helpers (shared with the API and page tests) ---------------------------------------------


def kyc(shop: Shop, *, status: str = Verified.VERIFIED, account: str = ACCOUNT) -> None:
    """Real-name verification with a bank account, in the given state (reviewed elsewhere)."""
    ShopVerification.objects.filter(shop=shop).update(
        status=status,
        legal_name="李华",
        bank_name="中国农业银行",
        bank_account_name="李华",
        bank_account_number=account,
    )


def statement(shop: Shop) -> tuple[Decimal, Decimal]:
    """The two amounts the seller reads on the sandbox's bank statement."""
    check = BankAccountCheck.objects.get(shop=shop)
    sent = SandboxTransfer.objects.get(reference=check.provider_reference)
    first, second = (Decimal(units) / 100 for units in sent.amounts_minor)
    return first, second


def wrong_amounts(shop: Shop) -> tuple[Decimal, Decimal]:
    first, second = statement(shop)
    return first, Decimal("0.99") if second != Decimal("0.99") else Decimal("0.98")


def confirm_bank_account(shop: Shop) -> BankAccountCheck:
    bank_check_start(shop=shop)
    first, second = statement(shop)
    return bank_check_confirm(shop=shop, first_amount=first, second_amount=second)


def shop_with_money(order_in: OrderIn, account: str = ACCOUNT) -> Shop:
    """A shop with 56.00 available (one completed order), verified KYC and a confirmed bank
    account."""
    shop = order_in(Order.Status.COMPLETED).shop
    kyc(shop, account=account)
    confirm_bank_account(shop)
    return shop


def outcome(payout: Payout) -> bytes:
    """The sandbox's notification of the payout's outcome, with a fresh event id."""
    return sandbox_payout_outcome(SandboxTransfer.objects.get(reference=payout.provider_reference))


def event(payout: Payout, event_type: str, **extra: Any) -> bytes:
    return webhook_event(
        payout.provider_reference, event_type, to_minor_units(payout.amount), **extra
    )


def balances(shop: Shop) -> tuple[Decimal, Decimal]:
    found = shop_balances(shop=shop)
    return found["available"], found["payout_pending"]


def payout_postings(payout: Payout) -> list[str]:
    return list(
        LedgerTransaction.objects.filter(payout=payout)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def shop_events(shop: Shop) -> list[str]:
    return list(ShopEvent.objects.filter(shop=shop).order_by("pk").values_list("type", flat=True))


@pytest.fixture
def sandbox_outbox(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The webhooks the sandbox queues for delivery, kept here instead of on the broker."""
    sent: list[str] = []
    monkeypatch.setattr(tasks, "sandbox_deliver_webhook", SimpleNamespace(delay=sent.append))
    return sent


# --- Starting the bank check ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "account"),
    [(Verified.UNVERIFIED, ""), (Verified.REJECTED, ACCOUNT)],
    ids=["nothing handed in", "verification rejected"],
)
def test_the_check_needs_a_bank_account_in_the_kyc(status: str, account: str) -> None:
    shop = ShopFactory()
    kyc(shop, status=status, account=account)

    with pytest.raises(VerificationRequired) as refused:
        bank_check_start(shop=shop)

    assert refused.value.code == "bank_details_required"
    assert not BankAccountCheck.objects.exists()
    assert not SandboxTransfer.objects.exists()


@pytest.mark.parametrize("status", [Verified.SUBMITTED, Verified.VERIFIED])
def test_starting_sends_two_different_small_amounts_outside_the_ledger(status: str) -> None:
    shop = ShopFactory()
    kyc(shop, status=status)

    check = bank_check_start(shop=shop)

    sent = SandboxTransfer.objects.get()
    assert (sent.kind, sent.account_number, sent.reference) == (
        SandboxTransfer.Kind.MICRO_DEPOSIT,
        ACCOUNT,
        check.provider_reference,
    )
    assert sent.amounts_minor == [
        to_minor_units(check.first_amount),
        to_minor_units(check.second_amount),
    ]
    assert check.first_amount != check.second_amount
    assert all(Decimal("0.01") <= amount <= Decimal("0.99") for amount in statement(shop))
    assert (check.status, check.failed_attempts, check.account_number) == ("pending", 0, ACCOUNT)
    assert not LedgerTransaction.objects.exists()
    assert shop_events(shop)[-1] == "bank_check_started"


def test_starting_again_for_the_same_account_sends_nothing_new() -> None:
    shop = ShopFactory()
    kyc(shop)
    first = bank_check_start(shop=shop)

    again = bank_check_start(shop=shop)

    assert again.provider_reference == first.provider_reference
    assert SandboxTransfer.objects.count() == 1


def test_a_new_account_in_the_kyc_needs_a_new_check() -> None:
    shop = ShopFactory()
    kyc(shop)
    old = confirm_bank_account(shop)
    kyc(shop, account="6217000010012345678")

    before = bank_check_state(shop=shop)
    restarted = bank_check_start(shop=shop)

    assert (before.status, before.can_withdraw, before.bank_account_masked) == (
        "not_started",
        False,
        "***************5678",
    )
    assert restarted.pk == old.pk
    assert restarted.provider_reference != old.provider_reference
    assert (restarted.status, restarted.account_number, restarted.confirmed_at) == (
        "pending",
        "6217000010012345678",
        None,
    )


# --- Confirming -------------------------------------------------------------------------------


@pytest.mark.parametrize("swapped", [False, True], ids=["as sent", "either order"])
def test_the_two_amounts_confirm_the_account(swapped: bool) -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)
    first, second = statement(shop)
    if swapped:
        first, second = second, first

    check = bank_check_confirm(shop=shop, first_amount=first, second_amount=second)

    assert check.status == BankAccountCheck.Status.CONFIRMED
    assert check.confirmed_at is not None
    assert bank_check_state(shop=shop).can_withdraw
    assert shop_events(shop)[-1] == "bank_check_confirmed"
    assert bank_check_confirm(shop=shop, first_amount=first, second_amount=second) == check


def test_confirming_before_starting_is_refused() -> None:
    shop = ShopFactory()
    kyc(shop)

    with pytest.raises(BankAccountUnconfirmed) as refused:
        bank_check_confirm(shop=shop, first_amount=Decimal("0.12"), second_amount=Decimal("0.34"))

    assert refused.value.code == "bank_check_not_started"


def test_three_wrong_tries_lock_the_check_until_staff_unlock_it() -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)
    wrong = wrong_amounts(shop)
    limit = escrow_setting("BANK_CHECK_MAX_ATTEMPTS")

    left = []
    for _ in range(limit - 1):
        with pytest.raises(BankAmountsWrong) as refused:
            bank_check_confirm(shop=shop, first_amount=wrong[0], second_amount=wrong[1])
        left.append(refused.value.extra["attempts_left"])
    with pytest.raises(BankCheckLocked) as locked:
        bank_check_confirm(shop=shop, first_amount=wrong[0], second_amount=wrong[1])
    with pytest.raises(BankCheckLocked):
        bank_check_confirm(
            shop=shop, first_amount=statement(shop)[0], second_amount=statement(shop)[1]
        )
    with pytest.raises(BankCheckLocked):
        bank_check_start(shop=shop)

    assert left == [2, 1]
    assert locked.value.status_code == 403
    assert "staff" in locked.value.message
    check = BankAccountCheck.objects.get(shop=shop)
    assert (check.status, check.failed_attempts) == ("locked", limit)
    assert bank_check_state(shop=shop).attempts_left == 0
    assert shop_events(shop)[-3:] == [
        "bank_check_failed_try",
        "bank_check_failed_try",
        "bank_check_locked",
    ]


def test_a_locked_check_stays_locked_when_the_kyc_account_changes() -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)
    for _ in range(escrow_setting("BANK_CHECK_MAX_ATTEMPTS")):
        with pytest.raises((BankAmountsWrong, BankCheckLocked)):
            bank_check_confirm(
                shop=shop, first_amount=Decimal("0.01"), second_amount=Decimal("0.01")
            )
    kyc(shop, account="6217000010012345678")

    with pytest.raises(BankCheckLocked):
        bank_check_start(shop=shop)

    assert bank_check_state(shop=shop).status == "locked"
    assert SandboxTransfer.objects.count() == 1


def test_staff_unlock_gives_the_tries_back_and_say_why_on_the_audit_trail() -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)
    for _ in range(escrow_setting("BANK_CHECK_MAX_ATTEMPTS")):
        with pytest.raises((BankAmountsWrong, BankCheckLocked)):
            bank_check_confirm(
                shop=shop, first_amount=Decimal("0.01"), second_amount=Decimal("0.01")
            )
    staff = UserFactory(is_staff=True)
    locked = BankAccountCheck.objects.get(shop=shop)

    unlocked = bank_check_unlock(check=locked, staff=staff, reason="Seller called; ID checked.")
    first, second = statement(shop)
    confirmed = bank_check_confirm(shop=shop, first_amount=first, second_amount=second)

    assert (unlocked.status, unlocked.failed_attempts) == ("pending", 0)
    assert confirmed.status == "confirmed"
    event = ShopEvent.objects.get(shop=shop, type="bank_check_unlocked")
    assert (event.actor, event.data) == (staff, {"reason": "Seller called; ID checked."})


def test_unlocking_needs_a_reason_and_a_locked_check() -> None:
    shop = ShopFactory()
    kyc(shop)
    pending = bank_check_start(shop=shop)
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError):
        bank_check_unlock(check=pending, staff=staff, reason="  ")
    unchanged = bank_check_unlock(check=pending, staff=staff, reason="Asked twice.")
    confirmed = confirm_bank_account(shop)
    with pytest.raises(InvalidTransition):
        bank_check_unlock(check=confirmed, staff=staff, reason="Why not.")

    assert unchanged.status == "pending"
    assert not ShopEvent.objects.filter(type="bank_check_unlocked").exists()


# --- Requesting a payout ----------------------------------------------------------------------


def _kyc_submitted(shop: Shop) -> None:
    kyc(shop, status=Verified.SUBMITTED)
    confirm_bank_account(shop)


def _bank_not_started(shop: Shop) -> None:
    kyc(shop)


def _bank_pending(shop: Shop) -> None:
    kyc(shop)
    bank_check_start(shop=shop)


def _bank_confirmed_for_an_old_account(shop: Shop) -> None:
    kyc(shop, status=Verified.SUBMITTED, account="6217000010012345678")
    confirm_bank_account(shop)
    kyc(shop)


@pytest.mark.parametrize(
    ("prepare", "error", "code"),
    [
        (_kyc_submitted, VerificationRequired, "verification_required"),
        (_bank_not_started, BankAccountUnconfirmed, "bank_account_unconfirmed"),
        (_bank_pending, BankAccountUnconfirmed, "bank_account_unconfirmed"),
        (_bank_confirmed_for_an_old_account, BankAccountUnconfirmed, "bank_account_unconfirmed"),
    ],
    ids=["kyc not approved", "bank check not started", "bank check pending", "old account"],
)
def test_a_payout_needs_verified_kyc_and_a_confirmed_account(
    order_in: OrderIn,
    nothing_changes: NothingChanges,
    prepare: Callable[[Shop], None],
    error: type[Exception],
    code: str,
) -> None:
    shop = order_in(Order.Status.COMPLETED).shop
    prepare(shop)

    with nothing_changes(), pytest.raises(error) as refused:
        payout_request(shop=shop, actor=shop.owner, amount=Decimal("10.00"))

    assert refused.value.code == code  # type: ignore[attr-defined]
    assert not Payout.objects.exists()
    assert not SandboxTransfer.objects.filter(kind=SandboxTransfer.Kind.PAYOUT).exists()
    assert balances(shop) == (Decimal("56.00"), Decimal("0"))


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        (None, ValidationError),
        ("0", ValidationError),
        ("-5.00", ValidationError),
        ("10.001", ValidationError),
        ("56.01", InsufficientBalance),
    ],
    ids=["below the minimum", "zero", "negative", "three decimals", "more than available"],
)
def test_a_payout_is_between_the_minimum_and_the_available_balance(
    order_in: OrderIn, nothing_changes: NothingChanges, amount: str | None, error: type[Exception]
) -> None:
    shop = shop_with_money(order_in)
    below_minimum = escrow_setting("MIN_PAYOUT") - Decimal("0.01")

    with nothing_changes(), pytest.raises(error):
        payout_request(
            shop=shop, actor=shop.owner, amount=below_minimum if amount is None else Decimal(amount)
        )

    assert not Payout.objects.exists()


def test_a_shop_that_never_earned_cannot_pay_out() -> None:
    shop = ShopFactory()
    kyc(shop)
    confirm_bank_account(shop)

    with pytest.raises(InsufficientBalance) as refused:
        payout_request(shop=shop, actor=shop.owner, amount=Decimal("1.00"))

    assert refused.value.extra == {"available": "0.00"}


def test_a_payout_moves_available_money_to_pending_and_asks_the_provider(
    order_in: OrderIn,
) -> None:
    shop = shop_with_money(order_in)

    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))

    assert (payout.status, payout.amount, payout.bank_account_masked) == (
        "pending",
        Decimal("50.00"),
        "************1234",
    )
    assert (payout.requested_by, payout.provider) == (shop.owner, "sandbox")
    assert balances(shop) == (Decimal("6.00"), Decimal("50.00"))
    assert payout_postings(payout) == ["payout_request"]
    sent = SandboxTransfer.objects.get(kind=SandboxTransfer.Kind.PAYOUT)
    assert (sent.reference, sent.account_number, sent.amounts_minor) == (
        payout.provider_reference,
        ACCOUNT,
        [5000],
    )
    event = ShopEvent.objects.get(shop=shop, type="payout_requested")
    assert (event.actor, event.data["amount"]) == (shop.owner, "50.00")
    assert_ledger_sound()


def test_the_whole_available_balance_can_be_paid_out(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)

    payout_request(shop=shop, actor=shop.owner, amount=Decimal("56.00"))

    assert balances(shop) == (Decimal("0.00"), Decimal("56.00"))
    assert_ledger_sound()


@pytest.mark.parametrize(
    ("account", "event_type", "reason"),
    [(ACCOUNT, "payout.paid", None), (CLOSED_ACCOUNT, "payout.failed", "account_closed")],
)
def test_the_sandbox_sends_the_outcome_once_the_request_commits(
    order_in: OrderIn,
    sandbox_outbox: list[str],
    django_capture_on_commit_callbacks: Any,
    account: str,
    event_type: str,
    reason: str | None,
) -> None:
    shop = shop_with_money(order_in, account=account)

    with django_capture_on_commit_callbacks() as pending:
        payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("20.00"))
        assert sandbox_outbox == []
    for callback in pending:
        callback()

    [body] = sandbox_outbox
    sent = json.loads(body)
    assert (sent["type"], sent["data"]["reference"], sent["data"]["amount"]) == (
        event_type,
        payout.provider_reference,
        2000,
    )
    assert sent["data"].get("reason") == reason
    assert deliver(body.encode()).json() == {"status": "processed"}


# --- The provider's outcome -------------------------------------------------------------------


def test_a_paid_payout_leaves_the_marketplace_through_clearing(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))

    response = deliver(outcome(payout))

    assert response.json() == {"status": "processed"}
    payout.refresh_from_db()
    assert (payout.status, payout.failure_reason) == ("settled", "")
    assert payout.settled_at is not None
    assert balances(shop) == (Decimal("6.00"), Decimal("0.00"))
    assert payout_postings(payout) == ["payout_request", "payout_settled"]
    settled = LedgerEntry.objects.filter(transaction__kind="payout_settled")
    assert dict(settled.values_list("account__kind", "amount")) == {
        LedgerAccount.Kind.SELLER_PAYOUT_PENDING: Decimal("-50.00"),
        LedgerAccount.Kind.PAYMENT_CLEARING: Decimal("50.00"),
    }
    assert shop_events(shop)[-1] == "payout_settled"
    assert_ledger_sound()


def test_a_failed_payout_returns_the_money_to_the_available_balance(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in, account=CLOSED_ACCOUNT)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))

    response = deliver(outcome(payout))

    assert response.json() == {"status": "processed"}
    payout.refresh_from_db()
    assert (payout.status, payout.failure_reason, payout.settled_at) == (
        "failed",
        "account_closed",
        None,
    )
    assert balances(shop) == (Decimal("56.00"), Decimal("0.00"))
    assert payout_postings(payout) == ["payout_request", "payout_returned"]
    event = ShopEvent.objects.get(shop=shop, type="payout_failed")
    assert event.data["reason"] == "account_closed"
    assert_ledger_sound()


def test_a_replayed_webhook_moves_the_money_once(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))
    body = outcome(payout)

    first, replay = deliver(body), deliver(body)
    another_copy = deliver(outcome(payout))  # the same outcome under a new event id

    assert [first.json(), replay.json(), another_copy.json()] == [
        {"status": "processed"},
        {"status": "duplicate"},
        {"status": "ignored"},
    ]
    assert payout_postings(payout) == ["payout_request", "payout_settled"]
    assert balances(shop) == (Decimal("6.00"), Decimal("0.00"))
    assert WebhookEvent.objects.filter(type__startswith="payout.").count() == 2
    assert_ledger_sound()


@pytest.mark.parametrize(
    ("first", "second", "final", "postings"),
    [
        ("payout.paid", "payout.failed", "settled", ["payout_request", "payout_settled"]),
        ("payout.failed", "payout.paid", "failed", ["payout_request", "payout_returned"]),
    ],
    ids=["failure after settlement", "success after failure"],
)
def test_the_first_outcome_is_final(
    order_in: OrderIn, first: str, second: str, final: str, postings: list[str]
) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))

    deliver(event(payout, first, reason="account_closed"))
    late = deliver(event(payout, second, reason="account_closed"))

    assert late.json() == {"status": "ignored"}
    payout.refresh_from_db()
    assert payout.status == final
    assert payout_postings(payout) == postings
    assert_ledger_sound()


def test_a_webhook_about_an_unknown_payout_is_refused_and_not_stored() -> None:
    response = deliver(webhook_event("sbx_po_nothing", "payout.paid", 100))

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_payout"
    assert not WebhookEvent.objects.exists()


def test_a_webhook_with_the_wrong_amount_moves_nothing_and_can_come_again(
    order_in: OrderIn,
) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))

    wrong = deliver(webhook_event(payout.provider_reference, "payout.paid", 4000))
    right = deliver(outcome(payout))

    assert (wrong.status_code, wrong.json()["code"]) == (400, "amount_mismatch")
    assert right.json() == {"status": "processed"}
    assert WebhookEvent.objects.filter(type__startswith="payout.").count() == 1


def test_an_unknown_payout_event_type_is_stored_and_ignored(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))

    response = deliver(event(payout, "payout.in_transit"))

    assert response.json() == {"status": "ignored"}
    payout.refresh_from_db()
    assert payout.status == "pending"
    assert WebhookEvent.objects.filter(type="payout.in_transit").exists()


# --- Demo data --------------------------------------------------------------------------------


def test_the_demo_pays_out_two_shops_and_bounces_one_once() -> None:
    for spec in SHOPS[:4]:
        shop = ShopFactory(owner=UserFactory(username=spec.username))
        order = place(UserFactory(), make_listing(shop, price="30.00"), quantity=2)
        pay(order)
        order_ship(order=order, actor=shop.owner, carrier="SF", tracking_number="SF1")
        order_confirm_receipt(order=order, actor=order.buyer)

    pay_out_demo_shops()
    pay_out_demo_shops()

    payouts = list(Payout.objects.order_by("pk").values_list("shop__owner__username", "status"))
    assert payouts == [
        (SHOPS[0].username, "settled"),
        (SHOPS[1].username, "settled"),
        (SHOPS[2].username, "failed"),
    ]
    assert set(BankAccountCheck.objects.values_list("status", flat=True)) == {"confirmed"}
    assert set(
        ShopVerification.objects.filter(bank_account_number__gt="").values_list("status", flat=True)
    ) == {"verified"}
    failed = Payout.objects.get(status="failed")
    assert balances(failed.shop) == (Decimal("60.00"), Decimal("0.00"))
    assert_ledger_sound()


# --- Concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_tries_never_exceed_the_limit() -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)
    first, second = wrong_amounts(shop)
    shop = Shop.objects.select_related("owner").get(pk=shop.pk)

    results = run_in_threads(
        [
            lambda: bank_check_confirm(shop=shop, first_amount=first, second_amount=second)
            for _ in range(12)
        ]
    )

    limit = escrow_setting("BANK_CHECK_MAX_ATTEMPTS")
    check = BankAccountCheck.objects.get(shop=shop)
    assert (check.status, check.failed_attempts) == ("locked", limit)
    assert sum(isinstance(result, BankAmountsWrong) for result in results) == limit - 1
    assert sum(isinstance(result, BankCheckLocked) for result in results) == 12 - (limit - 1)
    assert (
        ShopEvent.objects.filter(shop=shop, type__startswith="bank_check_failed").count()
        == limit - 1
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_payouts_never_overdraw(order_in: OrderIn, sandbox_outbox: list[str]) -> None:
    shop = Shop.objects.select_related("owner").get(pk=shop_with_money(order_in).pk)

    results = run_in_threads(
        [
            lambda: payout_request(shop=shop, actor=shop.owner, amount=Decimal("10.00"))
            for _ in range(12)
        ]
    )

    made = [result for result in results if isinstance(result, Payout)]
    assert len(made) == 5
    assert all(isinstance(result, Payout | InsufficientBalance) for result in results)
    assert balances(shop) == (Decimal("6.00"), Decimal("50.00"))
    assert len(sandbox_outbox) == 5
    assert_ledger_sound()


@pytest.mark.django_db(transaction=True)
def test_concurrent_outcomes_of_one_payout_move_money_once(
    order_in: OrderIn, sandbox_outbox: list[str]
) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("50.00"))
    body = outcome(payout)
    failure = event(payout, "payout.failed", reason="account_closed")
    bodies = [body] * 6 + [outcome(payout) for _ in range(3)] + [failure] * 3

    results = run_in_threads([lambda body=body: deliver(body).json()["status"] for body in bodies])

    assert results.count("processed") == 1
    payout.refresh_from_db()
    closing = {"settled": "payout_settled", "failed": "payout_returned"}[payout.status]
    assert payout_postings(payout) == ["payout_request", closing]
    pending = LedgerAccount.objects.get(shop=shop, kind="seller_payout_pending")
    assert pending.entries.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    assert_ledger_sound()
