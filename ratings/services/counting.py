"""The counting rules: which published ratings between one buyer and one seller, in one
direction, earn credit points (DOMAIN §6). The nightly rebuild (``ratings.services.rebuild``)
applies the same rules in SQL; a property test checks both agree.

In order of the orders' creation (ties by order id):

1. Only published ratings count (``not_published``, ``removed``, ``deleted`` otherwise).
2. Orders of ``SMALL_ORDER_TOTAL`` (1.00) or less earn nothing (``small_order``).
3. Same listing: the pair's orders of one listing fall into periods of ``SAME_LISTING_PERIOD``
   (14 days) counted from the first of them; in each period the first good, the first neutral
   and the first bad count, later ones of the same value do not (``same_listing_period``).
4. At most ``MONTHLY_PAIR_POINTS`` (6) good ratings count per calendar month of the marketplace
   time zone (``monthly_pair_limit``); neutral and bad ones always count.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from ratings.conf import ratings_setting

PUBLISHED = "published"


@dataclass(frozen=True)
class Facts:
    """What the rules read of one rating."""

    key: int  # the rating's id
    order_id: int
    status: str
    value: int
    listing_id: int
    order_created_at: datetime
    goods_total: Decimal


@dataclass(frozen=True)
class Outcome:
    counted: bool
    points: int
    note: str


def count_pair(ratings: Iterable[Facts]) -> dict[int, Outcome]:
    """The outcome of every rating of one direction between one buyer and one seller."""
    zone = ZoneInfo(settings.TIME_ZONE)
    period = ratings_setting("SAME_LISTING_PERIOD")
    small = ratings_setting("SMALL_ORDER_TOTAL")
    monthly = ratings_setting("MONTHLY_PAIR_POINTS")
    outcomes: dict[int, Outcome] = {}
    eligible = []
    for facts in sorted(ratings, key=lambda f: (f.order_created_at, f.order_id)):
        if facts.status != PUBLISHED:
            outcomes[facts.key] = Outcome(
                False, 0, "not_published" if facts.status == "pending" else facts.status
            )
        elif facts.goods_total <= small:
            outcomes[facts.key] = Outcome(False, 0, "small_order")
        else:
            eligible.append(facts)
    first_order_of: dict[int, datetime] = {}
    for facts in eligible:
        first_order_of.setdefault(facts.listing_id, facts.order_created_at)
    seen: set[tuple[int, int, int]] = set()
    goods_in_month: dict[tuple[int, int], int] = defaultdict(int)
    for facts in eligible:
        elapsed = facts.order_created_at - first_order_of[facts.listing_id]
        slot = (facts.listing_id, elapsed // period, facts.value)
        if slot in seen:
            outcomes[facts.key] = Outcome(False, 0, "same_listing_period")
            continue
        seen.add(slot)
        if facts.value > 0:
            local = facts.order_created_at.astimezone(zone)
            month = (local.year, local.month)
            goods_in_month[month] += 1
            if goods_in_month[month] > monthly:
                outcomes[facts.key] = Outcome(False, 0, "monthly_pair_limit")
                continue
        outcomes[facts.key] = Outcome(True, facts.value, "")
    return outcomes


def grade_level(score: int) -> int:
    """0 (no grade) to 20 (5 golden crowns)."""
    return sum(1 for floor in ratings_setting("GRADE_FLOORS") if score >= floor)


GRADE_NAMES = ("heart", "diamond", "crown", "golden crown")


def grade_name(level: int) -> str:
    """``"none"``, ``"1 heart"`` … ``"5 golden crowns"``."""
    if level <= 0:
        return "none"
    count, kind = (level - 1) % 5 + 1, GRADE_NAMES[(level - 1) // 5]
    return f"{count} {kind}{'s' if count > 1 else ''}"
