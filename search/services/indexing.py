"""Building search documents and their ranking signals.

``documents_rebuild`` turns listings into documents (or deletes the documents of listings that
must not be found) and refreshes the signals of every document it touched, including the
near-duplicate groups those documents belong to. ``dirty_drain`` feeds it the listings and shops
the triggers marked, in batches, each in one transaction: a worker that dies mid-batch leaves
the marks in place for the next run. ``signals_refresh`` recomputes every document's signals
set-based (periodically, for 30-day sales and freshness, which change with time alone), and
``vocabulary_refresh`` recounts the title vocabulary behind typo correction and autocomplete.
"""

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from psycopg2.extras import execute_values

from escrow.models import Order, OrderLine
from ratings.models import SellerCredit
from search.conf import search_setting, search_weights
from search.models import DirtyListing, DirtyShop, QualityTier, SearchDocument, SearchWord
from search.text import CJK, characters, document_text, is_latin, words
from shops.models import SKU, Category, Listing, ListingImage, Shop

DOCUMENT = SearchDocument._meta.db_table
WORD = SearchWord._meta.db_table
TIERS_CACHE_KEY = "search:quality-tiers"


def _category_names() -> dict[int, tuple[str, list[str]]]:
    """Each category's tree path and the names from the root down to it."""
    categories = {
        path: (pk, name) for pk, path, name in Category.objects.values_list("pk", "path", "name")
    }
    step = Category.steplen
    result = {}
    for path, (pk, _) in categories.items():
        names = [
            categories[path[:end]][1]
            for end in range(step, len(path) + 1, step)
            if path[:end] in categories
        ]
        result[pk] = (path, names)
    return result


def _is_searchable(listing: Mapping[str, Any], now: datetime) -> bool:
    hidden_until = listing["shop__search_hidden_until"]
    return (
        listing["status"] == Listing.Status.ACTIVE
        and listing["shop__status"] == Shop.Status.ACTIVE
        and listing["published_at"] is not None
        and (hidden_until is None or hidden_until <= now)
    )


def title_key(title_words: Sequence[str], variant_values: Iterable[str]) -> str:
    """The title without the words that tell variants apart (colours, sizes, the listing's own
    variant values): two listings of one shop with the same key and alike cover pictures are
    near-duplicates."""
    ignored = set(search_setting("VARIANT_WORDS")) | {value.lower() for value in variant_values}
    return " ".join(sorted({word for word in title_words if word not in ignored}))[:200]


@dataclass(frozen=True)
class _Row:
    listing_id: int
    shop_id: int
    category_id: int
    category_path: str
    province: str
    city: str
    shipping_method: str
    price_min: Any
    price_max: Any
    in_stock: bool
    published_at: datetime
    title: str
    title_characters: str
    categories: str
    attributes: str
    description: str
    title_key: str
    cover_fingerprint: str


def _rows(listings: Sequence[Mapping[str, Any]]) -> list[_Row]:
    categories = _category_names()
    ids = [listing["pk"] for listing in listings]
    sku_values: dict[int, list[str]] = {}
    for listing_id, attributes in SKU.objects.filter(
        listing_id__in=ids, is_active=True
    ).values_list("listing_id", "attributes"):
        sku_values.setdefault(listing_id, []).extend(str(value) for value in attributes.values())
    covers: dict[int, str] = {}
    for listing_id, fingerprint in (
        ListingImage.objects.filter(listing_id__in=ids)
        .order_by("listing_id", "position", "pk")
        .values_list("listing_id", "fingerprint")
    ):
        covers.setdefault(listing_id, fingerprint)
    limit = search_setting("DESCRIPTION_CHARS")
    rows = []
    for listing in listings:
        path, names = categories[listing["category_id"]]
        variants = list(dict.fromkeys(sku_values.get(listing["pk"], [])))
        for attribute in listing["variant_attributes"] or []:
            variants.extend(str(value) for value in attribute.get("values", []))
        title_words = words(listing["title"])
        rows.append(
            _Row(
                listing_id=listing["pk"],
                shop_id=listing["shop_id"],
                category_id=listing["category_id"],
                category_path=path,
                province=listing["shop__province"],
                city=listing["shop__city"],
                shipping_method=listing["shipping_method"],
                price_min=listing["price_min"],
                price_max=listing["price_max"],
                in_stock=listing["total_stock"] > 0,
                published_at=listing["published_at"],
                title=" ".join(title_words),
                title_characters=" ".join(characters(listing["title"])),
                categories=document_text(" ".join(names)),
                attributes=document_text(" ".join(dict.fromkeys(variants))),
                description=document_text(listing["description"][:limit]),
                title_key=title_key(title_words, variants),
                cover_fingerprint=covers.get(listing["pk"], ""),
            )
        )
    return rows


_UPSERT = f"""
INSERT INTO {DOCUMENT} (
    listing_id, shop_id, category_id, category_path, province, city, shipping_method,
    price_min, price_max, in_stock, published_at, title_key, cover_fingerprint, title_words,
    document, seller_level, seller_score, sales_30d, violation_points, is_duplicate, quality,
    quality_tier, indexed_at
)
SELECT v.listing_id, v.shop_id, v.category_id, v.category_path, v.province, v.city,
    v.shipping_method, v.price_min, v.price_max, v.in_stock, v.published_at, v.title_key,
    v.cover_fingerprint, v.title,
    setweight(to_tsvector('english', v.title || ' ' || v.title_characters), 'A')
    || setweight(to_tsvector('english', v.categories), 'B')
    || setweight(to_tsvector('english', v.attributes), 'C')
    || setweight(to_tsvector('english', v.description), 'D'),
    0, 0, 0, 0, false, 0, 0, now()
FROM (VALUES %s) AS v (
    listing_id, shop_id, category_id, category_path, province, city, shipping_method,
    price_min, price_max, in_stock, published_at, title_key, cover_fingerprint, title,
    title_characters, categories, attributes, description
)
ON CONFLICT (listing_id) DO UPDATE SET
    shop_id = EXCLUDED.shop_id, category_id = EXCLUDED.category_id,
    category_path = EXCLUDED.category_path, province = EXCLUDED.province,
    city = EXCLUDED.city, shipping_method = EXCLUDED.shipping_method,
    price_min = EXCLUDED.price_min, price_max = EXCLUDED.price_max,
    in_stock = EXCLUDED.in_stock, published_at = EXCLUDED.published_at,
    title_key = EXCLUDED.title_key, cover_fingerprint = EXCLUDED.cover_fingerprint,
    title_words = EXCLUDED.title_words,
    document = EXCLUDED.document, quality_tier = 0, indexed_at = now()
"""
_UPSERT_TEMPLATE = (
    "(%s, %s, %s, %s, %s, %s, %s, %s::numeric, %s::numeric, %s, %s::timestamptz, %s, %s, %s, %s,"
    " %s, %s, %s)"
)


def _words_add(rows: list[_Row]) -> None:
    """New title words join the vocabulary at once; counts are corrected by the refresh."""
    vocabulary = {word for row in rows for word in row.title.split() if 1 < len(word) <= 60}
    if vocabulary:
        with connection.cursor() as cursor:
            execute_values(
                cursor,
                f"INSERT INTO {WORD} (word, document_count, is_latin) VALUES %s "
                "ON CONFLICT (word) DO NOTHING",
                [(word, 1, is_latin(word)) for word in sorted(vocabulary)],
            )


def documents_rebuild(listing_ids: Iterable[int]) -> tuple[int, int]:
    """Rebuild the documents of these listings; return (indexed, removed). Runs in the caller's
    transaction (or its own)."""
    ids = sorted(set(listing_ids))
    if not ids:
        return 0, 0
    now = timezone.now()
    with transaction.atomic():
        listings = list(
            Listing.objects.filter(pk__in=ids).values(
                "pk",
                "shop_id",
                "category_id",
                "title",
                "description",
                "status",
                "shipping_method",
                "variant_attributes",
                "price_min",
                "price_max",
                "total_stock",
                "published_at",
                "shop__status",
                "shop__province",
                "shop__city",
                "shop__search_hidden_until",
            )
        )
        searchable = [listing for listing in listings if _is_searchable(listing, now)]
        keep = {listing["pk"] for listing in searchable}
        groups_before = set(
            SearchDocument.objects.filter(listing_id__in=ids).values_list("shop_id", "title_key")
        )
        removed, _ = SearchDocument.objects.filter(listing_id__in=set(ids) - keep).delete()
        rows = _rows(searchable)
        if rows:
            with connection.cursor() as cursor:
                execute_values(
                    cursor,
                    _UPSERT,
                    [
                        (
                            row.listing_id,
                            row.shop_id,
                            row.category_id,
                            row.category_path,
                            row.province,
                            row.city,
                            row.shipping_method,
                            row.price_min,
                            row.price_max,
                            row.in_stock,
                            row.published_at,
                            row.title_key,
                            row.cover_fingerprint,
                            row.title,
                            row.title_characters,
                            row.categories,
                            row.attributes,
                            row.description,
                        )
                        for row in rows
                    ],
                    template=_UPSERT_TEMPLATE,
                    page_size=500,
                )
            _words_add(rows)
        groups = groups_before | {(row.shop_id, row.title_key) for row in rows}
        signals_refresh(listing_ids=keep, groups=groups)
    return len(rows), removed


# --- Signals --------------------------------------------------------------------------------------


def signals_sql(alias: str = "d") -> dict[str, str]:
    """Each trust signal of a document scaled to 0–1 (a penalty below 0), as SQL over its
    columns, with the parameters ``quality_params`` names. The one definition the static quality
    and ``explain`` both read."""
    return {
        "credit": f"LEAST({alias}.seller_level, 20) / 20.0",
        "good_rate": f"COALESCE({alias}.good_rate, %(good_rate_prior)s)",
        "dsr": f"(COALESCE({alias}.dsr, %(dsr_prior)s) - 1) / 4.0",
        "sales": f"LEAST(ln(1 + {alias}.sales_30d) / ln(1 + %(sales_full)s), 1.0)",
        "freshness": (
            f"power(0.5, GREATEST(EXTRACT(EPOCH FROM %(now)s - {alias}.published_at), 0)"
            " / %(half_life)s)"
        ),
        "violations": f"-{alias}.violation_points / 12.0",
    }


def quality_sql(alias: str = "d") -> str:
    """The static quality of a document as SQL: its weighted signals (``signals_sql``), weights
    inlined as parameters named ``w_<signal>`` (see ``quality_params``). Near-duplicates lose
    ``w_duplicate`` on top (the refresh knows which they are)."""
    terms = (f"%(w_{name})s * ({scaled})" for name, scaled in signals_sql(alias).items())
    return "(" + " + ".join(terms) + ")"


def quality_params(now: datetime | None = None) -> dict[str, Any]:
    weights = search_weights()
    params: dict[str, Any] = {f"w_{name}": float(weight) for name, weight in weights.items()}
    params.update(
        good_rate_prior=float(search_setting("GOOD_RATE_PRIOR")),
        dsr_prior=float(search_setting("DSR_PRIOR")),
        sales_full=float(search_setting("SALES_FULL")),
        half_life=search_setting("FRESHNESS_HALF_LIFE").total_seconds(),
        now=now or timezone.now(),
    )
    return params


# Quality tiers (``QualityTier``): the tier a quality falls in with the stored thresholds, and the
# document's tier words replaced when its tier changed. ``%(tier_words)s`` lists every word.
MAX_TIERS = 9
TIER_WORDS = [f"quality_tier_{level}" for level in range(1, MAX_TIERS + 1)]
TIER_OF = f"(SELECT count(*) FROM {QualityTier._meta.db_table} t WHERE {{quality}} >= t.threshold)"
TIER_SET = """
    document = CASE WHEN d.quality_tier = {tier} THEN d.document
        ELSE ts_delete(d.document, %(tier_words)s::text[])
             || array_to_tsvector((%(tier_words)s::text[])[1:{tier}]) END,
    quality_tier = {tier}"""


_SIGNALS = f"""
WITH target AS (
    {{target}}
), sales AS (
    SELECT line.listing_id, sum(line.quantity) AS units
    FROM {OrderLine._meta.db_table} line
    JOIN {Order._meta.db_table} o ON o.id = line.order_id
    WHERE o.paid_at >= %(sales_since)s AND o.status IN %(selling_statuses)s
      AND line.listing_id IN (SELECT listing_id FROM target)
    GROUP BY line.listing_id
), signals AS (
    SELECT d.listing_id, shop.credit_level AS seller_level, shop.credit_score AS seller_score,
        shop.good_rate,
        CASE WHEN shop.violation_year = %(year)s THEN shop.violation_points ELSE 0 END
            AS violation_points,
        CASE WHEN credit.dsr_count > 0 THEN round(
            (credit.dsr_described_sum + credit.dsr_attitude_sum + credit.dsr_shipping_sum)::numeric
            / (3 * credit.dsr_count), 2) END AS dsr,
        COALESCE(sales.units, 0) AS sales_30d, d.published_at, d.shop_id, d.title_key,
        d.cover_fingerprint
    FROM {DOCUMENT} d
    JOIN target ON target.listing_id = d.listing_id
    JOIN {Shop._meta.db_table} shop ON shop.id = d.shop_id
    LEFT JOIN {SellerCredit._meta.db_table} credit ON credit.shop_id = d.shop_id
    LEFT JOIN sales ON sales.listing_id = d.listing_id
), ranked AS (
    SELECT s.*, {quality_sql("s")} AS base_quality FROM signals s
), better AS (
    SELECT r.*, array_agg(r.cover_fingerprint) OVER (
        PARTITION BY r.shop_id, r.title_key ORDER BY r.base_quality DESC, r.listing_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS better_covers
    FROM ranked r
), grouped AS (
    -- A near-duplicate: a better listing of its shop has its title key and an alike cover
    -- (both none, or fingerprints at most COVER_DISTANCE bits apart).
    SELECT b.*, EXISTS (
        SELECT FROM unnest(b.better_covers) AS other(cover)
        WHERE (other.cover = '' AND b.cover_fingerprint = '')
           OR (other.cover <> '' AND b.cover_fingerprint <> ''
               AND bit_count(('x' || other.cover)::bit(64) # ('x' || b.cover_fingerprint)::bit(64))
                   <= %(cover_distance)s)
    ) AS is_duplicate
    FROM better b
), final AS (
    SELECT g.*, g.base_quality - CASE WHEN g.is_duplicate THEN %(w_duplicate)s ELSE 0 END
        AS quality
    FROM grouped g
), tiered AS (
    SELECT f.*, {TIER_OF.format(quality="f.quality")} AS tier FROM final f
)
UPDATE {DOCUMENT} d SET
    seller_level = f.seller_level, seller_score = f.seller_score, good_rate = f.good_rate,
    violation_points = f.violation_points, dsr = f.dsr, sales_30d = f.sales_30d,
    is_duplicate = f.is_duplicate, quality = f.quality, {TIER_SET.format(tier="f.tier")}
FROM tiered f
WHERE f.listing_id = d.listing_id
"""

SELLING_STATUSES = (Order.Status.PAID, Order.Status.SHIPPED, Order.Status.COMPLETED)


def signals_refresh(
    *, listing_ids: Iterable[int] | None = None, groups: Iterable[tuple[int, str]] = ()
) -> int:
    """Recompute the signals and quality of these documents and of every document in their
    near-duplicate groups (``(shop_id, title_key)``), with their quality tiers; of all documents
    when ``listing_ids`` is None, after setting the tiers' thresholds anew from the qualities as
    they were. Returns the number of documents updated."""
    now = timezone.now()
    params = quality_params(now)
    params.update(
        sales_since=now - search_setting("SALES_WINDOW"),
        selling_statuses=tuple(str(status) for status in SELLING_STATUSES),
        year=timezone.localdate(now).year,
        tier_words=TIER_WORDS,
        cover_distance=search_setting("COVER_DISTANCE"),
    )
    if listing_ids is not None:
        params["ids"] = sorted(set(listing_ids))
        group_list = sorted(set(groups))
        params["group_shops"] = [shop for shop, _ in group_list] or [0]
        params["group_keys"] = [key for _, key in group_list] or [""]
        # Two index lookups, not one OR: the planner cannot estimate an OR of these and would
        # read the whole table, twice, for a batch of a thousand.
        target = (
            f"SELECT d.listing_id FROM {DOCUMENT} d WHERE d.listing_id = ANY(%(ids)s::bigint[])"
            f" UNION SELECT d.listing_id FROM {DOCUMENT} d"
            " JOIN unnest(%(group_shops)s::bigint[], %(group_keys)s::varchar[])"
            " AS g(shop_id, title_key) ON d.shop_id = g.shop_id AND d.title_key = g.title_key"
        )
        with connection.cursor() as cursor:
            cursor.execute(_SIGNALS.format(target=target), params)
            return cursor.rowcount
    with transaction.atomic(), connection.cursor() as cursor:
        _tier_thresholds_set()
        cursor.execute(_SIGNALS.format(target=f"SELECT listing_id FROM {DOCUMENT}"), params)
        updated = cursor.rowcount
        _tier_shares_set()
    return updated


def _tier_thresholds_set() -> None:
    """Each tier's threshold: the quality of the document at its share from the top, among the
    documents as they are now; tiers beyond ``QUALITY_TIERS`` go."""
    shares = list(search_setting("QUALITY_TIERS"))
    assert len(shares) <= MAX_TIERS, f"at most {MAX_TIERS} quality tiers"
    table = QualityTier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE level > %s", [len(shares)])
        cursor.execute(
            f"""
            INSERT INTO {table} (level, threshold, share)
            SELECT t.level, t.threshold, t.share
              FROM (SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY quality) AS q
                      FROM {DOCUMENT}) cut,
                   unnest(cut.q, %s::float8[]) WITH ORDINALITY AS t(threshold, share, level)
             WHERE t.threshold IS NOT NULL
            ON CONFLICT (level) DO UPDATE
               SET threshold = EXCLUDED.threshold, share = EXCLUDED.share
            """,
            [[1 - share for share in shares], shares],
        )


def _tier_shares_set() -> None:
    """Each tier's share of the documents as they now are; searches read the tiers anew once
    this commits. The last step of setting the tiers."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {QualityTier._meta.db_table} t
               SET share = (SELECT count(*) FROM {DOCUMENT} d WHERE d.quality >= t.threshold)
                           / GREATEST((SELECT count(*) FROM {DOCUMENT}), 1)::float8
            """
        )
    # After the commit: a search in between would cache the tiers as they were.
    transaction.on_commit(lambda: cache.delete(TIERS_CACHE_KEY))


def quality_tiers_refresh() -> int:
    """Set the tiers' thresholds from the documents' qualities as they are and give every
    document the words of its tiers (the full ``signals_refresh`` does this on its way; this is
    for qualities written by other means). Returns the number of documents whose tier changed."""
    with transaction.atomic(), connection.cursor() as cursor:
        _tier_thresholds_set()
        cursor.execute(
            f"UPDATE {DOCUMENT} d SET {TIER_SET.format(tier='t.tier')}"
            f" FROM (SELECT listing_id, {TIER_OF.format(quality='quality')} AS tier"
            f" FROM {DOCUMENT}) t WHERE t.listing_id = d.listing_id AND d.quality_tier <> t.tier",
            {"tier_words": TIER_WORDS},
        )
        changed = cursor.rowcount
        _tier_shares_set()
    return changed


# --- Draining the dirty marks ----------------------------------------------------------------


def _claim(model: type[DirtyListing] | type[DirtyShop], column: str, limit: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} IN ("
            f"SELECT {column} FROM {table} ORDER BY marked_at LIMIT %s FOR UPDATE SKIP LOCKED"
            f") RETURNING {column}",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def dirty_drain(*, batches: int | None = None) -> int:
    """Reindex what the triggers marked, a batch per transaction, until nothing is left (or
    ``batches`` ran). Shops expand to their listings first. Returns listings reindexed."""
    size = search_setting("DRAIN_BATCH")
    done = 0
    ran = 0
    while batches is None or ran < batches:
        ran += 1
        with transaction.atomic():
            shops = _claim(DirtyShop, "shop_id", 100)
            if shops:
                listing_ids = list(
                    Listing.objects.filter(shop_id__in=shops).values_list("pk", flat=True)
                )
                DirtyListing.objects.bulk_create(
                    [DirtyListing(listing_id=pk) for pk in listing_ids], ignore_conflicts=True
                )
            claimed = _claim(DirtyListing, "listing_id", size)
            if not claimed and not shops:
                break
            indexed, removed = documents_rebuild(claimed)
            done += indexed + removed
    return done


def shop_penalties_expire() -> int:
    """Shops whose search penalty has ended come back: mark them dirty."""
    now = timezone.now()
    ended = list(
        Shop.objects.filter(search_hidden_until__lte=now, status=Shop.Status.ACTIVE)
        .filter(~Q(pk__in=SearchDocument.objects.values("shop_id")))
        .values_list("pk", flat=True)[:1000]
    )
    DirtyShop.objects.bulk_create([DirtyShop(shop_id=pk) for pk in ended], ignore_conflicts=True)
    return len(ended)


def vocabulary_refresh() -> int:
    """Recount the title vocabulary from the documents; words no title has any more leave it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH counted AS (
                SELECT word, count(DISTINCT d.listing_id) AS documents
                FROM {DOCUMENT} d, unnest(string_to_array(d.title_words, ' ')) AS word
                WHERE length(word) BETWEEN 2 AND 60
                GROUP BY word
            ), gone AS (
                DELETE FROM {WORD} w
                WHERE NOT EXISTS (SELECT FROM counted WHERE counted.word = w.word)
            )
            INSERT INTO {WORD} (word, document_count, is_latin)
            SELECT word, documents, word !~ %s FROM counted
            ON CONFLICT (word) DO UPDATE SET document_count = EXCLUDED.document_count
            WHERE {WORD}.document_count <> EXCLUDED.document_count
            """,
            [f"[{CJK}]"],
        )
        return cursor.rowcount


@dataclass(frozen=True)
class ReindexResult:
    indexed: int
    removed: int
    seconds: float


class _Progress(Protocol):
    total: float | None

    def update(self, n: float = 1) -> bool | None: ...


def search_reindex(*, batch: int = 1000, progress: _Progress | None = None) -> ReindexResult:
    """Rebuild every document (listings in id order, a transaction per batch), drop documents of
    listings that no longer exist, then refresh every signal and the vocabulary."""
    started = time.monotonic()
    listings = Listing.objects.order_by("pk").values_list("pk", flat=True)
    if progress is not None:
        progress.total = listings.count()
    indexed = removed = 0
    last = 0
    while True:
        ids = list(listings.filter(pk__gt=last)[:batch])
        if not ids:
            break
        done, gone = documents_rebuild(ids)
        indexed, removed, last = indexed + done, removed + gone, ids[-1]
        if progress is not None:
            progress.update(len(ids))
    orphans, _ = SearchDocument.objects.exclude(listing__in=Listing.objects.all()).delete()
    signals_refresh()
    vocabulary_refresh()
    return ReindexResult(indexed, removed + orphans, time.monotonic() - started)
