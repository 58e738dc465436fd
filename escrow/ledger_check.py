"""The ledger invariants of DOMAIN §5, checked against the database.

Used by ``manage.py check_ledger`` and by the tests after every scenario.
"""

from decimal import Decimal

from django.db import connection

from escrow.models import LedgerAccount, Order

CHECKS = {
    "transactions that do not sum to zero": """
        SELECT t.id, COALESCE(SUM(e.amount), 0) FROM escrow_ledgertransaction t
        LEFT JOIN escrow_ledgerentry e ON e.transaction_id = t.id
        GROUP BY t.id HAVING COALESCE(SUM(e.amount), 0) <> 0 OR COUNT(e.id) < 2
    """,
    "accounts whose kept balance differs from their entries": """
        SELECT a.id, a.kind, a.balance, COALESCE(SUM(e.amount), 0) FROM escrow_ledgeraccount a
        LEFT JOIN escrow_ledgerentry e ON e.account_id = a.id
        WHERE a.kind <> 'payment_clearing'
        GROUP BY a.id HAVING a.balance <> COALESCE(SUM(e.amount), 0)
    """,
    "accounts below zero": """
        SELECT a.id, a.kind, SUM(e.amount) FROM escrow_ledgeraccount a
        JOIN escrow_ledgerentry e ON e.account_id = a.id
        WHERE a.kind <> 'payment_clearing'
        GROUP BY a.id HAVING SUM(e.amount) < 0
    """,
    "orders whose escrow differs from paid minus released and refunded": """
        SELECT o.id, o.status, a.balance,
               COALESCE(SUM(e.amount) FILTER (WHERE t.kind = 'payment'), 0)
             + COALESCE(SUM(e.amount) FILTER (WHERE t.kind IN ('release', 'refund')), 0)
        FROM escrow_order o
        JOIN escrow_ledgeraccount a ON a.order_id = o.id AND a.kind = 'escrow'
        LEFT JOIN escrow_ledgerentry e ON e.account_id = a.id
        LEFT JOIN escrow_ledgertransaction t ON t.id = e.transaction_id
        GROUP BY o.id, o.status, a.balance
        HAVING a.balance <> COALESCE(SUM(e.amount) FILTER (WHERE t.kind = 'payment'), 0)
             + COALESCE(SUM(e.amount) FILTER (WHERE t.kind IN ('release', 'refund')), 0)
    """,
    "completed or closed orders with money left in escrow": """
        SELECT o.id, o.status, a.balance FROM escrow_order o
        JOIN escrow_ledgeraccount a ON a.order_id = o.id AND a.kind = 'escrow'
        WHERE o.status IN ('completed', 'closed') AND a.balance <> 0
    """,
    "unpaid orders with money in escrow": """
        SELECT o.id, a.balance FROM escrow_order o
        JOIN escrow_ledgeraccount a ON a.order_id = o.id AND a.kind = 'escrow'
        WHERE o.status = 'awaiting_payment' AND a.balance <> 0
    """,
}


def ledger_problems() -> list[str]:
    """Every violated invariant, one line each; empty when the ledger is sound."""
    problems: list[str] = []
    with connection.cursor() as cursor:
        for name, sql in CHECKS.items():
            cursor.execute(sql)
            rows = cursor.fetchall()
            problems.extend(f"{name}: {row}" for row in rows[:20])
    escrow_total = sum(
        LedgerAccount.objects.filter(kind=LedgerAccount.Kind.ESCROW).values_list(
            "balance", flat=True
        ),
        Decimal(0),
    )
    open_paid = sum(
        LedgerAccount.objects.filter(
            kind=LedgerAccount.Kind.ESCROW,
            order__status__in=[Order.Status.PAID, Order.Status.SHIPPED],
        ).values_list("balance", flat=True),
        Decimal(0),
    )
    if escrow_total != open_paid:
        problems.append(
            f"all escrow ({escrow_total}) differs from the escrow of open paid orders ({open_paid})"
        )
    return problems
