"""The ledger's guards: ``ledger_post`` in Python, the PostgreSQL triggers, and ``check_ledger``."""

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from escrow.exceptions import LedgerImbalance
from escrow.models import LedgerAccount, LedgerEntry, LedgerTransaction, Order
from escrow.services import ledger
from escrow.services.orders import order_cancel
from escrow.services.payments import payment_create
from tests.escrow.helpers import assert_ledger_sound, deliver, webhook_body

Kind = LedgerAccount.Kind


def ledger_size() -> tuple[int, int]:
    return LedgerTransaction.objects.count(), LedgerEntry.objects.count()


def check_ledger() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check_ledger", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def trade_a_little(order_in: Callable[..., Order]) -> None:
    """One order of each outcome, including money that arrived too late and went back."""
    order_in(Order.Status.COMPLETED)
    order_in(Order.Status.SHIPPED)
    order_in(Order.Status.PAID)
    order_in(Order.Status.CLOSED)
    late = order_in()
    payment = payment_create(buyer=late.buyer, order=late)
    order_cancel(order=late, actor=None, reason="payment_timeout")
    assert deliver(webhook_body(payment)).status_code == 200


# --- check_ledger -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_ledger_passes_after_trading_and_prints_the_ledger_size(
    order_in: Callable[..., Order],
) -> None:
    trade_a_little(order_in)
    transactions, entries = ledger_size()
    assert transactions == 6  # 4 payments, 1 release, 1 refund

    out, err = check_ledger()

    assert out.strip() == f"Ledger sound: {transactions} transactions, {entries} entries."
    assert err == ""


@pytest.mark.django_db
def test_check_ledger_passes_on_an_empty_ledger() -> None:
    out, _ = check_ledger()

    assert "Ledger sound: 0 transactions, 0 entries." in out


def kept_balance_edited(order: Order) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE escrow_ledgeraccount SET balance = balance + 1 WHERE kind = 'seller_available'"
        )


def unbalanced_transaction(order: Order) -> None:
    """As if restored from a dump taken without the trigger (DDL is rolled back with the test)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check what the order posted so far
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("ALTER TABLE escrow_ledgerentry DISABLE TRIGGER escrow_ledgerentry_balanced")
    posted = LedgerTransaction.objects.create(kind="payment", description="half a payment")
    LedgerEntry.objects.create(
        transaction=posted, account=ledger.escrow_account(order), amount=Decimal("5")
    )


def money_put_into_escrow(order: Order) -> None:
    ledger.ledger_post(
        kind="payment",
        description="money after completion",
        order=order,
        movements=[(ledger.clearing_account(), Decimal("-5")), (ledger.escrow_account(order), 5)],
    )


def escrow_topped_up_by_a_payout(order: Order) -> None:
    ledger.ledger_post(
        kind="payout_settled",
        description="a payout that lands in an order's escrow",
        movements=[(ledger.clearing_account(), Decimal("-5")), (ledger.escrow_account(order), 5)],
    )


def seller_overdrawn_behind_the_kept_balance(order: Order) -> None:
    posted = LedgerTransaction.objects.create(kind="payout_request", description="overdrawn")
    seller = ledger.ledger_account(Kind.SELLER_AVAILABLE, shop=order.shop)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=posted, account=seller, amount=Decimal("-100")),
            LedgerEntry(
                transaction=posted,
                account=ledger.ledger_account(Kind.SELLER_PAYOUT_PENDING, shop=order.shop),
                amount=Decimal("100"),
            ),
        ]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("corrupt", "reported"),
    [
        (kept_balance_edited, "accounts whose kept balance differs from their entries"),
        (unbalanced_transaction, "transactions that do not sum to zero"),
        (money_put_into_escrow, "completed or closed orders with money left in escrow"),
        (seller_overdrawn_behind_the_kept_balance, "accounts below zero"),
    ],
)
def test_check_ledger_fails_on_a_corrupted_ledger_and_names_the_problem(
    order_in: Callable[..., Order], corrupt: Callable[[Order], None], reported: str
) -> None:
    order = order_in(Order.Status.COMPLETED)
    check_ledger()  # sound before
    corrupt(order)

    err = StringIO()
    with pytest.raises(CommandError, match="The ledger is broken") as failed:
        call_command("check_ledger", stdout=StringIO(), stderr=err)

    assert failed.value.returncode == 1  # the exit status of manage.py check_ledger
    assert reported in err.getvalue()


@pytest.mark.django_db
def test_check_ledger_fails_when_escrow_moved_other_than_by_payment_release_or_refund(
    order_in: Callable[..., Order],
) -> None:
    order = order_in(Order.Status.PAID)
    escrow_topped_up_by_a_payout(order)

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("check_ledger", stdout=StringIO(), stderr=err)

    assert "orders whose escrow differs from paid minus released and refunded" in err.getvalue()


@pytest.mark.django_db
def test_check_ledger_fails_when_an_unpaid_order_holds_money(
    order_in: Callable[..., Order],
) -> None:
    order = order_in()
    money_put_into_escrow(order)

    with pytest.raises(CommandError):
        check_ledger()


# --- ledger_post ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amounts",
    [
        pytest.param([Decimal("-10"), Decimal("9.99")], id="one fen short"),
        pytest.param([Decimal("10")], id="one leg"),
        pytest.param([], id="no legs"),
    ],
)
def test_ledger_post_refuses_a_posting_that_does_not_balance(
    order_in: Callable[..., Order], amounts: list[Decimal]
) -> None:
    order = order_in(Order.Status.PAID)
    accounts = [ledger.escrow_account(order), ledger.clearing_account()]
    before = ledger_size()

    with pytest.raises(LedgerImbalance):
        ledger.ledger_post(
            kind="refund",
            description="bad arithmetic",
            order=order,
            movements=list(zip(accounts, amounts, strict=False)),
        )

    assert ledger_size() == before
    assert_ledger_sound()


@pytest.mark.django_db
def test_ledger_post_refuses_moves_that_cancel_out_on_one_account(
    order_in: Callable[..., Order],
) -> None:
    order = order_in(Order.Status.PAID)
    held = ledger.escrow_account(order)
    before = ledger_size()

    with pytest.raises(LedgerImbalance):
        ledger.ledger_post(
            kind="refund",
            description="nothing moves",
            movements=[(held, Decimal("-5")), (held, Decimal("5"))],
        )

    assert ledger_size() == before


@pytest.mark.django_db
def test_ledger_post_refuses_to_overdraw_a_seller(order_in: Callable[..., Order]) -> None:
    order = order_in(Order.Status.COMPLETED)
    seller = ledger.ledger_account(Kind.SELLER_AVAILABLE, shop=order.shop)
    pending = ledger.ledger_account(Kind.SELLER_PAYOUT_PENDING, shop=order.shop)
    before = ledger_size()

    with pytest.raises(LedgerImbalance, match="would go negative"), transaction.atomic():
        ledger.ledger_post(
            kind="payout_request",
            description="more than the seller has",
            movements=[(seller, Decimal("-56.01")), (pending, Decimal("56.01"))],
        )

    assert ledger_size() == before
    seller.refresh_from_db()
    assert seller.balance == Decimal("56.00")
    assert_ledger_sound()


def entries_sum(account: LedgerAccount) -> Decimal:
    return sum(account.entries.values_list("amount", flat=True), Decimal(0))


@pytest.mark.django_db
def test_ledger_post_keeps_every_kept_balance_equal_to_its_entries_in_one_statement(
    order_in: Callable[..., Order], django_assert_num_queries: Any
) -> None:
    order = order_in(Order.Status.PAID)
    held = ledger.escrow_account(order)
    seller = ledger.ledger_account(Kind.SELLER_AVAILABLE, shop=order.shop)
    platform = ledger.ledger_account(Kind.PLATFORM_COMMISSION)
    clearing = ledger.clearing_account()
    clearing_before = clearing.balance

    with django_assert_num_queries(1):  # the transaction, its entries and three balances
        ledger.ledger_post(
            kind="release",
            description="three kept balances and the clearing account",
            order=order,
            movements=[
                (held, -order.total),
                (seller, order.total - Decimal("1.01")),
                (platform, Decimal("1.00")),
                (clearing, Decimal("0.01")),
            ],
        )

    for account in (held, seller, platform):
        account.refresh_from_db()
        assert account.balance == entries_sum(account)
    assert (held.balance, seller.balance, platform.balance) == (
        Decimal("0.00"),
        order.total - Decimal("1.01"),
        Decimal("1.00"),
    )
    clearing.refresh_from_db()
    assert clearing.balance == clearing_before  # derived from its entries, never kept
    assert_ledger_sound()


@pytest.mark.django_db
def test_ledger_post_names_the_account_that_would_go_negative_and_changes_no_balance(
    order_in: Callable[..., Order],
) -> None:
    order = order_in(Order.Status.PAID)
    held = ledger.escrow_account(order)
    seller = ledger.ledger_account(Kind.SELLER_AVAILABLE, shop=order.shop)
    before = ledger_size()

    with (
        pytest.raises(LedgerImbalance, match=f"{held} would go negative by"),
        transaction.atomic(),
    ):
        ledger.ledger_post(
            kind="release",
            description="more than is held",
            movements=[(held, -order.total - 1), (seller, order.total + 1)],
        )

    assert ledger_size() == before
    held.refresh_from_db()
    seller.refresh_from_db()
    assert (held.balance, seller.balance) == (order.total, Decimal(0))
    assert_ledger_sound()


@pytest.mark.django_db(transaction=True)
def test_ledger_post_refuses_to_run_outside_a_database_transaction(
    order_in: Callable[..., Order],
) -> None:
    order = order_in(Order.Status.PAID)

    with pytest.raises(LedgerImbalance, match="inside a database transaction"):
        ledger.ledger_post(
            kind="refund",
            description="no transaction",
            movements=[
                (ledger.escrow_account(order), Decimal("-1")),
                (ledger.clearing_account(), 1),
            ],
        )

    assert LedgerTransaction.objects.filter(kind="refund").count() == 0


# --- The database triggers --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_commit_an_unbalanced_transaction(
    order_in: Callable[..., Order],
) -> None:
    order = order_in(Order.Status.PAID)
    before = ledger_size()

    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        posted = LedgerTransaction.objects.create(kind="refund", description="half a refund")
        LedgerEntry.objects.create(
            transaction=posted, account=ledger.escrow_account(order), amount=Decimal("-56.00")
        )

    assert ledger_size() == before
    assert_ledger_sound()


@pytest.mark.django_db(transaction=True)
def test_the_database_accepts_entries_inserted_one_by_one_that_balance_at_commit(
    order_in: Callable[..., Order],
) -> None:
    order = order_in()

    with transaction.atomic():
        posted = LedgerTransaction.objects.create(kind="payment", description="one leg at a time")
        LedgerEntry.objects.create(
            transaction=posted, account=ledger.clearing_account(), amount=Decimal("-1.00")
        )
        LedgerEntry.objects.create(
            transaction=posted, account=ledger.escrow_account(order), amount=Decimal("1.00")
        )

    assert posted.entries.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE escrow_ledgerentry SET amount = amount * 2",
        "DELETE FROM escrow_ledgerentry",
        "UPDATE escrow_ledgertransaction SET description = 'rewritten'",
        "DELETE FROM escrow_ledgertransaction",
    ],
)
def test_the_database_refuses_to_change_or_delete_what_the_ledger_recorded(
    order_in: Callable[..., Order], statement: str
) -> None:
    order_in(Order.Status.COMPLETED)
    entries = sorted(LedgerEntry.objects.values_list("pk", "amount"))

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert sorted(LedgerEntry.objects.values_list("pk", "amount")) == entries


@pytest.mark.django_db
def test_the_orm_cannot_edit_an_entry_either(order_in: Callable[..., Order]) -> None:
    order_in(Order.Status.PAID)
    entry = LedgerEntry.objects.first()
    assert entry is not None

    entry.amount = Decimal("1000000")
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()

    assert LedgerEntry.objects.get(pk=entry.pk).amount != Decimal("1000000")
