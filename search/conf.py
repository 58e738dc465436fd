"""Numbers behind search and ranking (DOMAIN §7); settings override each as ``SEARCH_<NAME>``.

The ranking weights are configuration: a listing's static quality is the weighted sum of its
trust signals (each scaled to 0–1) minus its penalties, and its relevance for a query adds the
weighted text score. ``docs/search.md`` explains each signal and how to tune the weights.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "WEIGHTS": {
        "text": 6.0,  # times ts_rank of the query in the document (title ≫ category ≫ description)
        "credit": 0.30,  # seller credit grade, level / 20
        "good_rate": 0.15,  # seller good rate over 180 days (0.9 assumed without ratings)
        "dsr": 0.15,  # mean detailed seller rating over 180 days, (mean − 1) / 4
        "sales": 0.25,  # units sold in 30 days, log-scaled, full at SALES_FULL
        "freshness": 0.10,  # halves every FRESHNESS_HALF_LIFE after publishing
        "violations": 0.30,  # subtracted per 12 violation points of the shop this year
        "duplicate": 0.60,  # subtracted from every near-duplicate but the best of its group
    },
    "GOOD_RATE_PRIOR": 0.9,  # a shop without ratings is neither trusted nor distrusted
    "DSR_PRIOR": 4.5,
    "SALES_FULL": 1000,  # 30-day units at which the sales signal is full
    "SALES_WINDOW": timedelta(days=30),
    "FRESHNESS_HALF_LIFE": timedelta(days=30),
    "CANDIDATES": 1000,  # frequent terms: re-rank this many candidates of the best static quality
    "FREQUENT_MATCHES": 5000,  # estimated matches above which a query takes the two-phase plan
    "WALK_MATCHES": 150_000,  # above, its candidates come from walking the quality index
    # Shares of the documents, best by quality, that carry a quality tier's word (at most 9).
    "QUALITY_TIERS": (0.5, 0.25, 0.12, 0.06, 0.03, 0.015),
    # A two-phase query reads the smallest tier expected to hold this many times CANDIDATES.
    "TIER_MARGIN": 1.5,
    "FACETS_CACHE_SECONDS": 300,  # facet counts of frequent-word queries, shared by requests
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 50,
    "MAX_RESULTS": 1000,  # deepest result a buyer can page to
    "DRAIN_BATCH": 500,  # listings reindexed per transaction by the dirty drain
    "DESCRIPTION_CHARS": 2000,  # of a description indexed
    "TYPO_MIN_LENGTH": 4,
    "SUGGESTIONS": 8,
    "PRICE_BUCKETS": (0, 20, 50, 100, 200, 500, 1000, 5000),
    # Cover pictures whose fingerprints differ in at most this many of 64 bits show the same.
    "COVER_DISTANCE": 6,
    # Words that tell variants of one item apart; titles equal apart from these are duplicates.
    "VARIANT_WORDS": (  # noqa: SIM905 (a word list reads better as one string)
        "红色 黑色 白色 蓝色 绿色 黄色 粉色 紫色 灰色 棕色 咖啡色 米色 卡其色 橙色 银色 金色 "
        "红 黑 白 蓝 绿 黄 粉 紫 灰 棕 橙 银 金 大号 中号 小号 加大 "
        "red black white blue green yellow pink purple grey gray brown beige orange silver gold "
        "small medium large xl xxl s m l"
    ).split(),
}


def search_setting(name: str) -> Any:
    return getattr(settings, f"SEARCH_{name}", DEFAULTS[name])


def search_weights() -> dict[str, float]:
    return {**DEFAULTS["WEIGHTS"], **getattr(settings, "SEARCH_WEIGHTS", {})}
