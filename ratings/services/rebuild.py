"""The nightly full rebuild: every rating's counting and every figure, from the ratings alone,
in set-based SQL (the same rules as ``ratings.services.counting``), and the check that the
stored figures equal a rebuild (``credit_verify``).

The rebuild locks the ratings table and then the figures tables against writers and row locks
(plain reads carry on), in the order every change takes its locks (ratings, then figures), so a
rating changed meanwhile waits and then applies its change on top of the rebuilt figures.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ratings.conf import ratings_setting
from ratings.models import RatingsState

LOCK_SQL = """
    LOCK TABLE ratings_rating, ratings_sellercredit, ratings_buyercredit, ratings_categorydsr,
               ratings_ratingsstate
    IN EXCLUSIVE MODE
"""

# Each rating's outcome: counted, points and why not (see ratings.services.counting).
OUTCOMES_SQL = """
    WITH eligible AS (
        SELECT id, role, buyer_id, shop_id, listing_id, value, order_id, order_created_at,
               floor(extract(epoch FROM order_created_at - min(order_created_at) OVER (
                   PARTITION BY role, buyer_id, shop_id, listing_id)) / %(period)s) AS period
          FROM ratings_rating
         WHERE status = 'published' AND goods_total > %(small)s
    ), firsts AS (
        SELECT *, row_number() OVER (
                   PARTITION BY role, buyer_id, shop_id, listing_id, period, value
                   ORDER BY order_created_at, order_id) AS nth_in_period
          FROM eligible
    ), months AS (
        SELECT id, nth_in_period,
               row_number() OVER (
                   PARTITION BY role, buyer_id, shop_id, nth_in_period = 1 AND value > 0,
                                date_trunc('month', order_created_at AT TIME ZONE %(zone)s)
                   ORDER BY order_created_at, order_id) AS nth_good_in_month,
               nth_in_period = 1 AND value > 0 AS is_good
          FROM firsts
    )
    SELECT r.id,
           CASE WHEN r.status <> 'published' OR r.goods_total <= %(small)s THEN false
                WHEN m.nth_in_period > 1 THEN false
                WHEN m.is_good AND m.nth_good_in_month > %(monthly)s THEN false
                ELSE true END AS counted,
           CASE WHEN r.status = 'pending' THEN 'not_published'
                WHEN r.status <> 'published' THEN r.status
                WHEN r.goods_total <= %(small)s THEN 'small_order'
                WHEN m.nth_in_period > 1 THEN 'same_listing_period'
                WHEN m.is_good AND m.nth_good_in_month > %(monthly)s THEN 'monthly_pair_limit'
                ELSE '' END AS count_note
      FROM ratings_rating r LEFT JOIN months m ON m.id = r.id
"""

UPDATE_RATINGS_SQL = f"""
    WITH outcome AS ({OUTCOMES_SQL})
    UPDATE ratings_rating r
       SET counted = o.counted,
           points = CASE WHEN o.counted THEN r.value ELSE 0 END,
           count_note = o.count_note
      FROM outcome o
     WHERE o.id = r.id
       AND (r.counted, r.points, r.count_note)
           IS DISTINCT FROM (o.counted, CASE WHEN o.counted THEN r.value ELSE 0 END, o.count_note)
"""

# The SQL below is put together from these constant pieces only.
IN_WINDOW = "counted AND rated_at >= %(since)s"
FIGURES_SQL = [
    "DELETE FROM ratings_sellercredit",
    f"""
    INSERT INTO ratings_sellercredit (shop_id, score, good, neutral, bad, dsr_count,
                                      dsr_described_sum, dsr_attitude_sum, dsr_shipping_sum)
    SELECT shop_id, sum(points),
           count(*) FILTER (WHERE {IN_WINDOW} AND value = 1),
           count(*) FILTER (WHERE {IN_WINDOW} AND value = 0),
           count(*) FILTER (WHERE {IN_WINDOW} AND value = -1),
           count(*) FILTER (WHERE {IN_WINDOW} AND dsr_described IS NOT NULL),
           coalesce(sum(dsr_described) FILTER (WHERE {IN_WINDOW}), 0),
           coalesce(sum(dsr_attitude) FILTER (WHERE {IN_WINDOW}), 0),
           coalesce(sum(dsr_shipping) FILTER (WHERE {IN_WINDOW}), 0)
      FROM ratings_rating WHERE counted AND role = 'by_buyer' GROUP BY shop_id
    """,
    "DELETE FROM ratings_buyercredit",
    f"""
    INSERT INTO ratings_buyercredit (user_id, score, good, neutral, bad)
    SELECT buyer_id, sum(points),
           count(*) FILTER (WHERE {IN_WINDOW} AND value = 1),
           count(*) FILTER (WHERE {IN_WINDOW} AND value = 0),
           count(*) FILTER (WHERE {IN_WINDOW} AND value = -1)
      FROM ratings_rating WHERE counted AND role = 'by_seller' GROUP BY buyer_id
    """,
    "DELETE FROM ratings_categorydsr",
    f"""
    INSERT INTO ratings_categorydsr (category_id, dsr_count, dsr_described_sum, dsr_attitude_sum,
                                     dsr_shipping_sum)
    SELECT category_id, count(*), sum(dsr_described), sum(dsr_attitude), sum(dsr_shipping)
      FROM ratings_rating
     WHERE {IN_WINDOW} AND role = 'by_buyer' AND dsr_described IS NOT NULL
       AND category_id IS NOT NULL
     GROUP BY category_id
    """,
    # The shops' copies (credit_score, credit_level, good_rate), only where they differ.
    """
    WITH figures AS (
        SELECT s.id, coalesce(c.score, 0) AS score,
               (SELECT count(*) FROM unnest(%(floors)s::int[]) AS f(floor)
                 WHERE coalesce(c.score, 0) >= f.floor) AS level,
               round(c.good::numeric / nullif(c.good + c.neutral + c.bad, 0), 4) AS good_rate
          FROM shops_shop s LEFT JOIN ratings_sellercredit c ON c.shop_id = s.id
    )
    UPDATE shops_shop s SET credit_score = f.score, credit_level = f.level,
                            good_rate = f.good_rate
      FROM figures f
     WHERE f.id = s.id
       AND (s.credit_score, s.credit_level, s.good_rate)
           IS DISTINCT FROM (f.score, f.level, f.good_rate)
    """,
]


@dataclass(frozen=True)
class RebuildResult:
    ratings_changed: int
    seconds: float


def _parameters(since: datetime) -> dict[str, Any]:
    return {
        "period": int(ratings_setting("SAME_LISTING_PERIOD").total_seconds()),
        "small": ratings_setting("SMALL_ORDER_TOTAL"),
        "monthly": ratings_setting("MONTHLY_PAIR_POINTS"),
        "zone": settings.TIME_ZONE,
        "since": since,
        "floors": list(ratings_setting("GRADE_FLOORS")),
    }


def _rebuild(since: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(LOCK_SQL)
        # Fresh statistics first: after a bulk load the planner may think the table is empty and
        # join the outcome to the ratings row by row.
        cursor.execute("ANALYZE ratings_rating")
        cursor.execute(UPDATE_RATINGS_SQL, _parameters(since))
        changed = cursor.rowcount
        for statement in FIGURES_SQL:
            cursor.execute(statement, _parameters(since))
    return changed


@transaction.atomic(durable=True)
def credit_rebuild(*, move_window: bool = True) -> RebuildResult:
    """Recount every rating and rebuild every figure; ``move_window`` starts the 180-day window
    at now − 180 days (the nightly run), otherwise the figures keep their window."""
    started = timezone.now()
    state = RatingsState.objects.select_for_update().first()
    since = started - ratings_setting("FIGURES_WINDOW")
    if state is None:
        state = RatingsState(window_start=since)
    elif not move_window:
        since = state.window_start
    changed = _rebuild(since)
    state.window_start, state.rebuilt_at = since, started
    state.save()
    return RebuildResult(changed, (timezone.now() - started).total_seconds())


SNAPSHOTS = {
    "ratings": "SELECT id, counted, points, count_note FROM ratings_rating",
    "seller credit": "SELECT * FROM ratings_sellercredit",
    "buyer credit": "SELECT * FROM ratings_buyercredit",
    "category DSR": "SELECT * FROM ratings_categorydsr",
    "shops": "SELECT id, credit_score, credit_level, good_rate FROM shops_shop",
}


def _snapshot() -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every stored figure, keyed by row; rows of zeros count as absent."""
    taken = {}
    with connection.cursor() as cursor:
        for name, sql in SNAPSHOTS.items():
            cursor.execute(sql)
            taken[name] = {
                row[0]: tuple(row[1:])
                for row in cursor.fetchall()
                if name in ("ratings", "shops") or any(row[1:])
            }
    return taken


def credit_differences(*, limit: int = 20) -> list[str]:
    """How the stored counting and figures differ from a full rebuild with the same window (an
    empty list when they agree). Changes nothing."""
    with transaction.atomic():
        state = RatingsState.objects.first()
        since = state.window_start if state else timezone.now() - ratings_setting("FIGURES_WINDOW")
        stored = _snapshot()
        _rebuild(since)
        rebuilt = _snapshot()
        transaction.set_rollback(True)
    problems = []
    for name, rows in stored.items():
        for key in sorted(set(rows) | set(rebuilt[name]), key=str):
            if rows.get(key) != rebuilt[name].get(key):
                problems.append(
                    f"{name} {key}: stored {rows.get(key)}, rebuilt {rebuilt[name].get(key)}"
                )
    more = [f"… and {len(problems) - limit} more"] if len(problems) > limit else []
    return problems[:limit] + more
