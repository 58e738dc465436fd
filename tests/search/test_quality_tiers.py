"""Quality tiers: a frequent word's candidates found by the index within the best documents by
quality, the same candidates as reading every match whenever the tier holds enough of them."""

from typing import Any

import pytest
from django.db import connection

from search.models import QualityTier, SearchDocument
from search.selectors import SearchQuery, listing_search
from search.services.indexing import TIER_WORDS, signals_refresh
from shops.models import Listing
from shops.services.shops import shop_credit_set
from tests.factories import ShopFactory, make_listing
from tests.search.helpers import drain

pytestmark = pytest.mark.django_db


def catalogue(listings: int, word: str = "lantern") -> list[Listing]:
    """``listings`` listings with ``word`` in their title, in shops of credit levels 0 to 19,
    so their qualities differ."""
    shops = [ShopFactory() for _ in range(20)]
    made = [make_listing(shops[n % 20], title=f"Paper {word} number {n}") for n in range(listings)]
    drain()
    for level, shop in enumerate(shops):
        shop_credit_set(shop_id=shop.pk, score=level * 100, level=level, good_rate=None)
    drain()
    return made


def tier_words(document: SearchDocument) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM unnest(%s::tsvector) WHERE lexeme = ANY(%s)",
            [document.document, TIER_WORDS],
        )
        return {lexeme for (lexeme,) in cursor.fetchall()}


def test_every_document_carries_the_words_of_the_tiers_its_quality_reaches(settings: Any) -> None:
    settings.SEARCH_QUALITY_TIERS = (0.5, 0.25, 0.1)
    catalogue(40)

    signals_refresh()

    tiers = list(QualityTier.objects.order_by("level"))
    assert [tier.level for tier in tiers] == [1, 2, 3]
    assert tiers[0].threshold < tiers[1].threshold < tiers[2].threshold
    documents = list(SearchDocument.objects.all())
    for tier in tiers:
        inside = sum(document.quality >= tier.threshold for document in documents)
        assert tier.share == pytest.approx(inside / len(documents))
    for document in documents:
        reached = [tier.level for tier in tiers if document.quality >= tier.threshold]
        assert document.quality_tier == len(reached)
        assert tier_words(document) == {TIER_WORDS[level - 1] for level in reached}


def test_a_document_whose_quality_rises_takes_its_new_tiers_words_when_reindexed(
    settings: Any,
) -> None:
    settings.SEARCH_QUALITY_TIERS = (0.5, 0.25, 0.1)
    listings = catalogue(40)
    signals_refresh()
    lowest = min(SearchDocument.objects.all(), key=lambda document: document.quality)
    assert lowest.quality_tier == 0 and tier_words(lowest) == set()

    shop_credit_set(shop_id=lowest.shop_id, score=90_000, level=20, good_rate=None)
    drain()

    risen = SearchDocument.objects.get(pk=lowest.pk)
    assert risen.quality >= QualityTier.objects.get(level=3).threshold
    assert risen.quality_tier == 3
    assert tier_words(risen) == set(TIER_WORDS[:3])
    assert risen.listing_id in {listing.pk for listing in listings}


def best_by_quality(search: Any) -> list[int]:
    return [hit.listing_id for hit in search.hits]


def test_candidates_within_a_tier_are_those_of_every_match(settings: Any) -> None:
    settings.SEARCH_QUALITY_TIERS = (0.5, 0.25)
    catalogue(60)
    signals_refresh()
    settings.SEARCH_FREQUENT_MATCHES = 0  # every query counts as frequent
    settings.SEARCH_CANDIDATES = 5

    settings.SEARCH_TIER_MARGIN = 0.01  # the smallest tier is enough
    within_tier = listing_search(search=SearchQuery("lantern"), with_facets=False)
    settings.SEARCH_TIER_MARGIN = 10**9  # no tier is
    from_every_match = listing_search(search=SearchQuery("lantern"), with_facets=False)

    assert within_tier.plan == from_every_match.plan == "two_phase"
    assert (within_tier.tier, from_every_match.tier) == (2, None)
    assert [hit.listing_id for hit in within_tier.hits] == [
        hit.listing_id for hit in from_every_match.hits
    ]
    assert len(within_tier.hits) == 5


def test_a_tier_holding_too_few_of_the_matches_gives_way_to_every_match(settings: Any) -> None:
    settings.SEARCH_QUALITY_TIERS = (0.25,)
    catalogue(40)
    # A word only the worst quarter's listings have: the tier holds none of its matches.
    worst = sorted(SearchDocument.objects.all(), key=lambda document: document.quality)[:6]
    for document in worst:
        Listing.objects.filter(pk=document.pk).update(title=f"Cotton kite {document.pk}")
    drain()
    signals_refresh()
    assert not SearchDocument.objects.filter(pk__in=[d.pk for d in worst], quality_tier=1)
    settings.SEARCH_FREQUENT_MATCHES = 0
    settings.SEARCH_CANDIDATES = 3
    settings.SEARCH_TIER_MARGIN = 0.01

    result = listing_search(search=SearchQuery("kite"), with_facets=False)

    assert result.plan == "two_phase" and result.tier is None
    assert len(result.hits) == 3
    assert {hit.listing_id for hit in result.hits} <= {document.pk for document in worst}


def test_a_listing_found_by_its_tier_word_is_never_found_by_a_buyers_words() -> None:
    catalogue(10)
    signals_refresh()
    assert SearchDocument.objects.filter(quality_tier__gt=0).exists()

    for text in ("quality_tier_1", "quality tier 1", "quality"):
        assert listing_search(search=SearchQuery(text)).hits == []
