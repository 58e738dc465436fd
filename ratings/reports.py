"""The suspicious-ratings report for staff (DOMAIN §6): four signals of rating fraud ("brushing"),
each a set-based query over completed escrow orders and the ratings they earned.

(a) many completed orders between one buyer and one shop in a short period;
(b) shops whose buyers confirm receipt within an hour of shipping (goods that never travelled);
(c) new buyer accounts whose every completed order is with one shop;
(d) order lines priced far below the listing's usual price (the median over its paid lines).

Each signal returns at most ``REPORT_ROWS`` rows, strongest first, with the buyer's ratings of
the shop behind it (``ratings``: those still standing, pending or published, not removed or
deleted; ``points``: the credit they earned). Reads
only; the report is a starting point for a moderator, who removes ratings in admin.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connection
from django.utils import timezone

# The report's thresholds: where a pattern becomes worth a moderator's look.
LOOKBACK = timedelta(days=90)  # signals (a), (b), (d) read completed orders placed this recently
PAIR_ORDERS = 5  # (a) at least this many completed orders of one buyer from one shop …
PAIR_PERIOD = timedelta(days=30)  # … placed within this long
QUICK_CONFIRMATION = timedelta(hours=1)  # (b) receipt confirmed this soon after shipping …
QUICK_ORDERS = 3  # … on at least this many of a shop's orders (virtual goods excepted)
NEW_ACCOUNT_AGE = timedelta(days=30)  # (c) buyer accounts younger than this
CHEAP_SHARE = Decimal("0.5")  # (d) a unit price below this share of the listing's usual price …
USUAL_PRICE_LINES = 3  # … the median of at least this many paid order lines of the listing
REPORT_ROWS = 50  # rows per signal


@dataclass(frozen=True)
class BusyPair:
    """(a) One buyer and one shop with many completed orders in ``PAIR_PERIOD``."""

    buyer_id: int
    buyer: str
    shop_id: int
    shop: str
    most_in_period: int  # completed orders within ``PAIR_PERIOD``, at the busiest
    orders: int  # completed orders in the lookback
    ratings: int
    points: int
    last_order_at: datetime


@dataclass(frozen=True)
class QuickShop:
    """(b) A shop whose buyers confirmed receipt within ``QUICK_CONFIRMATION`` of shipping."""

    shop_id: int
    shop: str
    quick: int  # completed orders confirmed that quickly
    completed: int  # all its completed orders that were shipped (not virtual goods)
    ratings: int  # ratings of the quickly confirmed orders
    points: int
    fastest: timedelta

    @property
    def share(self) -> Decimal:
        return (Decimal(self.quick) / Decimal(self.completed)).quantize(Decimal("0.01"))

    @property
    def fastest_minutes(self) -> int:
        return int(self.fastest / timedelta(minutes=1))


@dataclass(frozen=True)
class LonelyBuyer:
    """(c) A buyer younger than ``NEW_ACCOUNT_AGE`` whose completed orders are all with one
    shop."""

    buyer_id: int
    buyer: str
    joined_at: datetime
    shop_id: int
    shop: str
    orders: int
    ratings: int
    points: int


@dataclass(frozen=True)
class CheapLine:
    """(d) A completed order's line priced below ``CHEAP_SHARE`` of its listing's usual price."""

    order_id: int
    order_public_id: UUID
    buyer_id: int
    buyer: str
    shop_id: int
    shop: str
    listing_id: int
    title: str
    unit_price: Decimal
    usual_price: Decimal
    ordered_at: datetime
    rating_value: int | None  # the buyer's rating of this order, if any stands
    points: int


@dataclass(frozen=True)
class SuspiciousReport:
    busy_pairs: list[BusyPair]
    quick_shops: list[QuickShop]
    lonely_buyers: list[LonelyBuyer]
    cheap_lines: list[CheapLine]


BUSY_PAIRS_SQL = """
    WITH recent AS (
        SELECT buyer_id, shop_id, created_at,
               count(*) OVER (PARTITION BY buyer_id, shop_id ORDER BY created_at
                              RANGE BETWEEN %(period)s PRECEDING AND CURRENT ROW) AS in_period
          FROM escrow_order
         WHERE status = 'completed' AND created_at >= %(since)s
    ), pairs AS (
        SELECT buyer_id, shop_id, max(in_period) AS in_period, count(*) AS orders,
               max(created_at) AS last_order_at
          FROM recent
         GROUP BY buyer_id, shop_id
        HAVING max(in_period) >= %(pair_orders)s
    ), rated AS (
        SELECT r.buyer_id, r.shop_id, count(*) AS ratings, sum(r.points) AS points
          FROM ratings_rating r
          JOIN pairs p ON p.buyer_id = r.buyer_id AND p.shop_id = r.shop_id
         WHERE r.role = 'by_buyer' AND r.status IN ('pending', 'published')
           AND r.order_created_at >= %(since)s
         GROUP BY r.buyer_id, r.shop_id
    )
    SELECT p.buyer_id, u.username, p.shop_id, s.name, p.in_period, p.orders,
           coalesce(x.ratings, 0), coalesce(x.points, 0), p.last_order_at
      FROM pairs p
      JOIN accounts_user u ON u.id = p.buyer_id
      JOIN shops_shop s ON s.id = p.shop_id
      LEFT JOIN rated x ON x.buyer_id = p.buyer_id AND x.shop_id = p.shop_id
     ORDER BY p.in_period DESC, coalesce(x.points, 0) DESC, p.last_order_at DESC, p.buyer_id
     LIMIT %(rows)s
"""

QUICK_SHOPS_SQL = """
    WITH shipped AS (
        SELECT id, shop_id, completed_at - shipped_at AS took
          FROM escrow_order
         WHERE status = 'completed' AND created_at >= %(since)s
           AND shipping_method <> 'virtual' AND shipped_at IS NOT NULL
    ), shops AS (
        SELECT shop_id, count(*) AS completed,
               count(*) FILTER (WHERE took < %(quick)s) AS quick, min(took) AS fastest
          FROM shipped
         GROUP BY shop_id
        HAVING count(*) FILTER (WHERE took < %(quick)s) >= %(quick_orders)s
    ), rated AS (
        SELECT o.shop_id, count(*) AS ratings, sum(r.points) AS points
          FROM shipped o
          JOIN ratings_rating r ON r.order_id = o.id
         WHERE r.role = 'by_buyer' AND r.status IN ('pending', 'published')
           AND o.took < %(quick)s AND o.shop_id IN (SELECT shop_id FROM shops)
         GROUP BY o.shop_id
    )
    SELECT q.shop_id, s.name, q.quick, q.completed, coalesce(x.ratings, 0),
           coalesce(x.points, 0), q.fastest
      FROM shops q
      JOIN shops_shop s ON s.id = q.shop_id
      LEFT JOIN rated x ON x.shop_id = q.shop_id
     ORDER BY coalesce(x.ratings, 0) DESC, q.quick DESC, q.shop_id
     LIMIT %(rows)s
"""

LONELY_BUYERS_SQL = """
    WITH lonely AS (
        SELECT o.buyer_id, min(o.shop_id) AS shop_id, count(*) AS orders
          FROM escrow_order o
          JOIN accounts_user u ON u.id = o.buyer_id
         WHERE o.status = 'completed' AND u.date_joined >= %(joined_since)s
         GROUP BY o.buyer_id
        HAVING count(DISTINCT o.shop_id) = 1
    ), rated AS (
        SELECT r.buyer_id, count(*) AS ratings, sum(r.points) AS points
          FROM ratings_rating r
          JOIN lonely l ON l.buyer_id = r.buyer_id AND l.shop_id = r.shop_id
         WHERE r.role = 'by_buyer' AND r.status IN ('pending', 'published')
         GROUP BY r.buyer_id
    )
    SELECT l.buyer_id, u.username, u.date_joined, l.shop_id, s.name, l.orders,
           coalesce(x.ratings, 0), coalesce(x.points, 0)
      FROM lonely l
      JOIN accounts_user u ON u.id = l.buyer_id
      JOIN shops_shop s ON s.id = l.shop_id
      LEFT JOIN rated x ON x.buyer_id = l.buyer_id
     ORDER BY coalesce(x.points, 0) DESC, l.orders DESC, u.date_joined DESC, l.buyer_id
     LIMIT %(rows)s
"""

CHEAP_LINES_SQL = """
    WITH paid AS (
        SELECT l.order_id, l.listing_id, l.title, l.unit_price, o.status, o.buyer_id,
               o.shop_id, o.created_at
          FROM escrow_orderline l
          JOIN escrow_order o ON o.id = l.order_id
         WHERE o.paid_at IS NOT NULL AND o.created_at >= %(since)s
    ), usual AS (
        SELECT listing_id,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY unit_price))::numeric, 2)
                   AS price
          FROM paid
         GROUP BY listing_id
        HAVING count(*) >= %(usual_lines)s
    )
    SELECT p.order_id, o.public_id, p.buyer_id, bu.username, p.shop_id, s.name, p.listing_id,
           p.title, p.unit_price, u.price, p.created_at, r.value, coalesce(r.points, 0)
      FROM paid p
      JOIN usual u ON u.listing_id = p.listing_id
      JOIN escrow_order o ON o.id = p.order_id
      JOIN accounts_user bu ON bu.id = p.buyer_id
      JOIN shops_shop s ON s.id = p.shop_id
      LEFT JOIN ratings_rating r
             ON r.order_id = p.order_id AND r.role = 'by_buyer'
            AND r.status IN ('pending', 'published')
     WHERE p.status = 'completed' AND p.unit_price < u.price * %(share)s
     ORDER BY p.unit_price / u.price, p.created_at DESC, p.order_id
     LIMIT %(rows)s
"""


def _rows(sql: str, parameters: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"rows": REPORT_ROWS, **parameters})
        return list(cursor.fetchall())


def busy_pairs(*, now: datetime | None = None) -> list[BusyPair]:
    since = (now or timezone.now()) - LOOKBACK
    parameters = {"since": since, "period": PAIR_PERIOD, "pair_orders": PAIR_ORDERS}
    return [BusyPair(*row) for row in _rows(BUSY_PAIRS_SQL, parameters)]


def quick_shops(*, now: datetime | None = None) -> list[QuickShop]:
    since = (now or timezone.now()) - LOOKBACK
    parameters = {"since": since, "quick": QUICK_CONFIRMATION, "quick_orders": QUICK_ORDERS}
    return [QuickShop(*row) for row in _rows(QUICK_SHOPS_SQL, parameters)]


def lonely_buyers(*, now: datetime | None = None) -> list[LonelyBuyer]:
    joined_since = (now or timezone.now()) - NEW_ACCOUNT_AGE
    return [LonelyBuyer(*row) for row in _rows(LONELY_BUYERS_SQL, {"joined_since": joined_since})]


def cheap_lines(*, now: datetime | None = None) -> list[CheapLine]:
    since = (now or timezone.now()) - LOOKBACK
    parameters = {"since": since, "share": CHEAP_SHARE, "usual_lines": USUAL_PRICE_LINES}
    return [CheapLine(*row) for row in _rows(CHEAP_LINES_SQL, parameters)]


def suspicious_report(*, now: datetime | None = None) -> SuspiciousReport:
    now = now or timezone.now()
    return SuspiciousReport(
        busy_pairs=busy_pairs(now=now),
        quick_shops=quick_shops(now=now),
        lonely_buyers=lonely_buyers(now=now),
        cheap_lines=cheap_lines(now=now),
    )
