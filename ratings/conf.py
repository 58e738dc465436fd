"""Numbers behind the rating and credit rules (DOMAIN §6); settings override each as
``RATINGS_<NAME>``."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

# The lowest score of each grade after "none": 1–5 hearts, 1–5 diamonds, 1–5 crowns, 1–5 golden
# crowns.
GRADE_FLOORS: tuple[int, ...] = (4, 11, 41, 91, 151, 251, 501, 1_001, 2_001, 5_001)
GRADE_FLOORS += (10_001, 20_001, 50_001, 100_001, 200_001)
GRADE_FLOORS += (500_001, 1_000_001, 2_000_001, 5_000_001, 10_000_001)

DEFAULTS: dict[str, Any] = {
    "RATING_WINDOW": timedelta(days=15),  # after completion, to rate
    "REVISION_WINDOW": timedelta(days=30),  # after rating, to turn neutral/bad into good once
    "SAME_LISTING_PERIOD": timedelta(days=14),  # same pair and listing: counts once per period
    "MONTHLY_PAIR_POINTS": 6,  # at most, between one buyer and one seller per calendar month
    "SMALL_ORDER_TOTAL": Decimal("1.00"),  # orders of this much or less earn nothing
    "FIGURES_WINDOW": timedelta(days=180),  # good rate and DSR
    "COMMENT_LENGTH": 500,
    "SWEEP_BATCH": 200,
    "DEMO_CREDIT_HISTORY": True,  # seed_demo builds thousands of rated orders for a few shops
    "GRADE_FLOORS": GRADE_FLOORS,
}


def ratings_setting(name: str) -> Any:
    return getattr(settings, f"RATINGS_{name}", DEFAULTS[name])
