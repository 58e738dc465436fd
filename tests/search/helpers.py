"""Helpers of the search tests: index what changed, search, and read the order of the hits."""

from typing import Any

from search.selectors import SearchQuery, SearchResult, listing_search
from search.tasks import index_drain
from shops.models import Listing


def drain() -> int:
    """Run the dirty-drain task as beat would (the task function, in this process)."""
    return index_drain()


def search(text: str = "", **filters: Any) -> SearchResult:
    return listing_search(search=SearchQuery(text=text, **filters))


def found(text: str = "", **filters: Any) -> list[int]:
    return [hit.listing_id for hit in search(text, **filters).hits]


def ids(*listings: Listing) -> list[int]:
    return [listing.pk for listing in listings]
