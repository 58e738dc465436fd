"""The labelled relevance set: for each query, the listings a shopper clearly expects must be in
the top 10. Every shop has the same (empty) trust signals, so text relevance decides."""

import pytest

from search.selectors import SearchQuery, listing_search
from tests.search import relevance_set
from tests.search.catalogue import build_catalogue

pytestmark = pytest.mark.django_db

REQUIRED_RECALL = {"zh": 0.95, "en": 0.95}


def test_labelled_queries_find_what_shoppers_expect_in_the_top_ten() -> None:
    listings = build_catalogue()
    key_of = {listing.pk: key for key, listing in listings.items()}
    found = {"zh": 0, "en": 0}
    expected = {"zh": 0, "en": 0}
    misses = []
    for query in relevance_set.QUERIES:
        result = listing_search(search=SearchQuery(text=query.text, page_size=10))
        top = [key_of[hit.listing_id] for hit in result.hits]
        missing = [key for key in query.must_find if key not in top]
        expected[query.language] += len(query.must_find)
        found[query.language] += len(query.must_find) - len(missing)
        if missing:
            misses.append(f"{query.text!r}: missing {missing}; top {top}")
    recall = {language: found[language] / expected[language] for language in expected}
    report = "\n".join(misses)
    for language, required in REQUIRED_RECALL.items():
        assert recall[language] >= required, f"{language} recall {recall[language]:.3f}\n{report}"
