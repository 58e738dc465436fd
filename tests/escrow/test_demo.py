"""``seed_demo`` trades between the demo buyers and shops, in every order state, once."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from escrow.demo import AFTER_SALE, trade_plan
from escrow.ledger_check import ledger_problems
from escrow.models import LedgerAccount, Order, OrderEvent, Payout, Refund
from marketplace.accounts.demo import DEMO_USERS

# seed_demo commits step by step and the trades run after each commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


DEMO_BUYERS = {username for username, _, _ in DEMO_USERS}


def orders_by_status() -> dict[str, int]:
    """The demo buyers' orders (the ratings demo adds a credit history of other shoppers)."""
    traded = Order.objects.filter(buyer__username__in=DEMO_BUYERS)
    return dict(traded.values_list("status").annotate(count=Count("pk")))


@pytest.fixture(autouse=True)
def without_credit_history(settings: Any) -> None:
    """The ratings demo's thousands of history orders are tested in tests/ratings."""
    settings.RATINGS_DEMO_CREDIT_HISTORY = False


def test_seed_demo_leaves_orders_in_every_state_and_a_sound_ledger_once() -> None:
    call_command("seed_demo", "--no-progress", stdout=StringIO())
    first = orders_by_status()
    call_command("seed_demo", "--no-progress", stdout=StringIO())

    assert orders_by_status() == first
    assert set(first) == set(Order.Status)
    assert 35 <= sum(first.values()) <= 60
    assert first[Order.Status.COMPLETED] == max(first.values())
    traded = Order.objects.filter(buyer__username__in=DEMO_BUYERS)
    assert set(traded.values_list("buyer__username", flat=True).distinct()) == DEMO_BUYERS
    assert Order.objects.values("checkout").annotate(shops=Count("pk")).filter(shops=2).exists()
    assert OrderEvent.objects.filter(type="late_payment_refunded").exists()
    payouts = set(Payout.objects.values_list("status", flat=True))
    assert payouts == {"settled", "failed"}
    refunds = set(Refund.objects.values_list("status", flat=True))
    assert {"requested", "return_shipped", "disputed", "refunded"} <= refunds
    sellers_paid = LedgerAccount.objects.filter(kind="seller_available", balance__gt=0).count()
    assert sellers_paid >= 5
    assert ledger_problems() == []
    out = StringIO()
    call_command("check_ledger", stdout=out)
    assert out.getvalue().startswith("Ledger sound")


def test_the_trade_plan_is_the_same_on_every_run() -> None:
    assert trade_plan() == trade_plan()
    statuses = [status for plan in trade_plan().values() for status in plan]
    assert set(statuses) == {*Order.Status, *AFTER_SALE, "paid_after_cancel"}
