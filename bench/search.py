"""Benchmark: search latency at 1,000,000 listings, blended ranking against naive ``ts_rank``.

Targets (issue): top 20 by blended relevance with p95 ≤ 50 ms and p99 ≤ 150 ms at 4 concurrent
clients, the commonest terms included, and ≥ 5× faster than the naive query at p99 in the same run.

Seeds a fresh database ``marketplace_bench_search`` (on the server of ``DATABASE_URL``) set-based,
with ``INSERT … SELECT`` from ``generate_series`` copying one template row per table made by the
factories: 10,000 active shops (random credit grade, good rate, DSR; 2% with violation points) in
20 cities, a tree of 10 + 190 categories, and 1,000,000 active, published listings of one SKU each
(random price, stock and shipping method) in shops of skewed size. Titles are 6–12 words drawn
from a Zipf distribution (s = 1.1) over a vocabulary of 50,000 words: 70% of titles from 35,000
pseudo-English words (cut at a word boundary to fit 60 characters), 30% from 15,000 Chinese words
of 2–3 common characters (jieba's dictionary words, in its frequency order), space-separated;
descriptions are 4–8 more words of the same language.

Search documents are built in SQL with the same columns and weights as ``_UPSERT`` in
``search.services.indexing`` (each Chinese vocabulary word carries its jieba search-mode
segmentation, computed once), then ``signals_refresh()`` and ``vocabulary_refresh()``: the real
indexer would take about half an hour for a million on 2 cores. It is timed instead re-indexing
3,000 listings of the full table (``documents_rebuild`` in batches of 1,000, as
``search_reindex`` runs it), and its documents must equal the SQL-built ones. There are no
orders: the 30-day sales are set directly in the documents with SQL (60% none, the rest
log-uniform up to ~2,000) and the quality recomputed with ``quality_sql``, so quality varies
realistically. No near-duplicate titles are generated.

Queries, by the documents' real counts: the commonest (top 3 English and top 2 Chinese title
words, and a pair of the top English words), mid-frequency (matching 0.1–1% of documents) and
rare (< 100 documents), each with Chinese and English words and two-word queries. Each class is
measured with ``listing_search(with_facets=False)`` (the blended plan, chosen by term
statistics) and with ``plan="exact"`` (the naive plan: ``ORDER BY`` blended ``ts_rank`` over every
match), at 1 and at 4 concurrent clients (processes, each with its own connection, closed loop),
after a warm-up; and, for information, with facets at 1 client.

    flock /tmp/bench.lock python -m marketplace.devenv bench bench/search.py [--reuse]

``--reuse`` measures again on the database a previous run left (no seeding).
"""

import argparse
import json
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")

from bench.common import bench_database, clone, fresh_database, with_database

NAME = bench_database("marketplace_bench_search")
PARSER = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
PARSER.add_argument("--reuse", action="store_true", help="measure the data of a previous run")
PARSER.add_argument("--listings", type=int, default=1_000_000)
PARSER.add_argument("--shops", type=int, default=10_000)
PARSER.add_argument("--queries", type=int, default=400, help="per class and configuration")
PARSER.add_argument("--naive-seconds", type=float, default=60, help="budget per naive run")
PARSER.add_argument("--sample", type=int, default=3000, help="listings the real indexer times")
OPTIONS = PARSER.parse_args()

if OPTIONS.reuse:
    os.environ["DATABASE_URL"] = with_database(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/marketplace"), NAME
    )
else:
    os.environ["DATABASE_URL"] = fresh_database(NAME)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg2.extras import execute_values  # noqa: E402

from search.selectors import SearchQuery, listing_search  # noqa: E402
from search.services.indexing import (  # noqa: E402
    TIER_WORDS,
    documents_rebuild,
    quality_params,
    quality_sql,
    quality_tiers_refresh,
    signals_refresh,
    vocabulary_refresh,
)
from search.text import words  # noqa: E402
from shops.models import Listing, Shop  # noqa: E402
from tests.factories import ShopFactory, make_category, make_listing, make_place  # noqa: E402

FIRST = 1_000  # seeded rows' ids: this plus 1, 2, … (above the factories' template rows)
OWNER = 1_000_000  # seeded owners' user ids: this plus 1, 2, …
ENGLISH_WORDS, CHINESE_WORDS, ZIPF_S = 35_000, 15_000, 1.1
CHINESE_SHARE = 0.3
CITIES = [
    ("浙江省", "杭州市"), ("浙江省", "金华市"), ("广东省", "广州市"), ("广东省", "深圳市"),
    ("江苏省", "苏州市"), ("江苏省", "南京市"), ("福建省", "泉州市"), ("福建省", "厦门市"),
    ("上海市", "上海市"), ("北京市", "北京市"), ("山东省", "青岛市"), ("山东省", "临沂市"),
    ("河北省", "石家庄市"), ("河南省", "郑州市"), ("湖北省", "武汉市"), ("四川省", "成都市"),
    ("安徽省", "合肥市"), ("湖南省", "长沙市"), ("辽宁省", "沈阳市"), ("云南省", "昆明市"),
]  # fmt: skip


def run(statement: str, params: Any = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def say(message: str) -> None:
    print(message, flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


# --- Vocabulary -------------------------------------------------------------------------------


def english_candidates(count: int, rng: random.Random) -> list[str]:
    """Pronounceable pseudo-words of 3–8 letters (none a real stop word: checked in SQL)."""
    onsets = "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr st tr sh ch th".split()  # noqa: SIM905
    vowels = "a e i o u ai ea ee oa oo ou".split()  # noqa: SIM905
    codas = ["", "", "", "n", "r", "l", "m", "s", "t", "k", "nd", "rt", "st", "x"]
    seen: set[str] = set()
    result: list[str] = []
    while len(result) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.choice((1, 2, 2, 3)))
        ) + rng.choice(codas)
        if 3 <= len(word) <= 8 and word not in seen:
            seen.add(word)
            result.append(word)
    return result


def chinese_words(count: int) -> list[str]:
    """jieba dictionary words of 2–3 characters made of the 1,500 commonest characters, the
    most frequent first."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    entries: list[tuple[str, int]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, count_text, *_ = line.split(" ")
        entries.append((text, int(count_text)))
    by_char: Counter[str] = Counter()
    for word, frequency in entries:
        for char in word:
            by_char[char] += frequency
    common = {char for char, _ in by_char.most_common(1500)}
    chosen = [
        (frequency, word)
        for word, frequency in entries
        if 2 <= len(word) <= 3 and all(char in common for char in word)
        and all("\u4e00" <= char <= "\u9fff" for char in word)
    ]  # fmt: skip
    chosen.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in chosen[:count]]


def vocabulary_seed() -> list[str]:
    """Table ``bench_vocab`` (cjk, rank, word, seg): seg is the word's words as the indexer
    sees them (jieba search mode for Chinese). Returns 200 more English words for categories."""
    rng = random.Random(20261123)  # noqa: S311
    run("CREATE TABLE bench_candidate (n int, word text)")
    candidates = english_candidates(ENGLISH_WORDS + 2_000, rng)
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor, "INSERT INTO bench_candidate VALUES %s", list(enumerate(candidates))
        )
    # One word per stem, none a stop word.
    kept = run(
        "SELECT word FROM (SELECT DISTINCT ON (lexeme) n, word FROM (SELECT n, word,"
        " strip(to_tsvector('english', word))::text AS lexeme FROM bench_candidate) c"
        " WHERE lexeme <> '' AND lexeme NOT LIKE '% %' ORDER BY lexeme, n) k ORDER BY n"
    )
    english = [word for (word,) in kept]
    assert len(english) >= ENGLISH_WORDS + 200, len(english)
    chinese = chinese_words(CHINESE_WORDS)
    rows = [(False, rank, word, word) for rank, word in enumerate(english[:ENGLISH_WORDS], 1)]
    rows += [(True, rank, word, " ".join(words(word))) for rank, word in enumerate(chinese, 1)]
    run(
        "CREATE TABLE bench_vocab (cjk bool, rank int, word text, seg text,"
        " PRIMARY KEY (cjk, rank))"
    )
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, "INSERT INTO bench_vocab VALUES %s", rows)
    run("DROP TABLE bench_candidate")
    return english[ENGLISH_WORDS : ENGLISH_WORDS + 200]


# --- Seeding ----------------------------------------------------------------------------------


# Per listing: its language, shop (skewed: a few shops have thousands), leaf category, price,
# stock, shipping, age; per word slot a Zipf rank by the inverse CDF of the continuous power law.
GENERATE_SQL = """
CREATE UNLOGGED TABLE bench_listing AS
WITH listing AS (
    SELECT n, random() < %(chinese_share)s AS cjk, 6 + floor(random() * 7)::int AS title_words,
        4 + floor(random() * 5)::int AS description_words,
        1 + floor(%(shops)s * random() ^ 2)::int AS shop,
        1 + floor(%(leaves)s * random() ^ 1.5)::int AS leaf,
        round((1.5 + exp(random() * 7))::numeric, 2) AS price,
        CASE WHEN random() < 0.05 THEN 0 ELSE 1 + floor(random() * 500)::int END AS stock,
        CASE WHEN random() < 0.85 THEN 'express' WHEN random() < 0.67 THEN 'post'
             ELSE 'virtual' END AS shipping_method,
        %(now)s - interval '1 day' * 400 * random() ^ 2 AS published_at
    FROM generate_series(1, %(listings)s) n
), slot AS (
    SELECT l.n, l.cjk, k, k <= l.title_words AS in_title,
        least(CASE WHEN l.cjk THEN %(chinese)s ELSE %(english)s END, floor(power(
            1 - random() * (1 - power(CASE WHEN l.cjk THEN %(chinese)s ELSE %(english)s END + 1,
                                      1 - %(s)s)),
            1 / (1 - %(s)s))))::int AS rank
    FROM listing l, generate_series(1, l.title_words + l.description_words) k
), worded AS (
    SELECT s.n, s.k, s.in_title, v.word, v.seg, sum(length(v.word) + 1) OVER (
        PARTITION BY s.n, s.in_title ORDER BY s.k) AS used
    FROM slot s JOIN bench_vocab v ON v.cjk = s.cjk AND v.rank = s.rank
)
SELECT l.*, w.title, w.title_seg, w.description, w.description_seg
FROM listing l JOIN (
    SELECT n,
        string_agg(word, ' ' ORDER BY k) FILTER (WHERE in_title AND used <= 61) AS title,
        string_agg(seg, ' ' ORDER BY k) FILTER (WHERE in_title AND used <= 61) AS title_seg,
        string_agg(word, ' ' ORDER BY k) FILTER (WHERE NOT in_title) AS description,
        string_agg(seg, ' ' ORDER BY k) FILTER (WHERE NOT in_title) AS description_seg
    FROM worded GROUP BY n
) w ON w.n = l.n
"""

# The documents as ``_UPSERT`` writes them, from the generated words (already segmented).
DOCUMENTS_SQL = """
INSERT INTO search_searchdocument (
    listing_id, shop_id, category_id, category_path, province, city, shipping_method,
    price_min, price_max, in_stock, published_at, title_key, cover_fingerprint, title_words,
    document, seller_level, seller_score, sales_30d, violation_points, is_duplicate, quality,
    quality_tier, indexed_at
)
SELECT %(first)s + b.n, %(first)s + b.shop, c.id, c.path, shop.province, shop.city,
    b.shipping_method, b.price, b.price, b.stock > 0, b.published_at,
    left(array_to_string(ARRAY(
        SELECT DISTINCT w COLLATE "C" FROM unnest(string_to_array(b.title_seg, ' ')) w
        WHERE w <> ALL(%(variant_words)s) ORDER BY 1), ' '), 200),
    '', b.title_seg,
    setweight(to_tsvector('english', b.title_seg || ' ' || coalesce((
        SELECT string_agg(ch, ' ' ORDER BY first) FROM (
            SELECT ch, min(o) AS first FROM regexp_split_to_table(b.title, '') WITH ORDINALITY
                AS x(ch, o) WHERE ch ~ %(cjk)s GROUP BY ch) chars), '')), 'A')
    || setweight(to_tsvector('english', c.names), 'B')
    || setweight(to_tsvector('english', ''), 'C')
    || setweight(to_tsvector('english', coalesce(b.description_seg, '')), 'D'),
    0, 0, 0, 0, false, 0, 0, now()
FROM bench_listing b
JOIN bench_category c ON c.leaf = b.leaf
JOIN shops_shop shop ON shop.id = %(first)s + b.shop
WHERE b.n BETWEEN %(low)s AND %(high)s
"""


def seed(shops: int, listings: int) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    started = time.perf_counter()
    category_words = vocabulary_seed()
    places = [make_place(names) for names in CITIES]
    roots = [category_words[k].title() for k in range(10)]
    leaves = [make_category(roots[k % 10], category_words[10 + k].title()) for k in range(190)]
    template = make_listing(cast(Shop, ShopFactory(place=places[0])), category=leaves[0])
    sku = template.skus.get()
    run(
        "CREATE TABLE bench_category AS SELECT k AS leaf, c.id, c.path"
        " FROM unnest(%s::bigint[]) WITH ORDINALITY AS u(id, k) JOIN shops_category c"
        " ON c.id = u.id",
        [[leaf.pk for leaf in leaves]],
    )
    names = {
        leaf.pk: " ".join(words(f"{roots[k % 10]} {leaf.name}")) for k, leaf in enumerate(leaves)
    }
    run("ALTER TABLE bench_category ADD COLUMN names text")
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE bench_category SET names = %s WHERE id = %s",
            [(text, pk) for pk, text in names.items()],
        )
    now = timezone.now()
    run("SET work_mem = '512MB'")
    run("SELECT setseed(0.42)")
    run(GENERATE_SQL, {
        "chinese_share": CHINESE_SHARE, "shops": shops, "leaves": len(leaves), "now": now,
        "listings": listings, "chinese": CHINESE_WORDS, "english": ENGLISH_WORDS, "s": ZIPF_S,
    })  # fmt: skip
    facts["generate_s"] = time.perf_counter() - started
    say(f"  words drawn for {listings:,} titles and descriptions: {facts['generate_s']:.0f} s")

    started = time.perf_counter()
    place_ids = [place.pk for place in places]
    year = now.year
    uuid = "gen_random_uuid()"
    with transaction.atomic():
        run("SET LOCAL session_replication_role = replica")  # no dirty marks, no FK re-checks
        clone("accounts_user", template.shop.owner_id, "generate_series(1, %(shops)s) s", {
            "id": f"{OWNER} + s", "username": "'b-owner' || s", "public_id": uuid,
            "email": "'b-owner' || s || '@bench.test'"}, shops=shops)  # fmt: skip
        clone("shops_shop", template.shop_id, "generate_series(1, %(shops)s) s", {
            "id": f"{FIRST} + s", "owner_id": f"{OWNER} + s", "name": "'Bench shop ' || s",
            "slug": "'bench-shop-' || s",
            "place_id": "(%(places)s::bigint[])[1 + s %% %(n_places)s]",
            "province": "(%(provinces)s::text[])[1 + s %% %(n_places)s]",
            "city": "(%(cities)s::text[])[1 + s %% %(n_places)s]",
            "credit_level": "floor(21 * random() ^ 1.6)",
            "credit_score": "floor(500000 * random() ^ 6)",
            "good_rate": "CASE WHEN random() < 0.1 THEN NULL"
                         " ELSE round((1 - 0.12 * random() ^ 3)::numeric, 4) END",
            "violation_points": "CASE WHEN random() < 0.02 THEN 2 + floor(random() * 10)"
                                " ELSE 0 END",
            "violation_year": "%(year)s",
            "status": "'active'", "search_hidden_until": "NULL"},
            shops=shops, places=place_ids, n_places=len(places),
            provinces=[p for p, _ in CITIES], cities=[c for _, c in CITIES],
            year=year)  # fmt: skip
        run(
            "INSERT INTO ratings_sellercredit (shop_id, score, good, neutral, bad, dsr_count,"
            " dsr_described_sum, dsr_attitude_sum, dsr_shipping_sum)"
            " SELECT id, credit_score, 0, 0, 0, d, round(d * (4.2 + 0.8 * random())),"
            " round(d * (4.2 + 0.8 * random())), round(d * (4.2 + 0.8 * random()))"
            " FROM (SELECT id, credit_score, 1 + floor(5000 * random() ^ 3)::int AS d"
            " FROM shops_shop WHERE id > %s AND random() < 0.8) s",
            [FIRST],
        )
        clone("shops_listing", template.pk, "bench_listing b", {
            "id": f"{FIRST} + b.n", "public_id": uuid, "shop_id": f"{FIRST} + b.shop",
            "category_id": "(SELECT id FROM bench_category c WHERE c.leaf = b.leaf)",
            "title": "b.title", "description": "coalesce(b.description, '')",
            "shipping_method": "b.shipping_method", "shipping_fee": "0",
            "variant_attributes": "'[]'::jsonb", "status": "'active'",
            "price_min": "b.price", "price_max": "b.price", "total_stock": "b.stock",
            "created_at": "b.published_at", "updated_at": "b.published_at",
            "published_at": "b.published_at"})  # fmt: skip
        clone("shops_sku", sku.pk, "bench_listing b", {
            "id": f"{FIRST} + b.n", "public_id": uuid, "listing_id": f"{FIRST} + b.n",
            "attributes": "'{}'::jsonb", "price": "b.price", "stock": "b.stock"})  # fmt: skip
        run("DELETE FROM search_dirtylisting")
        run("DELETE FROM search_dirtyshop")
    run("DELETE FROM search_searchdocument")  # the template listing's
    run("DELETE FROM shops_shopevent WHERE listing_id = %s", [template.pk])
    run("DELETE FROM shops_sku WHERE listing_id = %s", [template.pk])
    run("DELETE FROM shops_listing WHERE id = %s", [template.pk])
    run("DELETE FROM search_dirtylisting")
    run("VACUUM ANALYZE shops_listing")
    run("VACUUM ANALYZE shops_sku")
    facts["rows_s"] = time.perf_counter() - started
    say(f"  users, shops, listings and SKUs inserted: {facts['rows_s']:.0f} s")

    started = time.perf_counter()
    indexes = run(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = 'search_searchdocument'"
        " AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexname::regclass)"
    )
    for name, _ in indexes:
        run(f'DROP INDEX "{name}"')
    from search.conf import search_setting

    step = 100_000
    for low in range(1, listings + 1, step):
        run(DOCUMENTS_SQL, {
            "first": FIRST, "low": low, "high": low + step - 1,
            "variant_words": list(search_setting("VARIANT_WORDS")),
            "cjk": "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]",
        })  # fmt: skip
    facts["documents_s"] = time.perf_counter() - started
    say(f"  {listings:,} documents built in SQL: {facts['documents_s']:.0f} s")
    started = time.perf_counter()
    signals_refresh()
    # No orders: 30-day sales set directly (see the docstring), then quality recomputed.
    params = quality_params()
    run(
        "UPDATE search_searchdocument SET sales_30d = CASE WHEN random() < 0.6 THEN 0"
        " ELSE floor(exp(random() * 7.6))::int END"
    )
    run(
        f"UPDATE search_searchdocument d SET quality = {quality_sql('d')}"  # noqa: S608
        " - CASE WHEN d.is_duplicate THEN %(w_duplicate)s ELSE 0 END",
        params,
    )
    quality_tiers_refresh()
    facts["signals_s"] = time.perf_counter() - started
    say(f"  signals_refresh, sales set, quality and tiers recomputed: {facts['signals_s']:.0f} s")
    started = time.perf_counter()
    run("VACUUM FULL search_searchdocument")
    run("SET maintenance_work_mem = '1GB'")
    for _, definition in indexes:
        run(definition)
    facts["indexes_s"] = time.perf_counter() - started
    say(
        f"  VACUUM FULL and {len(indexes)} indexes (GIN included) built: {facts['indexes_s']:.0f} s"
    )
    started = time.perf_counter()
    vocabulary_refresh()
    run("VACUUM ANALYZE")
    facts["vocabulary_s"] = time.perf_counter() - started
    say(f"  vocabulary_refresh and VACUUM ANALYZE: {facts['vocabulary_s']:.0f} s")
    indexer_sample(facts, listings)
    return facts


def indexer_sample(facts: dict[str, Any], listings: int) -> None:
    """The real indexer (``documents_rebuild``, as ``search_reindex`` calls it: batches of
    1,000 in id order) over a run of listings in the middle of the full table: its rate, and
    whether its documents equal the SQL-built ones. The sample's sales and quality are put back
    afterwards (the indexer's signal refresh finds no orders)."""
    middle = FIRST + listings // 2
    sample = list(
        Listing.objects.filter(pk__gt=middle)
        .order_by("pk")
        .values_list("pk", flat=True)[: OPTIONS.sample]
    )
    run(
        "CREATE TABLE bench_sql_document AS SELECT listing_id, document, title_key, title_words,"
        " sales_30d, quality, quality_tier FROM search_searchdocument WHERE listing_id = ANY(%s)",
        [sample],
    )
    started = time.perf_counter()
    for index in range(0, len(sample), 1000):
        documents_rebuild(sample[index : index + 1000])
    seconds = time.perf_counter() - started
    facts["indexer_rate"] = len(sample) / seconds
    facts["indexer_estimate_s"] = listings / facts["indexer_rate"]
    say(
        f"  real indexer (documents_rebuild, batches of 1,000) re-indexing {len(sample):,} of "
        f"the {listings:,}: {seconds:.1f} s = {facts['indexer_rate']:,.0f}/s, so about "
        f"{facts['indexer_estimate_s'] / 60:.0f} min for all (measured, not run: built in SQL)"
    )
    # Tier words follow quality, which the indexer computes without the seeded sales.
    mismatched = run(
        "SELECT count(*), count(*) FILTER ("
        "  WHERE ts_delete(s.document, %(tiers)s) <> ts_delete(d.document, %(tiers)s)),"
        " count(*) FILTER (WHERE s.title_key <> d.title_key),"
        " count(*) FILTER (WHERE s.title_words <> d.title_words)"
        " FROM bench_sql_document s JOIN search_searchdocument d USING (listing_id)",
        {"tiers": TIER_WORDS},
    )[0]
    facts["check"] = mismatched
    say(
        f"  the indexer's documents against the SQL-built ones: {mismatched[0]:,} compared, "
        f"{mismatched[1]} differ in document, {mismatched[2]} in title_key, {mismatched[3]} in "
        "title_words"
    )
    run(
        "UPDATE search_searchdocument d SET sales_30d = s.sales_30d, quality = s.quality,"
        " document = s.document, quality_tier = s.quality_tier"
        " FROM bench_sql_document s WHERE s.listing_id = d.listing_id"
    )
    run("VACUUM ANALYZE search_searchdocument")


# --- Queries ----------------------------------------------------------------------------------


def matches(text: str) -> int:
    """Documents a query matches, counted (the selector's own where clause)."""
    from search.selectors import tsquery_sql
    from search.text import query_words

    tsquery, params = tsquery_sql(query_words(text), {})
    sql = f"SELECT count(*) FROM search_searchdocument d WHERE d.document @@ {tsquery}"  # noqa: S608
    return int(run(sql, params)[0][0])


def query_classes(documents: int) -> dict[str, list[str]]:
    """Query texts by class, from the title vocabulary's document counts."""
    rng = random.Random(7)  # noqa: S311

    def pick(cjk: bool, low: int, high: int, count: int) -> list[str]:
        rows = run(
            "SELECT w.word FROM search_searchword w JOIN bench_vocab v ON v.word = w.word"
            " WHERE v.cjk = %s AND w.document_count BETWEEN %s AND %s ORDER BY w.word",
            [cjk, low, high],
        )
        found = [word for (word,) in rows]
        return rng.sample(found, min(count, len(found)))

    def top(cjk: bool, count: int) -> list[str]:
        rows = run(
            "SELECT w.word FROM search_searchword w JOIN bench_vocab v ON v.word = w.word"
            " WHERE v.cjk = %s ORDER BY w.document_count DESC, w.word LIMIT %s",
            [cjk, count],
        )
        return [word for (word,) in rows]

    english_top, chinese_top = top(False, 3), top(True, 2)
    commonest = [*english_top, *chinese_top, f"{english_top[0]} {english_top[1]}"]
    # Title counts whose matches (titles and descriptions) fall in 0.1–1% and under 100.
    low, high = documents // 1600, documents // 180
    mid_en, mid_zh = pick(False, low, high, 6), pick(True, low, high, 4)
    mid = [
        *mid_en[:5],
        *mid_zh[:3],
        f"{mid_en[5]} {english_top[2]}",
        f"{mid_zh[3]} {chinese_top[0]}",
    ]
    rare_en, rare_zh = pick(False, 2, 50, 6), pick(True, 2, 50, 4)
    rare = [
        *rare_en[:5],
        *rare_zh[:3],
        f"{rare_en[5]} {english_top[0]}",
        f"{rare_zh[3]} {mid_zh[0]}",
    ]
    # Not one of the classes: words in about 1–5% of documents, between mid and the
    # commonest, where a two-phase plan can neither walk the quality index cheaply nor afford
    # to visit every match.
    frequent = [
        *pick(False, documents // 120, documents // 35, 4),
        *pick(True, documents // 120, documents // 35, 2),
    ]
    return {"rare": rare, "mid": mid, "frequent (1–5%)": frequent, "commonest": commonest}


# --- Measuring --------------------------------------------------------------------------------


def one_search(text: str, plan: str, facets: bool) -> tuple[float, str]:
    started = time.perf_counter()
    result = listing_search(
        search=SearchQuery(text=text, page_size=20), with_facets=facets, plan=plan
    )
    tier = f" in tier {result.tier}" if result.tier else ""
    return (time.perf_counter() - started) * 1000, result.plan + tier


def client(
    texts: list[str], count: int, plan: str, facets: bool, seed: int, start: Any, out: Any
) -> None:
    """A closed-loop client in its own process and connection: ``count`` searches."""
    connections.close_all()
    rng = random.Random(seed)  # noqa: S311
    listing_search(search=SearchQuery(text=texts[0], page_size=20), with_facets=False)  # connect
    start.wait()
    times = []
    for _ in range(count):
        ms, _ = one_search(rng.choice(texts), plan, facets)
        times.append(ms)
    connections.close_all()
    out.put(times)


def measure(
    texts: list[str], total: int, clients: int, plan: str, facets: bool = False
) -> list[float]:
    """``total`` searches spread over ``clients`` concurrent processes; their times in ms."""
    context = multiprocessing.get_context("fork")
    connections.close_all()
    start = context.Barrier(clients)
    out = context.Queue()
    each = max(1, math.ceil(total / clients))
    processes = [
        context.Process(target=client, args=(texts, each, plan, facets, 1000 + k, start, out))
        for k in range(clients)
    ]
    for process in processes:
        process.start()
    times = [ms for _ in processes for ms in out.get()]
    for process in processes:
        process.join()
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def figures(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "max": max(times),
    }


def explain_slowest(texts: list[str], plan: str) -> None:
    """EXPLAIN ANALYZE of the statements one search of the slowest text runs."""
    slowest = max(texts, key=lambda text: min(one_search(text, plan, False)[0] for _ in range(3)))
    statements: list[tuple[str, Any]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        ms, chosen = one_search(slowest, plan, False)
    say(f"\nEXPLAIN ANALYZE of {slowest!r} ({plan or 'chosen'} → {chosen}, {ms:.1f} ms):")
    for sql, params in statements:
        if sql.lstrip().upper().startswith("EXPLAIN"):
            continue
        rows = run("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        total = next((r[0] for r in rows if r[0].startswith("Execution Time")), "")
        say(f"-- {' '.join(sql.split())[:150]}…  [{total}]")
        if "ts_rank" in sql or "count(*)" in sql or len(rows) < 40:
            for (line,) in rows:
                say("   " + line)


def main() -> None:
    say(f"bench/search.py at {time.strftime('%H:%M:%S UTC', time.gmtime())}: {load()}")
    facts: dict[str, Any] = {}
    if OPTIONS.reuse:
        stored = run("SELECT facts FROM bench_meta")
        facts = json.loads(stored[0][0])
        say(f"Reusing {NAME} (seeded earlier: generation figures below are from that run)")
    else:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        say(f"Seeding {NAME}:")
        facts = seed(OPTIONS.shops, OPTIONS.listings)
        facts["seed_total_s"] = time.perf_counter() - started
        run("CREATE TABLE bench_meta (facts text)")
        run("INSERT INTO bench_meta VALUES (%s)", [json.dumps(facts)])
        say(f"Seeded in {facts['seed_total_s'] / 60:.1f} min (not a target)")
    documents = int(run("SELECT count(*) FROM search_searchdocument")[0][0])
    sizes = run(
        "SELECT pg_size_pretty(pg_table_size('search_searchdocument')),"
        " pg_size_pretty(pg_relation_size('search_doc_document_gin')),"
        " pg_size_pretty(pg_total_relation_size('search_searchdocument')),"
        " (SELECT count(*) FROM search_searchword),"
        " (SELECT count(*) FROM shops_shop), (SELECT count(*) FROM shops_category)"
    )[0]
    say(
        f"{documents:,} documents; table {sizes[0]}, GIN index {sizes[1]}, with all indexes "
        f"{sizes[2]}; {sizes[3]:,} title words; {sizes[4]:,} shops; {sizes[5]} categories"
    )
    say(
        f"indexing: the real indexer ran at {facts['indexer_rate']:,.0f} listings/s "
        f"(≈ {facts['indexer_estimate_s'] / 60:.0f} min for {documents:,}); the SQL build took "
        f"{facts['documents_s']:.0f} s + signals {facts['signals_s']:.0f} s + indexes "
        f"{facts['indexes_s']:.0f} s + vocabulary {facts['vocabulary_s']:.0f} s; sample check "
        f"(compared, differing documents/keys/words) {facts['check']}"
    )
    say("30-day sales were set directly in the documents with SQL (no orders), quality recomputed")
    stats = run(
        "SELECT round(avg(quality)::numeric, 3), round(stddev(quality)::numeric, 3),"
        " round(min(quality)::numeric, 3), round(max(quality)::numeric, 3),"
        " count(*) FILTER (WHERE sales_30d > 0), count(*) FILTER (WHERE violation_points > 0),"
        " count(*) FILTER (WHERE is_duplicate) FROM search_searchdocument"
    )[0]
    say(
        f"quality mean {stats[0]} sd {stats[1]} range {stats[2]}–{stats[3]}; {stats[4]:,} with "
        f"sales, {stats[5]:,} in shops with violation points, {stats[6]:,} near-duplicates"
    )

    classes = query_classes(documents)
    say("\nQueries (matching documents, counted; plan chosen by listing_search):")
    plans: dict[str, Counter[str]] = defaultdict(Counter)
    for name, texts in classes.items():
        described = []
        for text in texts:
            _, chosen = one_search(text, "", False)
            plans[name][chosen] += 1
            described.append(f"{text} ({matches(text):,}, {chosen})")
        say(f"  {name:<16} " + "; ".join(described))

    # Warm-up: every text with both plans, twice.
    started = time.perf_counter()
    warm: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _ in range(2):
        for name, texts in classes.items():
            for text in texts:
                for plan in ("", "exact"):
                    warm[(name, plan)].append(one_search(text, plan, False)[0])
    say(f"warm-up: {time.perf_counter() - started:.0f} s")

    results: dict[tuple[str, str, int], dict[str, float]] = {}
    pooled: dict[tuple[str, int], list[float]] = defaultdict(list)
    say(f"\nTop 20 by blended relevance, ms ({load()}):")
    columns = ("n", "p50", "p95", "p99", "max")
    say(f"{'class':<16} {'plan':<28} {'clients':>7} " + " ".join(f"{c:>8}" for c in columns))
    for clients in (1, 4):
        for name, texts in classes.items():
            for plan, label in (("", "blended (chosen plan)"), ("exact", "naive ts_rank (exact)")):
                total = OPTIONS.queries
                if plan == "exact":
                    # A run of about --naive-seconds: n × mean / min(clients, cores) of wall time.
                    mean_ms = statistics.mean(warm[(name, plan)])
                    parallel = min(clients, os.cpu_count() or 1)
                    budget = OPTIONS.naive_seconds * 1000 * parallel / mean_ms
                    total = max(40, min(OPTIONS.queries, int(budget)))
                times = measure(texts, total, clients, plan)
                stats_ = figures(times)
                results[(name, plan, clients)] = stats_
                pooled[(plan, clients)].extend(times)
                say(
                    f"{name:<16} {label:<28} {clients:>7} {stats_['n']:>8} {stats_['p50']:8.1f} "
                    f"{stats_['p95']:8.1f} {stats_['p99']:8.1f} {stats_['max']:8.1f}"
                )
    say(f"(after the runs: {load()})")

    say("\nSpeed-up at p99 (naive / blended):")
    for clients in (1, 4):
        parts = []
        for name in classes:
            fast, naive = results[(name, "", clients)], results[(name, "exact", clients)]
            parts.append(f"{name} {naive['p99'] / fast['p99']:.1f}×")
        say(f"  {clients} client{'s' if clients > 1 else ' '}: " + ", ".join(parts))

    say("\nWith facets (with_facets=True), blended plan, 1 client, ms:")
    for name, texts in classes.items():
        mean_ms = statistics.mean(one_search(text, "", True)[0] for text in texts)
        total = max(20, min(100, int(30_000 / mean_ms)))
        stats_ = figures(measure(texts, total, 1, "", facets=True))
        say(
            f"  {name:<16} n {stats_['n']:>4}  p50 {stats_['p50']:8.1f}  p95 {stats_['p95']:8.1f}"
            f"  p99 {stats_['p99']:8.1f}"
        )

    say("\nTargets (4 clients):")
    verdicts = []
    for name in classes:
        fast, naive = results[(name, "", 4)], results[(name, "exact", 4)]
        verdicts.append((f"{name}: p95 ≤ 50 ms", fast["p95"] <= 50, f"{fast['p95']:.1f} ms"))
        verdicts.append((f"{name}: p99 ≤ 150 ms", fast["p99"] <= 150, f"{fast['p99']:.1f} ms"))
        speedup = naive["p99"] / fast["p99"]
        verdicts.append((f"{name}: ≥ 5× naive at p99", speedup >= 5, f"{speedup:.1f}×"))
    fast_all, naive_all = figures(pooled[("", 4)]), figures(pooled[("exact", 4)])
    speedup = naive_all["p99"] / fast_all["p99"]
    verdicts.append(("all classes pooled: ≥ 5× naive at p99", speedup >= 5, f"{speedup:.1f}×"))
    for label, met, figure in verdicts:
        say(f"  {label:<44} {'met' if met else 'MISSED':<7} {figure}")
    say("  (for rare terms both plans are the exact one: no speed-up is expected there;")
    say(
        "  'frequent (1–5%)' is not one of the issue's classes, added to show the plan's weak band)"
    )

    slowest = max(classes, key=lambda name: results[(name, "", 4)]["p99"])
    explain_slowest(classes[slowest], "")
    say(f"\nfinished at {time.strftime('%H:%M:%S UTC', time.gmtime())}: {load()}")


if __name__ == "__main__":
    main()
