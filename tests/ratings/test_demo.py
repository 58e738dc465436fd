"""``seed_demo`` rates the demo trades and gives demo shops a credit history: shops at hearts, a
diamond and a crown, figures equal to a rebuild, a sound ledger, and nothing more on a rerun."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from escrow.ledger_check import ledger_problems
from escrow.models import LedgerEntry, LedgerTransaction, Order, OrderEvent, OrderLine, Payment
from marketplace.accounts.demo import DEMO_USERS
from marketplace.accounts.models import User
from ratings.demo import BRUSHER, CREDIT_PLAN, SHOPPER_PREFIX, SHOPPERS
from ratings.models import Rating, RatingsState, SellerCredit
from ratings.reports import suspicious_report
from ratings.services.counting import grade_name
from shops.models import Shop

# seed_demo commits step by step, as it does on a developer's machine.
pytestmark = pytest.mark.django_db(transaction=True)


def what_exists() -> dict[str, Any]:
    return {
        **{
            model.__name__: model.objects.count()
            for model in (
                User,
                Order,
                OrderLine,
                OrderEvent,
                Payment,
                LedgerTransaction,
                LedgerEntry,
                Rating,
            )
        },
        "shops": sorted(
            Shop.objects.values_list("pk", "credit_score", "credit_level", "good_rate")
        ),
        "rebuilt": list(RatingsState.objects.values_list("rebuilt_at", flat=True)),
    }


def test_seed_demo_leaves_shops_at_every_grade_with_sound_figures_and_adds_nothing_twice() -> None:
    call_command("seed_demo", "--no-progress", stdout=StringIO())
    first = what_exists()
    call_command("seed_demo", "--no-progress", stdout=StringIO())

    assert what_exists() == first
    levels = dict(Shop.objects.values_list("owner__username", "credit_level"))
    assert {seller: grade_name(levels[seller]) for seller, _, _ in CREDIT_PLAN} == {
        "seller_yiwu": "1 crown",
        "seller_junpu": "1 diamond",
        "seller_bainiu": "5 hearts",
        "seller_anji": "4 hearts",
        "seller_caoxian": "3 hearts",
        "seller_puer": "2 hearts",
        "seller_luochuan": "1 heart",
    }
    crown = SellerCredit.objects.get(shop__owner__username="seller_yiwu")
    assert crown.good > 0 and crown.neutral > 0 and crown.dsr_count > 0  # the last 180 days
    assert User.objects.filter(username__startswith=SHOPPER_PREFIX).count() == SHOPPERS

    out = StringIO()
    call_command("credit_verify", stdout=out)
    assert "equal a full rebuild" in out.getvalue()
    assert ledger_problems() == []
    out = StringIO()
    call_command("check_ledger", stdout=out)
    assert out.getvalue().startswith("Ledger sound")

    # The demo trades, rated through the services: double-blind, some answered.
    demo_buyers = [username for username, _, _ in DEMO_USERS]
    trades = Rating.objects.filter(buyer__username__in=demo_buyers)
    assert trades.filter(status=Rating.Status.PUBLISHED, role=Rating.Role.BY_BUYER).exists()
    assert trades.filter(status=Rating.Status.PENDING).exists()  # one side has not rated yet
    assert trades.exclude(reply="").exists()
    assert set(trades.values_list("value", flat=True)) == {-1, 0, 1}
    history = Rating.objects.filter(buyer__username__startswith=SHOPPER_PREFIX)
    assert history.filter(is_default=True, role=Rating.Role.BY_SELLER).exists()
    assert not history.exclude(status=Rating.Status.PUBLISHED).exists()

    # The brushing the report is there to find: of five good ratings, the rules count one.
    report = suspicious_report()
    brushed = "军埔女装"
    assert (BRUSHER, brushed) in {(row.buyer, row.shop) for row in report.busy_pairs}
    assert brushed in {row.shop for row in report.quick_shops}
    assert BRUSHER in {row.buyer for row in report.lonely_buyers}
    assert BRUSHER in {row.buyer for row in report.cheap_lines}
    brushing = Rating.objects.filter(buyer__username=BRUSHER, role=Rating.Role.BY_BUYER)
    assert sorted(brushing.values_list("counted", flat=True)) == [False] * 4 + [True]
