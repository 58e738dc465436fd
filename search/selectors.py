"""Searching listings: matching, filters, facets, ranking, suggestions and explanations.

Ranking by relevance adds the weighted text score (``ts_rank`` with title ≫ category ≫
attributes ≫ description) to each document's precomputed static quality (``quality_sql``).
Computing ``ts_rank`` for every match is what makes naive full-text ranking slow on common
words, so the plan depends on how many documents the query matches, as PostgreSQL's own
statistics estimate it: up to ``FREQUENT_MATCHES`` every match is scored (exact); above, the
``CANDIDATES`` matches of best static quality are taken and only they are scored (two-phase),
found within the smallest quality tier expected to hold enough of them (``QualityTier``), so that
the index, not the table, narrows them down. Deep pages stop at ``MAX_RESULTS``.
"""

import hashlib
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Prefetch
from django.utils import timezone

from marketplace.accounts.models import User
from search.conf import search_setting, search_weights
from search.models import PopularQuery, QualityTier, SearchDocument, SearchWord
from search.services.indexing import (
    DOCUMENT,
    TIER_WORDS,
    TIERS_CACHE_KEY,
    quality_params,
    signals_sql,
)
from search.text import QueryWord, normalise, query_words
from shops.models import Category, Listing, ListingImage, Shop

TEXT_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"  # D (description), C (attributes), B (category), A (title)
SORTS = {
    "sales": "d.sales_30d DESC, d.quality DESC, d.listing_id",
    "credit": "d.seller_score DESC, d.quality DESC, d.listing_id",
    "price_asc": "d.price_min, d.listing_id",
    "price_desc": "d.price_max DESC, d.listing_id",
    "newest": "d.published_at DESC, d.listing_id DESC",
}
SORT_CHOICES = ("relevance", *SORTS)


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: Category | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    province: str = ""
    city: str = ""
    min_seller_level: int | None = None
    shipping_method: str = ""
    in_stock: bool = False
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass
class SearchHit:
    listing_id: int
    score: float
    text_score: float
    quality: float


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    plan: str  # "exact", "two_phase", "sorted", "browse"
    total_is_estimate: bool = False  # without facets, a frequent word's total is the planner's
    tier: int | None = None  # the quality tier a two-phase plan took its candidates from
    corrections: dict[str, str] = field(default_factory=dict)
    did_you_mean: str | None = None
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# --- The text query ---------------------------------------------------------------------------


def edit_distance(first: str, second: str) -> int:
    """Damerau–Levenshtein distance (insert, delete, substitute, swap two neighbours)."""
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        current = [i]
        for j, other in enumerate(second, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                cost = min(cost, previous_previous[j - 2] + 1)
            current.append(cost)
        previous_previous, previous = previous, current
    return previous[-1]


def _typo_corrections(query: list[QueryWord]) -> dict[str, str]:
    """Latin words that no title has, mapped to the title word one typo away (two for long
    words), the most common on a tie. Candidates come from the trigram index (pg_trgm)."""
    candidates = [
        word.text
        for word in query
        if word.is_latin
        and len(word.text) >= search_setting("TYPO_MIN_LENGTH")
        and not word.text.isdigit()
    ]
    if not candidates:
        return {}
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    corrections = {}
    with connection.cursor() as cursor:
        for word in candidates:
            if word in known:
                continue
            cursor.execute(
                "SELECT word, document_count FROM search_searchword "
                "WHERE is_latin AND word %% %s ORDER BY similarity(word, %s) DESC LIMIT 20",
                [word, word],
            )
            allowed = 1 if len(word) < 8 else 2
            scored = [
                (distance, -count, other)
                for other, count in cursor.fetchall()
                if (distance := edit_distance(word, other)) <= allowed
            ]
            if scored:
                corrections[word] = min(scored)[2]
    return corrections


def tsquery_sql(query: list[QueryWord], corrections: dict[str, str]) -> tuple[str, list[str]]:
    """SQL for the tsquery of a buyer's words, with its parameters. Every word must match; a
    word matches as itself, as all its shorter parts (Chinese), or as its typo correction."""
    terms, params = [], []
    for word in query:
        alternatives = ["plainto_tsquery('english', %s)"]
        params.append(word.text)
        if word.parts:
            alternatives.append("plainto_tsquery('english', %s)")
            params.append(" ".join(word.parts))
        if word.text in corrections:
            alternatives.append("plainto_tsquery('english', %s)")
            params.append(corrections[word.text])
        terms.append("(" + " || ".join(alternatives) + ")")
    return "(" + " && ".join(terms) + ")", params


@dataclass
class _Where:
    sql: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, sql: str, *params: Any) -> None:
        self.sql.append(sql)
        self.params.extend(params)

    def __str__(self) -> str:
        return " AND ".join(self.sql) or "true"


def _filters(search: SearchQuery, where: _Where) -> None:
    if search.category is not None:
        where.add("d.category_path LIKE %s", search.category.path + "%")
    if search.price_min is not None:
        where.add("d.price_max >= %s", search.price_min)
    if search.price_max is not None:
        where.add("d.price_min <= %s", search.price_max)
    if search.province:
        where.add("d.province = %s", search.province)
    if search.city:
        where.add("d.city = %s", search.city)
    if search.min_seller_level:
        where.add("d.seller_level >= %s", search.min_seller_level)
    if search.shipping_method:
        where.add("d.shipping_method = %s", search.shipping_method)
    if search.in_stock:
        where.add("d.in_stock")


def estimated_matches(where: _Where) -> int:
    """How many documents PostgreSQL's statistics say the conditions match."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {DOCUMENT} d WHERE {where}", where.params
        )
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def _quality_tiers() -> list[tuple[int, float]]:
    """The quality tiers as (level, share of the documents), smallest share first."""
    tiers = cache.get(TIERS_CACHE_KEY)
    if tiers is None:
        tiers = list(
            QualityTier.objects.filter(share__gt=0).order_by("share").values_list("level", "share")
        )
        cache.set(TIERS_CACHE_KEY, tiers, 3600)
    return cast(list[tuple[int, float]], tiers)


def quality_tier_for(estimate: int) -> int | None:
    """The smallest quality tier expected to hold ``TIER_MARGIN`` times ``CANDIDATES`` of a
    query's ``estimate`` matches, or None (no tier is small enough to help, or none is set)."""
    needed = search_setting("TIER_MARGIN") * search_setting("CANDIDATES")
    return next((level for level, share in _quality_tiers() if estimate * share >= needed), None)


def ranking_sql(
    where: _Where,
    tsquery: str,
    tsquery_params: list[str],
    *,
    plan: str,
    limit: int,
    offset: int,
    estimate: int | None = None,
    tier: int | None = None,
) -> tuple[str, list[Any]]:
    """The top results by blended relevance, as (listing, text score, quality, count) rows.

    "exact" scores every match (the naive plan when used for every query) and counts them in the
    same scan: the matches are read once, into a materialised set; the count is the total.
    "two_phase" takes the ``CANDIDATES`` matches of best static quality, then scores and
    re-ranks only them, and counts the candidates. Where they come from depends on how many
    documents match: a bitmap scan of the matches within quality ``tier`` (the GIN index finds
    the documents that have the query's words and the tier's word; the candidates are the same
    as without the tier whenever the tier holds at least ``CANDIDATES`` matches), or of every
    match, and a top-N sort on quality; a walk down the quality index that stops at the last
    candidate above ``WALK_MATCHES`` (a common word's candidates are found within the first few
    thousand rows). ``where`` starts with the text condition (``d.document @@ tsquery``)."""
    weight = float(search_weights()["text"])
    if plan == "exact":
        rank = f"ts_rank({TEXT_WEIGHTS}, d.document, {tsquery})"
        sql = (
            f"WITH m AS MATERIALIZED (SELECT d.listing_id, {rank} AS text_score, d.quality "
            f"FROM {DOCUMENT} d WHERE {where}) "
            "SELECT m.listing_id, m.text_score, m.quality, (SELECT count(*) FROM m) FROM m "
            "ORDER BY %s * m.text_score + m.quality DESC, m.listing_id LIMIT %s OFFSET %s"
        )
        return sql, [*tsquery_params, *where.params, weight, limit, offset]
    if tier is not None:  # the text condition, narrowed to the tier in one GIN lookup
        filters = _Where(where.sql[1:], where.params[len(tsquery_params) :])
        where = _Where(
            [f"d.document @@ ({tsquery} && %s::tsquery)", *filters.sql],
            [*tsquery_params, TIER_WORDS[tier - 1], *filters.params],
        )
    walk = estimate is None or estimate > search_setting("WALK_MATCHES")
    # "+ 0" hides the quality index from the planner, which then reads the matches by bitmap.
    order = "d.quality DESC" if walk else "d.quality + 0 DESC"
    rank = f"ts_rank({TEXT_WEIGHTS}, c.document, {tsquery})"
    sql = (
        f"WITH c AS MATERIALIZED (SELECT d.listing_id, d.document, d.quality FROM {DOCUMENT} d "
        f"WHERE {where} ORDER BY {order} LIMIT %s) "
        f"SELECT c.listing_id, {rank} AS text_score, c.quality, (SELECT count(*) FROM c) FROM c "
        f"ORDER BY %s * {rank} + c.quality DESC, c.listing_id LIMIT %s OFFSET %s"
    )
    candidates = search_setting("CANDIDATES")
    return sql, [*where.params, candidates, *tsquery_params, weight, *tsquery_params, limit, offset]


def _facets(search: SearchQuery, where: _Where) -> dict[str, list[dict[str, Any]]]:
    step = Category.steplen
    depth = len(search.category.path) + step if search.category is not None else step
    buckets = [Decimal(edge) for edge in search_setting("PRICE_BUCKETS")]
    sql = f"""
        SELECT substr(d.category_path, 1, %s) AS category, d.province,
            width_bucket(d.price_min, %s::numeric[]) AS bucket, count(*)
        FROM {DOCUMENT} d WHERE {where}
        GROUP BY GROUPING SETS ((1), (2), (3))
    """
    categories: dict[str, int] = {}
    provinces: dict[str, int] = {}
    prices: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [depth, buckets, *where.params])
        for category, province, bucket, count in cursor.fetchall():
            if category is not None:
                categories[category] = count
            elif province is not None:
                provinces[province] = count
            elif bucket is not None:
                prices[bucket] = count
    named = {
        path: (slug, name)
        for path, slug, name in Category.objects.filter(path__in=categories).values_list(
            "path", "slug", "name"
        )
    }
    category_facet = [
        {"slug": named[path][0], "name": named[path][1], "count": count}
        for path, count in sorted(categories.items(), key=lambda item: (-item[1], item[0]))
        if len(path) == depth and path in named
    ]
    province_facet = [
        {"province": province, "count": count}
        for province, count in sorted(provinces.items(), key=lambda item: (-item[1], item[0]))
    ]
    price_facet = []
    for bucket, count in sorted(prices.items()):
        low = buckets[bucket - 1] if bucket >= 1 else None
        high = buckets[bucket] if bucket < len(buckets) else None
        price_facet.append({"min": low, "max": high, "count": count})
    return {"category": category_facet, "province": province_facet, "price": price_facet}


def _cached_facets(search: SearchQuery, where: _Where) -> dict[str, list[dict[str, Any]]]:
    """Facets of a query on frequent words, kept ``FACETS_CACHE_SECONDS``: counting 100,000
    matches per request costs far more than ranking them, and such queries repeat."""
    depth = search.category.path if search.category is not None else ""
    key = hashlib.sha256(json.dumps([str(where), where.params, depth], default=str).encode())
    cache_key = f"search:facets:{key.hexdigest()}"
    facets = cache.get(cache_key)
    if facets is None:
        facets = _facets(search, where)
        cache.set(cache_key, facets, search_setting("FACETS_CACHE_SECONDS"))
    return cast(dict[str, list[dict[str, Any]]], facets)


def _count(where: _Where) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DOCUMENT} d WHERE {where}", where.params)
        return int(cursor.fetchone()[0])


def listing_search(
    *, search: SearchQuery, with_facets: bool = True, plan: str = ""
) -> SearchResult:
    """Listings matching a buyer's query and filters, one page of them ranked, with the total
    and facet counts over every match (for frequent words, as counted within the last
    ``FACETS_CACHE_SECONDS``). Without facets, the total of a query on frequent words is
    PostgreSQL's estimate (counting 100,000 matches costs more than ranking them). ``plan``
    forces a ranking plan ("exact" scores every match: the naive plan, for benchmarks)."""
    where = _Where()
    query = query_words(search.text)
    corrections = _typo_corrections(query)
    tsquery, tsquery_params = tsquery_sql(query, corrections) if query else ("", [])
    if query:
        where.add(f"d.document @@ {tsquery}", *tsquery_params)
    _filters(search, where)
    limit = search.page_size
    offset = (search.page - 1) * search.page_size
    limit = max(0, min(limit, search_setting("MAX_RESULTS") - offset))
    chosen = plan
    estimate: int | None = None
    tier: int | None = None
    if search.sort in SORTS or not query:
        chosen = "sorted" if search.sort in SORTS else "browse"
        order = SORTS.get(search.sort, "d.quality DESC, d.listing_id")
        sql = (
            f"SELECT d.listing_id, 0.0, d.quality, NULL FROM {DOCUMENT} d WHERE {where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params: list[Any] = [*where.params, limit, offset]
    else:
        if not chosen:
            estimate = estimated_matches(where)
            chosen = "two_phase" if estimate > search_setting("FREQUENT_MATCHES") else "exact"
        if (
            chosen == "two_phase"
            and estimate is not None
            and estimate <= search_setting("WALK_MATCHES")
        ):
            tier = quality_tier_for(estimate)
        rank = partial(
            ranking_sql,
            where,
            tsquery,
            tsquery_params,
            plan=chosen,
            limit=limit,
            offset=offset,
            estimate=estimate,
        )
        sql, params = rank(tier=tier)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if tier is not None and (not rows or rows[0][3] < search_setting("CANDIDATES")):
            # The tier held fewer candidates than the query has: take them from every match.
            tier = None
            cursor.execute(*rank(tier=None))
            rows = cursor.fetchall()
    weight = float(search_weights()["text"])
    hits = [
        SearchHit(
            listing_id=pk,
            score=weight * float(text) + float(quality),
            text_score=float(text),
            quality=float(quality),
        )
        for pk, text, quality, _ in rows
    ]
    counted = rows[0][3] if rows else None
    result = SearchResult(hits=hits, total=0, plan=chosen, tier=tier, corrections=corrections)
    if corrections:
        result.did_you_mean = " ".join(corrections.get(word.text, word.text) for word in query)
    if with_facets:
        count_facets = _cached_facets if chosen == "two_phase" else _facets
        result.facets = count_facets(search, where)
        result.total = sum(item["count"] for item in result.facets["province"])
    elif chosen == "two_phase" and estimate is not None:
        result.total, result.total_is_estimate = estimate, True
    elif counted is not None and chosen != "two_phase":  # a two-phase count is of candidates
        result.total = int(counted)
    else:
        result.total = _count(where)
    return result


# --- Autocomplete -----------------------------------------------------------------------------


def search_suggest(*, prefix: str) -> list[dict[str, Any]]:
    """Completions of what a buyer is typing: popular queries first, then title words."""
    text = normalise(prefix)[:100]
    if not text:
        return []
    limit = search_setting("SUGGESTIONS")
    queries = list(
        PopularQuery.objects.filter(text__startswith=text)
        .exclude(text=text)
        .order_by("-count", "text")
        .values_list("text", flat=True)[:limit]
    )
    last_word = text.split()[-1]
    head = text[: len(text) - len(last_word)]
    words = (
        SearchWord.objects.filter(word__startswith=last_word, document_count__gt=0)
        .exclude(word=last_word)
        .order_by("-document_count", "word")
        .values_list("word", flat=True)[:limit]
    )
    suggestions = [{"text": query, "kind": "query"} for query in queries]
    seen = set(queries)
    for word in words:
        completion = head + word
        if completion not in seen and len(suggestions) < limit:
            seen.add(completion)
            suggestions.append({"text": completion, "kind": "title"})
    return suggestions[:limit]


# --- Explain ---------------------------------------------------------------------------------


def listing_rank_explain(*, listing_id: int, search: SearchQuery) -> dict[str, Any] | None:
    """Why a listing ranks where it does for a query: each signal's value, weight and
    contribution, the text score, and its position among the matches (None when the listing has
    no search document: it cannot be found)."""
    document = SearchDocument.objects.filter(listing_id=listing_id).first()
    if document is None:
        return None
    query = query_words(search.text)
    corrections = _typo_corrections(query)
    tsquery, tsquery_params = tsquery_sql(query, corrections) if query else ("", [])
    weights = search_weights()
    text_score = 0.0
    matches = True
    scaled_sql = signals_sql("d")
    with connection.cursor() as cursor:
        if query:
            cursor.execute(
                f"SELECT ts_rank({TEXT_WEIGHTS}, d.document, {tsquery}), d.document @@ {tsquery} "
                f"FROM {DOCUMENT} d WHERE d.listing_id = %s",
                [*tsquery_params, *tsquery_params, listing_id],
            )
            text_score, matches = cursor.fetchone()
        columns = ", ".join(f"({scaled}) AS {name}" for name, scaled in scaled_sql.items())
        cursor.execute(
            f"SELECT {columns} FROM {DOCUMENT} d WHERE d.listing_id = %(listing)s",
            {**quality_params(), "listing": listing_id},
        )
        scaled_values = dict(zip(scaled_sql, cursor.fetchone(), strict=True))
    stored: dict[str, Any] = {
        "credit": document.seller_level,
        "good_rate": document.good_rate,
        "dsr": document.dsr,
        "sales": document.sales_30d,
        "freshness": document.published_at.isoformat(),
        "violations": document.violation_points,
    }
    signals: list[tuple[str, Any, float]] = [
        *((name, stored[name], float(scaled_values[name])) for name in scaled_sql),
        ("duplicate", document.is_duplicate, -1.0 if document.is_duplicate else 0.0),
        ("text", round(float(text_score), 6), float(text_score)),
    ]
    rows = [
        {
            "signal": name,
            "value": value,
            "scaled": round(scaled, 6),
            "weight": float(weights[name]),
            "contribution": round(float(weights[name]) * scaled, 6),
        }
        for name, value, scaled in signals
    ]
    score = sum(float(row["contribution"]) for row in rows)
    everything = replace(search, page=1, page_size=search_setting("MAX_RESULTS"))
    result = listing_search(search=everything, with_facets=False)
    position = next(
        (index + 1 for index, hit in enumerate(result.hits) if hit.listing_id == listing_id), None
    )
    return {
        "matches": bool(matches),
        "score": round(score, 6),
        "stored_quality": round(document.quality, 6),
        "position": position,
        "total": result.total,
        "plan": result.plan,
        "signals": rows,
        "indexed_at": document.indexed_at,
        "computed_at": timezone.now(),
    }


def search_hits_listings(*, hits: list[SearchHit]) -> list[Listing]:
    """The listings of a page of hits, in rank order, with what a result shows. A listing hidden
    since its document was last built (delisted, shop suspended) is left out, never shown."""
    ids = [hit.listing_id for hit in hits]
    listings = (
        Listing.objects.filter(
            pk__in=ids, status=Listing.Status.ACTIVE, shop__status=Shop.Status.ACTIVE
        )
        .select_related("shop", "category")
        .prefetch_related(
            Prefetch("images", queryset=ListingImage.objects.order_by("position", "pk"))
        )
        .annotate(sales_30d=F("search_document__sales_30d"))
    )
    by_id = {listing.pk: listing for listing in listings}
    return [by_id[pk] for pk in ids if pk in by_id]


def listing_get_for_explain(*, public_id: Any, user: User) -> Listing | None:
    """A listing whose ranking this user may see explained: staff any, a seller their own."""
    listings = Listing.objects.filter(public_id=public_id)
    if not user.is_staff:
        listings = listings.filter(shop__owner_id=user.pk)
    return listings.first()
