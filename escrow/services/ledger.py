"""The double-entry ledger: every movement of money is one balanced, append-only transaction.

Sign convention: a positive entry adds to the account's balance, a negative one takes from it.
Money arriving from the payment network is ``payment_clearing → escrow(order)``: the clearing
account goes negative by what the outside world has handed over.

Balances are kept on ``LedgerAccount.balance`` in the same database transaction as the entries,
except for ``payment_clearing``, which every payment touches and which has no lower bound: its
balance is derived from its entries when needed, so payments do not queue behind one hot row.
Accounts are updated in primary-key order (the last step of the lock order: listing, SKU, order,
ledger account).
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from escrow.exceptions import LedgerImbalance
from escrow.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    Payment,
    Payout,
    Refund,
)
from shops.models import Shop

Kind = LedgerAccount.Kind
UNTRACKED_BALANCES = {Kind.PAYMENT_CLEARING}


def ledger_account(
    kind: str, *, order: Order | None = None, shop: Shop | None = None
) -> LedgerAccount:
    """The account of this kind and owner, created on first use (safe when two create it)."""
    lookup = {"kind": kind, "order": order, "shop": shop}
    account = LedgerAccount.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(**lookup)
    except IntegrityError:
        return LedgerAccount.objects.get(**lookup)


def clearing_account() -> LedgerAccount:
    return ledger_account(Kind.PAYMENT_CLEARING)


def escrow_account(order: Order) -> LedgerAccount:
    return ledger_account(Kind.ESCROW, order=order)


def ledger_post(
    *,
    kind: str,
    description: str,
    movements: Iterable[tuple[LedgerAccount, Decimal]],
    order: Order | None = None,
    payment: Payment | None = None,
    refund: Refund | None = None,
    payout: Payout | None = None,
) -> LedgerTransaction:
    """Record one balanced transaction. Must run inside the caller's database transaction."""
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    accounts: dict[int, LedgerAccount] = {}
    for account, amount in movements:
        amounts[account.pk] += amount
        accounts[account.pk] = account
    entries = {pk: amount for pk, amount in amounts.items() if amount}
    if len(entries) < 2 or sum(entries.values(), Decimal(0)) != 0:
        raise LedgerImbalance(f"{kind} for {order or payment} does not balance: {entries}")
    if not transaction.get_connection().in_atomic_block:
        raise LedgerImbalance("A ledger posting must run inside a database transaction.")
    posted = LedgerTransaction.objects.create(
        kind=kind,
        description=description[:200],
        order=order,
        payment=payment,
        refund=refund,
        payout=payout,
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=posted, account_id=pk, amount=amount)
        for pk, amount in sorted(entries.items())
    )
    for pk, amount in sorted(entries.items()):
        if accounts[pk].kind in UNTRACKED_BALANCES:
            continue
        try:  # the whole transaction is rolled back anyway; no savepoint needed
            LedgerAccount.objects.filter(pk=pk).update(balance=F("balance") + amount)
        except IntegrityError as error:
            raise LedgerImbalance(f"{accounts[pk]} would go negative by {amount}") from error
    return posted
