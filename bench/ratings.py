"""Benchmark: the nightly credit rebuild and the incremental update of one rating (issue 7).

Targets: a full rebuild of 1,000,000 ratings across 10,000 shops in 60 s or less, and 5 ms or
less of database time to update the figures for one changed rating.

Seeds a fresh database ``marketplace_bench_ratings`` (on the server of ``DATABASE_URL``) with
``INSERT … SELECT`` from ``generate_series``, copying one template row per table made by the
factories: 10,000 shops of 5 listings, 200,000 buyers, 1,000,000 completed orders of one line over
the last 12 months (6% between 1,500 buyer-shop pairs of 40 orders, so the monthly pair cap and the
14-day same-listing rule bite; 3% of 1.00 or less) and 1,000,000 ratings (buyers rate 70% of the
orders, 90% good, with DSR; sellers 30%, a third of them default ratings; some pending, revised,
deleted or removed). The orders have no payments or ledger entries: ratings never read them, so
the ledger invariants are neither needed nor checked here. Then it measures

  (a) ``credit_rebuild()`` over ratings never counted (every rating changes), again with nothing
      changed (the nightly case), each with its slow statements, and ``credit_differences()``;
  (b) about 200 single-rating changes through the services (``rating_revise``, ``rating_remove``,
      ``rating_submit`` by both sides of new orders), mostly in pairs of dozens of ratings. DB time
      is the sum of the round trips of the statements a change ran, timed in this process with
      ``connection.execute_wrapper`` (the server has no ``pg_stat_statements``), without and with
      its COMMIT; then that the incrementally kept figures still equal a rebuild.

    make bench      (or: python -m marketplace.devenv bench bench/ratings.py [--orders 1000000])
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")

from bench.common import clone, fresh_database

os.environ["DATABASE_URL"] = fresh_database("marketplace_bench_ratings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from escrow.models import Checkout, Order, OrderLine  # noqa: E402
from marketplace.accounts.models import User  # noqa: E402
from ratings.models import Rating  # noqa: E402
from ratings.services.ratings import DSR, rating_remove, rating_revise, rating_submit  # noqa: E402
from ratings.services.rebuild import credit_differences, credit_rebuild  # noqa: E402
from shops.models import Listing, Shop  # noqa: E402
from tests.factories import ShopFactory, UserFactory, make_category, make_listing  # noqa: E402

OWNER, BUYER = 1_000_000, 2_000_000  # seeded users' ids: these plus 1, 2, …
FIRST = 1_000  # other seeded rows' ids: this plus 1, 2, … (above the factories' template rows)
ITEMS = 5  # listings per shop
HEAVY_SHARE, HEAVY_ORDERS = 0.06, 40  # of the orders, between pairs of this many orders each


# --- Seeding ----------------------------------------------------------------------------------


# One row per order, numbered by time: the heavy pairs' orders fall within 90 days (their start
# 0 to 261 days back by pair); the others within 359 days, 30% from the buyer's favourite shop
# and the rest skewed towards popular shops.
PLAN_SQL = """
    CREATE TEMP TABLE plan AS
    SELECT row_number() OVER (ORDER BY created_at) AS n, *,
           created_at + interval '5 days' AS completed_at,
           created_at + interval '20 days' AS window_ends_at,
           created_at + interval '5 days' + random() * least(interval '14 days',
               %(now)s - created_at - interval '5 days') AS buyer_rated_at,
           created_at + interval '5 days' + random() * least(interval '14 days',
               %(now)s - created_at - interval '5 days') AS seller_rated_at,
           CASE WHEN random() < 0.90 THEN 1 WHEN random() < 0.6 THEN 0 ELSE -1 END AS buyer_value,
           CASE WHEN random() < 0.97 THEN 1 WHEN random() < 0.6 THEN 0 ELSE -1 END AS seller_value
      FROM (SELECT buyer, shop, item,
                   %(now)s - interval '6 days' - interval '1 day' * CASE WHEN heavy
                       THEN pair %% 30 * 9 + u_time * 90 ELSE u_time * 359 END AS created_at,
                   CASE WHEN u_total < 0.015 THEN 0.50 WHEN u_total < 0.03 THEN 1.00
                        ELSE round((5 + u_total * 300)::numeric, 2) END AS goods_total
              FROM (SELECT heavy, pair, u_time, u_total,
                           1 + floor(random() * %(items)s)::int AS item,
                           CASE WHEN heavy THEN 1 + pair ELSE buyer END AS buyer,
                           CASE WHEN heavy THEN 1 + pair * 7 %% %(shops)s
                                WHEN u_shop < 0.3 THEN 1 + buyer * 7919 %% %(shops)s
                                ELSE 1 + floor(%(shops)s * ((u_shop - 0.3) / 0.7) ^ 2)::int
                           END AS shop
                      FROM (SELECT g <= %(heavy_orders)s AS heavy, g %% %(heavy_pairs)s AS pair,
                                   1 + floor(random() * %(buyers)s)::int AS buyer,
                                   random() AS u_shop, random() AS u_time, random() AS u_total
                              FROM generate_series(1, %(orders)s) g) drawn) placed) timed
"""

# Both sides' ratings of the planned orders; the buyer rates orders n % 10 in 0..6, the seller
# 4..6 (a third of those a default good rating when the buyer rated good and the window ended).
RATINGS_SQL = """
    WITH side AS (
        SELECT 'by_buyer' AS role, p.*, %(buyer)s + p.buyer AS rater_id, buyer_value AS value0,
               buyer_rated_at AS rated_at, false AS is_default, n %% 10 < 4 AS alone
          FROM plan p WHERE n %% 10 < 7
         UNION ALL
        SELECT 'by_seller', p.*, CASE WHEN d THEN NULL ELSE %(owner)s + p.shop END,
               CASE WHEN d THEN 1 ELSE seller_value END,
               CASE WHEN d THEN window_ends_at ELSE seller_rated_at END, d, false
          FROM plan p, LATERAL (SELECT n %% 3 = 0 AND buyer_value = 1
                                       AND window_ends_at <= %(now)s) AS x(d)
         WHERE n %% 10 BETWEEN 4 AND 6
    ), fated AS (
        SELECT *, CASE WHEN alone AND window_ends_at > %(now)s THEN 'pending'
                       WHEN value0 < 1 AND rater_id IS NOT NULL AND u < 0.08 THEN 'deleted'
                       WHEN value0 < 1 AND rater_id IS NOT NULL AND u < 0.16 THEN 'revised'
                       WHEN u > 0.997 THEN 'removed' ELSE 'published' END AS fate,
                  CASE WHEN alone THEN window_ends_at
                       ELSE greatest(buyer_rated_at, seller_rated_at) END AS shown_at
          FROM (SELECT *, random() AS u FROM side) s
    )
    INSERT INTO ratings_rating (
        id, public_id, role, order_id, rater_id, buyer_id, shop_id, listing_id, item_title,
        category_id, order_created_at, goods_total, value, comment, dsr_described,
        dsr_attitude, dsr_shipping, is_default, status, rated_at, window_ends_at, published_at,
        revised_at, original_value, reply, removed_reason, removed_at, removed_by_id, counted,
        points, count_note)
    SELECT %(first)s + row_number() OVER (ORDER BY rated_at, n, role), gen_random_uuid(), role,
           %(first)s + n, rater_id, %(buyer)s + buyer, %(first)s + shop,
           %(first)s + (shop - 1) * %(items)s + item,
           'Bench item ' || shop || '-' || item, (%(roots)s::bigint[])[1 + (shop + item) %% 4],
           created_at, goods_total, CASE WHEN fate = 'revised' THEN 1 ELSE value0 END,
           CASE WHEN is_default THEN '' WHEN value0 = 1 THEN 'As described, fast.'
                ELSE 'Not as described.' END,
           dsr, dsr2, dsr3, is_default,
           CASE WHEN fate = 'revised' THEN 'published' ELSE fate END, rated_at, window_ends_at,
           CASE WHEN fate <> 'pending' THEN shown_at END,
           CASE WHEN fate IN ('deleted', 'revised')
                THEN least(rated_at + interval '2 days', %(now)s) END,
           CASE WHEN fate IN ('deleted', 'revised') THEN value0 END, '',
           CASE WHEN fate = 'removed' THEN 'Bench: paid review' ELSE '' END,
           CASE WHEN fate = 'removed' THEN least(shown_at + interval '1 day', %(now)s) END,
           CASE WHEN fate = 'removed' THEN %(staff)s::bigint END, false, 0, 'not_published'
      FROM (SELECT *, CASE WHEN role = 'by_buyer' THEN 5 - floor(random() ^ 3 * 5) END AS dsr,
                      CASE WHEN role = 'by_buyer' THEN 5 - floor(random() ^ 3 * 5) END AS dsr2,
                      CASE WHEN role = 'by_buyer' THEN 5 - floor(random() ^ 3 * 5) END AS dsr3
              FROM fated) f  -- DSR mostly 5
"""


def run(statement: str, params: Any = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@contextmanager
def plain_indexes_dropped(*tables: str) -> Iterator[None]:
    """Bulk inserts without the tables' indexes other than those of constraints, which are
    built again afterwards (several times faster than keeping them up to date row by row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s) AND NOT EXISTS"
            " (SELECT FROM pg_constraint c WHERE c.conindid = i.indexname::regclass)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def heavy_pairs(orders: int) -> int:
    """How many buyer-shop pairs share the heavy orders; pair p is buyer p + 1, shop 7p + 1."""
    return max(1, int(orders * HEAVY_SHARE) // HEAVY_ORDERS)


def seed(shops: int, buyers: int, orders: int) -> int:
    """Seeds the database; returns the staff user's id."""
    roots = [make_category(f"Bench {k}") for k in range(4)]
    leaves = [make_category(f"Bench {k}", f"Bench {k} leaf") for k in range(4)]
    listing = make_listing(cast(Shop, ShopFactory()), category=leaves[0], price="20.00")
    buyer = cast(User, UserFactory())
    order = completed_order(buyer.pk, listing)
    line = order.lines.get()
    staff = User.objects.create(username="bench-staff", is_staff=True)
    now = timezone.now()
    size = {"shops": shops, "buyers": buyers, "orders": orders, "items": ITEMS, "now": now}
    uuid, listing_id = "gen_random_uuid()", f"{FIRST} + (s - 1) * {ITEMS} + j"
    shops_items = "generate_series(1, %(shops)s) s, generate_series(1, %(items)s) j"
    planned_listing = f"{FIRST} + (p.shop - 1) * {ITEMS} + p.item"
    big_tables = ("accounts_user", "escrow_order", "escrow_orderline", "ratings_rating")
    with plain_indexes_dropped(*big_tables), transaction.atomic():  # FKs checked, then indexes
        run("SELECT setseed(0.7)")
        for role, first, count in (("b-owner", OWNER, "shops"), ("b-buyer", BUYER, "buyers")):
            clone("accounts_user", buyer.pk, f"generate_series(1, %({count})s) g", {
                "id": f"{first} + g", "username": f"'{role}' || g", "public_id": uuid,
                "email": f"'{role}' || g || '@bench.test'"}, **size)  # fmt: skip
        clone("shops_shop", listing.shop_id, "generate_series(1, %(shops)s) s", {
            "id": f"{FIRST} + s", "owner_id": f"{OWNER} + s", "name": "'Bench shop ' || s",
            "slug": "'bench-shop-' || s"}, **size)  # fmt: skip
        clone("shops_listing", listing.pk, shops_items, {
            "id": listing_id, "public_id": uuid, "shop_id": f"{FIRST} + s",
            "title": "'Bench item ' || s || '-' || j",
            "category_id": "(%(leaves)s::bigint[])[1 + (s + j) %% 4]"},
            leaves=[c.pk for c in leaves], **size)  # fmt: skip
        clone("shops_sku", line.sku_id, shops_items, {
            "id": listing_id, "public_id": uuid, "listing_id": listing_id}, **size)  # fmt: skip
        clone("escrow_checkout", order.checkout_id, "generate_series(1, %(buyers)s) g", {
            "id": f"{FIRST} + g", "public_id": uuid, "buyer_id": f"{BUYER} + g"},
            **size)  # fmt: skip
        pairs = heavy_pairs(orders)
        run(PLAN_SQL, {**size, "heavy_orders": pairs * HEAVY_ORDERS, "heavy_pairs": pairs})
        clone("escrow_order", order.pk, "plan p", {
            "id": f"{FIRST} + p.n", "public_id": uuid, "checkout_id": f"{FIRST} + p.buyer",
            "buyer_id": f"{BUYER} + p.buyer", "shop_id": f"{FIRST} + p.shop",
            "goods_total": "p.goods_total", "total": "p.goods_total", "created_at": "p.created_at",
            "payment_deadline": "p.created_at + interval '30 minutes'",
            "paid_at": "p.created_at + interval '10 minutes'",
            "shipped_at": "p.created_at + interval '1 day'",
            "completed_at": "p.completed_at"}, **size)  # fmt: skip
        clone("escrow_orderline", line.pk, "plan p", {
            "id": f"{FIRST} + p.n", "order_id": f"{FIRST} + p.n", "listing_id": planned_listing,
            "sku_id": planned_listing, "title": "'Bench item ' || p.shop || '-' || p.item",
            "unit_price": "p.goods_total", "line_total": "p.goods_total"}, **size)  # fmt: skip
        run(RATINGS_SQL, {**size, "first": FIRST, "buyer": BUYER, "owner": OWNER,
                          "roots": [c.pk for c in roots], "staff": staff.pk})  # fmt: skip
        run("SELECT setval('ratings_rating_id_seq', (SELECT max(id) FROM ratings_rating))")
    run("VACUUM ANALYZE")
    return staff.pk


# --- Measuring --------------------------------------------------------------------------------


@dataclass
class Clock:
    """Round trips of the statements run through Django's connection, and of its COMMITs."""

    statements: list[tuple[str, float]] = field(default_factory=list)
    commits: list[float] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            self.statements.append((" ".join(sql.split()), (time.perf_counter() - started) * 1000))


@contextmanager
def clocked() -> Iterator[Clock]:
    database: Any = connection  # its COMMIT does not go through execute_wrapper: timed here
    clock, commit = Clock(), database._commit

    def timed_commit() -> None:
        started = time.perf_counter()
        try:
            commit()
        finally:
            clock.commits.append((time.perf_counter() - started) * 1000)

    database._commit = timed_commit
    try:
        with connection.execute_wrapper(clock):
            yield clock
    finally:
        del database._commit  # the class's method again


def time_rebuild(title: str) -> float:
    with clocked() as clock:
        started = time.perf_counter()
        result = credit_rebuild()
        seconds = time.perf_counter() - started
    load = os.getloadavg()[0]
    print(f"{title}: {seconds:.1f} s, {result.ratings_changed:,} ratings changed (load {load:.1f})")
    for statement, ms in [*clock.statements, ("COMMIT", sum(clock.commits))]:
        if ms >= 100:
            print(f"    {ms / 1000:6.2f} s  {statement[:88]}")
    return seconds


@dataclass
class Sample:
    kind: str
    pair_size: int
    wall_ms: float
    clock: Clock

    @property
    def statements_ms(self) -> float:
        return sum(ms for _, ms in self.clock.statements)

    @property
    def with_commit_ms(self) -> float:
        return self.statements_ms + sum(self.clock.commits)


def measure(kind: str, size: int, change: Callable[[], object]) -> Sample:
    with clocked() as clock:
        started = time.perf_counter()
        change()
        return Sample(kind, size, (time.perf_counter() - started) * 1000, clock)


def pair_size(rating: Rating) -> int:
    pair = {"role": rating.role, "buyer_id": rating.buyer_id, "shop_id": rating.shop_id}
    return Rating.objects.filter(**pair).count()


def candidates(count: int, heavy: int, shops: int, **filters: Any) -> list[Rating]:
    """Two thirds from the heavy pairs (dozens of ratings each), the rest from anywhere."""
    ratings = Rating.objects.filter(**filters).select_related("order", "rater")
    heavy_buyers = ratings.filter(buyer_id__lte=BUYER + heavy).order_by("?")[: count * 10]
    in_pairs = [
        r for r in heavy_buyers if r.shop_id == FIRST + 1 + (r.buyer_id - BUYER - 1) * 7 % shops
    ]
    chosen = in_pairs[: count * 2 // 3]
    rest = ratings.exclude(pk__in=[r.pk for r in chosen]).order_by("?")
    return chosen + list(rest[: count - len(chosen)])


def completed_order(buyer_id: int, listing: Listing) -> Order:
    """An order of one unit of ``listing``, completed a day ago (within its rating window)."""
    now, price = timezone.now(), Decimal("59.00")
    order = Order.objects.create(
        checkout=Checkout.objects.create(buyer_id=buyer_id), buyer_id=buyer_id,
        shop_id=listing.shop_id, status=Order.Status.COMPLETED, goods_total=price,
        shipping_total=Decimal("0.00"), total=price, shipping_method=listing.shipping_method,
        payment_deadline=now, paid_at=now - timedelta(days=3),
        shipped_at=now - timedelta(days=2), completed_at=now - timedelta(days=1),
    )  # fmt: skip
    OrderLine.objects.create(
        order=order, sku_id=listing.skus.get().pk, listing=listing, title=listing.title,
        unit_price=price, quantity=1, line_total=price,
    )  # fmt: skip
    return Order.objects.select_related("buyer", "shop__owner").get(pk=order.pk)


def incremental(changes: int, shops: int, buyers: int, orders: int, staff_id: int) -> list[Sample]:
    """About ``changes`` single-rating changes of five kinds, one more of each as a warm-up."""
    staff, heavy, each = User.objects.get(pk=staff_id), heavy_pairs(orders), changes // 5 + 1
    recently = timezone.now() - timedelta(days=29)
    revisable = candidates(
        2 * each, heavy, shops, status__in=["pending", "published"], value__lt=1, revised_at=None,
        rater__isnull=False, rated_at__gte=recently,
    )  # fmt: skip
    removable = candidates(each, heavy, shops, status="published")
    # New orders: two thirds in heavy pairs with recent orders (pair % 30 == 0), the rest new.
    pairs = [(BUYER + 1 + p, FIRST + 1 + p * 7 % shops) for p in range(0, heavy, 30)]
    pairs = pairs[: each * 2 // 3]
    pairs += [(BUYER + buyers - k, FIRST + 1 + k * 37 % shops) for k in range(each - len(pairs))]
    fresh = [completed_order(b, Listing.objects.filter(shop_id=s).earliest("pk")) for b, s in pairs]
    samples: list[Sample] = []
    for index, rating in enumerate(revisable):
        kind, delete = ("revise: delete", True) if index % 2 else ("revise: to good", False)
        assert rating.rater is not None
        change = partial(rating_revise, rating=rating, rater=rating.rater, delete=delete)
        samples.append(measure(kind, pair_size(rating), change))
    for rating in removable:
        change = partial(rating_remove, rating=rating, staff=staff, reason="Bench: paid review")
        samples.append(measure("remove (staff)", pair_size(rating), change))
    for order in fresh:
        size = pair_size(Rating(role="by_buyer", buyer_id=order.buyer_id, shop_id=order.shop_id))
        change = partial(rating_submit, order=order, rater=order.buyer, value=1, dsr=DSR(5, 4, 5))
        samples.append(measure("submit: buyer (pending)", size, change))
        change = partial(rating_submit, order=order, rater=order.shop.owner, value=1)
        samples.append(measure("submit: seller (publishes 2)", size, change))
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    return [sample for group in by_kind.values() for sample in group[1:]]  # without warm-ups


def spread(values: list[float]) -> str:
    """p50, p95 and max."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):6.2f} {p95:6.2f} {ordered[-1]:6.2f}"


def report(samples: list[Sample]) -> None:
    baseline = measure("", 0, lambda: [connection.cursor().execute("SELECT 1") for _ in range(300)])
    print(f"\n(b) ms per change   {'p50    p95    max':>20}  (SELECT 1 round trip: "
          f"{spread([ms for _, ms in baseline.clock.statements])}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip
    print(
        f"{'change':<29} {'n':>3} {'pair':>4}  {'DB':>20}  {'DB + COMMIT':>20}  {'wall':>20}  SQL"
    )
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.kind].append(sample)
    for kind, group in [*groups.items(), ("all changes", samples)]:
        print(
            f"{kind:<29} {len(group):>3} {statistics.median(s.pair_size for s in group):>4.0f}  "
            f"{spread([s.statements_ms for s in group])}  "
            f"{spread([s.with_commit_ms for s in group])}  {spread([s.wall_ms for s in group])}  "
            f"{statistics.mean(len(s.clock.statements) for s in group):4.1f}"
        )
    print("(pair: median ratings of the changed rating's pair and direction; DB: the statements'")
    print(" round trips as this process saw them; SQL: statements per change)")
    by_statement: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        for sql, ms in sample.clock.statements:
            by_statement[sql[:70]].append(ms)
    print("statements taking the most DB time: count, ms p50 p95 max")
    for sql, times in sorted(by_statement.items(), key=lambda item: -sum(item[1]))[:8]:
        print(f"  {len(times):4} {spread(times)}  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="= ratings seeded")
    parser.add_argument("--shops", type=int, default=10_000)
    parser.add_argument("--buyers", type=int, default=200_000)
    parser.add_argument("--changes", type=int, default=200, help="single-rating changes timed")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    staff_id = seed(options.shops, options.buyers, options.orders)
    ratings = Rating.objects.all()
    print(
        f"Seeded in {time.perf_counter() - started:.0f} s (not a target): {ratings.count():,} "
        f"ratings ({ratings.filter(role='by_buyer').count():,} by buyers, "
        f"{ratings.filter(status='pending').count():,} pending) of "
        f"{ratings.values('shop_id').distinct().count():,} shops"
    )
    first = time_rebuild("(a) credit_rebuild, every rating recounted")
    second = time_rebuild("(a) credit_rebuild, nothing changed")
    started = time.perf_counter()
    differences = credit_differences()
    print(f"(a) credit_differences: {time.perf_counter() - started:.1f} s, {len(differences)} "
          f"differences {differences[:3]}")  # fmt: skip

    samples = incremental(options.changes, options.shops, options.buyers, options.orders, staff_id)
    report(samples)
    differences = credit_differences()
    print(f"(b) then incremental figures vs a rebuild: {len(differences)} differences "
          f"{differences[:3]}")  # fmt: skip

    p95 = sorted(s.statements_ms for s in samples)[int(len(samples) * 0.95)]
    print("\ntargets:")
    for name, figure, limit, unit in [
        ("rebuild, every rating recounted ≤ 60 s", first, 60, "s"),
        ("rebuild, nothing changed (nightly) ≤ 60 s", second, 60, "s"),
        ("one change ≤ 5 ms DB time (p95)", p95, 5, "ms"),
    ]:
        print(f"  {name:<44} {'met' if figure <= limit else 'MISSED':<7} {figure:.2f} {unit}")


if __name__ == "__main__":
    main()
