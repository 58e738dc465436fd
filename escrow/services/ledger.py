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

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from escrow.exceptions import LedgerImbalance
from escrow.models import (
    LedgerAccount,
    LedgerTransaction,
    Order,
    Payment,
    Payout,
    Refund,
)
from shops.models import Shop

Kind = LedgerAccount.Kind
UNTRACKED_BALANCES = {Kind.PAYMENT_CLEARING}
NEVER_NEGATIVE = "escrow_ledgeraccount_never_negative"  # the balance's check constraint


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


# An order's escrow account is opened by its first payment: try the insert first.
OPEN_ESCROW_SQL = """
    INSERT INTO escrow_ledgeraccount (kind, order_id, shop_id, balance)
    VALUES (%s, %s, NULL, 0)
    ON CONFLICT ON CONSTRAINT escrow_ledgeraccount_one_per_owner DO NOTHING
    RETURNING id
"""


def escrow_account_open(order: Order) -> LedgerAccount:
    """The order's escrow account, created if it has none yet (one statement when it has
    none, as when its first payment arrives)."""
    with connection.cursor() as cursor:
        cursor.execute(OPEN_ESCROW_SQL, [Kind.ESCROW, order.pk])
        created = cursor.fetchone()
    if created is None:
        return escrow_account(order)
    account = LedgerAccount(pk=created[0], kind=Kind.ESCROW, order=order, balance=Decimal(0))
    account._state.adding, account._state.db = False, connection.alias
    return account


def clearing_account() -> LedgerAccount:
    """The one ``payment_clearing`` account (every payment and refund touches it). Its balance
    is not kept on the row (see above), so only its id is read."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM escrow_ledgeraccount WHERE kind = %s", [Kind.PAYMENT_CLEARING]
        )
        found = cursor.fetchone()
    if found is None:
        return ledger_account(Kind.PAYMENT_CLEARING)
    account = LedgerAccount(pk=found[0], kind=Kind.PAYMENT_CLEARING)
    account._state.adding, account._state.db = False, connection.alias
    return account


def escrow_account(order: Order) -> LedgerAccount:
    return ledger_account(Kind.ESCROW, order=order)


# Plain SQL: the transaction, its entries and the kept balances of its accounts in one statement,
# instead of one per row (a release touches three accounts). The balance rows are locked in
# primary-key order first; each keeps ``balance = balance + amount``, so it adds to the newest
# row version, and its CHECK constraint refuses to go below zero.
POST_SQL = """
    WITH posted AS (
        INSERT INTO escrow_ledgertransaction
               (kind, description, order_id, payment_id, refund_id, payout_id, created_at)
        VALUES (%(kind)s, %(description)s, %(order)s, %(payment)s, %(refund)s, %(payout)s,
                %(created_at)s)
        RETURNING id
    ), entries AS (
        INSERT INTO escrow_ledgerentry (transaction_id, account_id, amount)
        SELECT posted.id, entry.account_id, entry.amount
          FROM posted, unnest(%(accounts)s::bigint[], %(amounts)s::numeric[])
                         AS entry(account_id, amount)
    ), locked AS (
        SELECT id FROM escrow_ledgeraccount
         WHERE id = ANY(%(tracked)s::bigint[])
         ORDER BY id
           FOR NO KEY UPDATE
    ), balances AS (
        UPDATE escrow_ledgeraccount account SET balance = account.balance + change.amount
          FROM locked
          JOIN unnest(%(tracked)s::bigint[], %(tracked_amounts)s::numeric[])
                 AS change(account_id, amount) ON change.account_id = locked.id
         WHERE account.id = locked.id
    )
    SELECT id FROM posted
"""


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
    tracked = {
        pk: amount for pk, amount in entries.items() if accounts[pk].kind not in UNTRACKED_BALANCES
    }
    posted = LedgerTransaction(
        kind=kind,
        description=description[:200],
        order=order,
        payment=payment,
        refund=refund,
        payout=payout,
        created_at=timezone.now(),
    )
    try:  # the whole transaction is rolled back anyway; no savepoint needed
        with connection.cursor() as cursor:
            cursor.execute(
                POST_SQL,
                {
                    "kind": posted.kind,
                    "description": posted.description,
                    "order": posted.order_id,
                    "payment": posted.payment_id,
                    "refund": posted.refund_id,
                    "payout": posted.payout_id,
                    "created_at": posted.created_at,
                    "accounts": sorted(entries),
                    "amounts": [entries[pk] for pk in sorted(entries)],
                    "tracked": sorted(tracked),
                    "tracked_amounts": [tracked[pk] for pk in sorted(tracked)],
                },
            )
            (posted.pk,) = cursor.fetchone()
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") != NEVER_NEGATIVE:
            raise
        overdrawn = ", ".join(
            f"{accounts[pk]} would go negative by {-amount}"
            for pk, amount in tracked.items()
            if amount < 0
        )
        raise LedgerImbalance(overdrawn) from error
    posted._state.adding, posted._state.db = False, connection.alias
    return posted
