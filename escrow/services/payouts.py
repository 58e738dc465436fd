"""Seller payouts, and the micro-deposit check of the bank account they go to (DOMAIN §2, §5).

A payout needs approved real-name verification (KYC) and a confirmed bank check of the account
number now in the KYC. For the check, the provider pays two small amounts into the account and
the seller types them back, in either order; ``BANK_CHECK_MAX_ATTEMPTS`` wrong tries lock it
until finance staff unlock it. Micro-deposits are the provider's cost of checking an account,
not marketplace money, so they are not in the ledger.

A request moves ``seller_available → seller_payout_pending``. The provider's webhook then either
settles it (``seller_payout_pending → payment_clearing``) or returns the money
(``seller_payout_pending → seller_available``), once per payout: the first outcome is final.

Lock order: the shop's KYC row, then its bank check, then the payout, then ledger accounts by
primary key (the end of the escrow lock order).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from escrow.conf import escrow_setting
from escrow.exceptions import (
    BankAccountUnconfirmed,
    BankAmountsWrong,
    BankCheckLocked,
    InsufficientBalance,
    UnknownPayout,
    VerificationRequired,
    WebhookRejected,
)
from escrow.models import BankAccountCheck, LedgerAccount, LedgerTransaction, Payout
from escrow.providers import ProviderEvent, get_provider
from escrow.services import ledger
from marketplace.accounts.models import User
from marketplace.exceptions import InvalidTransition
from marketplace.money import format_money, to_money
from shops.models import Shop, ShopVerification
from shops.services.events import shop_event_record

Status = BankAccountCheck.Status
Kind = LedgerAccount.Kind
NOT_STARTED = "not_started"
# A bank account handed in with the KYC can be checked while staff review it.
CHECKABLE_KYC = (ShopVerification.Status.SUBMITTED, ShopVerification.Status.VERIFIED)
LOCKED_MESSAGE = (
    "Too many wrong tries: the bank check is locked. Contact marketplace staff to unlock it."
)


def _max_attempts() -> int:
    return int(escrow_setting("BANK_CHECK_MAX_ATTEMPTS"))


def _checkable_account(verification: ShopVerification | None) -> str:
    """The bank account number of the shop's KYC, or "" when there is none to check."""
    if verification is None or verification.status not in CHECKABLE_KYC:
        return ""
    return verification.bank_account_number


def _is_current(check: BankAccountCheck, account_number: str) -> bool:
    """Whether the check still counts: it is of the KYC's account, or locked (a lock holds
    whatever the account, until staff lift it)."""
    return check.status == Status.LOCKED or check.account_number == account_number


# --- The bank check ---------------------------------------------------------------------------


@transaction.atomic(durable=True)
def bank_check_start(*, shop: Shop) -> BankAccountCheck:
    """Have the provider pay two small amounts into the KYC's bank account. Starting again for
    the same account changes nothing (the amounts already sent stand); a new account number in
    the KYC starts afresh. A locked check stays locked until staff unlock it."""
    verification = ShopVerification.objects.select_for_update().filter(shop=shop).first()
    account_number = _checkable_account(verification)
    if not account_number:
        raise VerificationRequired(
            "Hand in your bank account with your real-name verification first.",
            code="bank_details_required",
        )
    assert verification is not None
    check = BankAccountCheck.objects.select_for_update().filter(shop=shop).first()
    if check is not None and check.status == Status.LOCKED:
        raise BankCheckLocked(LOCKED_MESSAGE)
    if check is not None and check.account_number == account_number:
        return check
    provider = get_provider()
    # Should this transaction roll back after the provider paid, a retry pays two new amounts:
    # a few cents of the provider's cost, never marketplace money.
    reference, first, second = provider.send_micro_deposits(account_number=account_number)
    check = check or BankAccountCheck(shop=shop)
    check.account_number = account_number
    check.provider, check.provider_reference = provider.name, reference
    check.first_amount, check.second_amount = first, second
    check.status, check.failed_attempts = Status.PENDING, 0
    check.sent_at, check.confirmed_at = timezone.now(), None
    check.save()
    shop_event_record(
        shop=shop,
        type="bank_check_started",
        actor=shop.owner,
        account=verification.bank_account_masked,
    )
    return check


def bank_check_confirm(
    *, shop: Shop, first_amount: Decimal, second_amount: Decimal
) -> BankAccountCheck:
    """The seller types back the two amounts, in either order. A wrong pair uses up one try,
    which is kept although the call fails; the last allowed wrong try locks the check."""
    check = _bank_check_try(shop=shop, amounts=sorted((first_amount, second_amount)))
    if check.status == Status.LOCKED:
        raise BankCheckLocked(LOCKED_MESSAGE)
    if check.status != Status.CONFIRMED:
        left = _max_attempts() - check.failed_attempts
        raise BankAmountsWrong(
            f"These are not the two amounts sent to your account. {left} tries left.",
            extra={"attempts_left": left},
        )
    return check


@transaction.atomic(durable=True)
def _bank_check_try(*, shop: Shop, amounts: list[Decimal]) -> BankAccountCheck:
    """One try, counted under the check's row lock: concurrent tries queue, so no more than the
    allowed number are ever judged."""
    verification = ShopVerification.objects.filter(shop=shop).first()
    check = BankAccountCheck.objects.select_for_update().filter(shop=shop).first()
    if check is None or not _is_current(check, _checkable_account(verification)):
        raise BankAccountUnconfirmed(
            "Start the bank check of your account first.", code="bank_check_not_started"
        )
    if check.status != Status.PENDING:
        return check
    if amounts == sorted((check.first_amount, check.second_amount)):
        check.status, check.confirmed_at = Status.CONFIRMED, timezone.now()
        check.save(update_fields=["status", "confirmed_at"])
        shop_event_record(shop=shop, type="bank_check_confirmed", actor=shop.owner)
        return check
    check.failed_attempts += 1
    if check.failed_attempts >= _max_attempts():
        check.status = Status.LOCKED
    check.save(update_fields=["failed_attempts", "status"])
    shop_event_record(
        shop=shop,
        type="bank_check_locked" if check.status == Status.LOCKED else "bank_check_failed_try",
        actor=shop.owner,
        failed_attempts=check.failed_attempts,
    )
    return check


@transaction.atomic(durable=True)
def bank_check_unlock(*, check: BankAccountCheck, staff: User, reason: str) -> BankAccountCheck:
    """Finance staff give the seller their tries back (the amounts sent stay the same) and say
    why, on the shop's audit trail."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why."]})
    check = BankAccountCheck.objects.select_for_update().select_related("shop").get(pk=check.pk)
    if check.status == Status.PENDING:
        return check
    if check.status != Status.LOCKED:
        raise InvalidTransition(f"A {check.status} bank check cannot be unlocked.")
    check.status, check.failed_attempts = Status.PENDING, 0
    check.save(update_fields=["status", "failed_attempts"])
    shop_event_record(
        shop=check.shop, type="bank_check_unlocked", actor=staff, reason=reason.strip()
    )
    return check


# --- Payouts ----------------------------------------------------------------------------------


def _check_amount(amount: Decimal) -> None:
    minimum = escrow_setting("MIN_PAYOUT")
    if amount != to_money(amount):
        raise ValidationError({"amount": ["Give the amount to the fen (two decimal places)."]})
    if amount < minimum:
        raise ValidationError({"amount": [f"The smallest payout is {format_money(minimum)}."]})


def _lock_shop_accounts(shop: Shop) -> tuple[LedgerAccount, LedgerAccount]:
    """The shop's available and payout-pending accounts, locked in primary-key order."""
    available = ledger.ledger_account(Kind.SELLER_AVAILABLE, shop=shop)
    pending = ledger.ledger_account(Kind.SELLER_PAYOUT_PENDING, shop=shop)
    locked = {
        account.pk: account
        for account in LedgerAccount.objects.select_for_update()
        .filter(pk__in=[available.pk, pending.pk])
        .order_by("pk")
    }
    return locked[available.pk], locked[pending.pk]


@transaction.atomic(durable=True)
def payout_request(*, shop: Shop, actor: User, amount: Decimal) -> Payout:
    """Send ``amount`` of the shop's available balance to its confirmed bank account. The
    available balance is read under its row lock, so concurrent requests never overdraw it (the
    ledger's check constraint stands behind this)."""
    verification = ShopVerification.objects.filter(shop=shop).first()
    if verification is None or verification.status != ShopVerification.Status.VERIFIED:
        raise VerificationRequired("Payouts start once your real-name verification is approved.")
    check = BankAccountCheck.objects.filter(shop=shop).first()
    if (
        check is None
        or check.status != Status.CONFIRMED
        or check.account_number != verification.bank_account_number
    ):
        raise BankAccountUnconfirmed(
            "Confirm your bank account with the two small amounts sent to it first."
        )
    _check_amount(amount)
    available, pending = _lock_shop_accounts(shop)
    if amount > available.balance:
        raise InsufficientBalance(
            f"You have {format_money(available.balance)} available to pay out.",
            extra={"available": str(available.balance)},
        )
    provider = get_provider()
    payout = Payout.objects.create(
        shop=shop,
        requested_by=actor,
        amount=amount,
        bank_account_masked=verification.bank_account_masked,
        provider=provider.name,
    )
    ledger.ledger_post(
        kind=LedgerTransaction.Kind.PAYOUT_REQUEST,
        description=f"Payout {payout.public_id} to {payout.bank_account_masked}",
        payout=payout,
        movements=[(available, -amount), (pending, amount)],
    )
    # The provider comes last, inside this transaction: every check that can refuse the payout
    # has passed and the ledger holds the money, a provider error rolls everything back, and the
    # sandbox's own record commits with the ledger, so no payout exists at the provider without
    # its ledger entries. Its outcome webhook is only sent once this commits. (A networked
    # provider would also need the payout's id as its idempotency key; see docs/escrow.md.)
    payout.provider_reference = provider.create_payout(
        amount=amount,
        account_number=verification.bank_account_number,
        account_name=verification.bank_account_name,
        bank_name=verification.bank_name,
    )
    payout.save(update_fields=["provider_reference"])
    shop_event_record(
        shop=shop,
        type="payout_requested",
        actor=actor,
        payout=str(payout.public_id),
        amount=str(amount),
    )
    return payout


def payout_get_for_update(*, provider_name: str, reference: str) -> Payout:
    """The payout a provider's notification names, locked (inside the caller's transaction)."""
    payout = (
        Payout.objects.select_for_update()
        .select_related("shop")
        .filter(provider=provider_name, provider_reference=reference)
        .first()
    )
    if payout is None:
        raise UnknownPayout(f"No payout {reference}.")
    return payout


def payout_event_apply(*, payout: Payout, event: ProviderEvent) -> str:
    """Act on a verified, first-seen ``payout.*`` notification, under the payout's row lock. The
    first outcome is final: a failure after settlement, or a success after a failure, changes
    nothing. Returns ``processed`` or ``ignored``."""
    if event.amount is not None and event.amount != payout.amount:
        raise WebhookRejected(
            f"The event pays out {event.amount}, the payout is {payout.amount}.",
            code="amount_mismatch",
        )
    if event.type not in ("payout.paid", "payout.failed") or payout.status != Payout.Status.PENDING:
        return "ignored"
    pending = ledger.ledger_account(Kind.SELLER_PAYOUT_PENDING, shop=payout.shop)
    if event.type == "payout.paid":
        payout.status, payout.settled_at = Payout.Status.SETTLED, timezone.now()
        kind, to_account = LedgerTransaction.Kind.PAYOUT_SETTLED, ledger.clearing_account()
        description = f"Payout {payout.public_id} paid to {payout.bank_account_masked}"
    else:
        payout.status = Payout.Status.FAILED
        payout.failure_reason = (event.reason or "failed")[:200]
        kind = LedgerTransaction.Kind.PAYOUT_RETURNED
        to_account = ledger.ledger_account(Kind.SELLER_AVAILABLE, shop=payout.shop)
        description = f"Payout {payout.public_id} returned: {payout.failure_reason}"
    payout.save(update_fields=["status", "settled_at", "failure_reason"])
    ledger.ledger_post(
        kind=kind,
        description=description,
        payout=payout,
        movements=[(pending, -payout.amount), (to_account, payout.amount)],
    )
    shop_event_record(
        shop=payout.shop,
        type=f"payout_{payout.status}",
        actor=None,
        payout=str(payout.public_id),
        amount=str(payout.amount),
        reason=payout.failure_reason,
    )
    return "processed"


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankCheckState:
    """The bank check as the seller sees it. ``status`` is ``not_started`` or the check's;
    ``check`` is the check that counts for the KYC's account (or a locked one)."""

    status: str
    bank_account_masked: str
    attempts_left: int
    can_withdraw: bool
    check: BankAccountCheck | None


def bank_check_state(*, shop: Shop) -> BankCheckState:
    verification = ShopVerification.objects.filter(shop=shop).first()
    account_number = _checkable_account(verification)
    check = BankAccountCheck.objects.filter(shop=shop).first()
    if check is not None and not _is_current(check, account_number):
        check = None
    status = check.status if check else NOT_STARTED
    attempts_left = {
        NOT_STARTED: _max_attempts(),
        Status.PENDING: _max_attempts() - (check.failed_attempts if check else 0),
    }.get(status, 0)
    return BankCheckState(
        status=status,
        bank_account_masked=verification.bank_account_masked
        if verification and account_number
        else "",
        attempts_left=attempts_left,
        can_withdraw=status == Status.CONFIRMED
        and verification is not None
        and verification.status == ShopVerification.Status.VERIFIED,
        check=check,
    )
