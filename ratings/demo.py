"""Demo ratings and credit for ``seed_demo``, after ``escrow.demo`` has traded.

1. The demo buyers rate their completed demo orders and the sellers rate them back, through the
   services buyers and sellers use (``rating_submit``, ``rating_reply``): mostly good, a few
   neutral or bad ones that the seller answers, and some rated by one side only, which stay
   hidden until the other side rates or the window ends (double-blind).
2. A credit history for seven demo shops (``CREDIT_PLAN``), so the marketplace shows every kind
   of grade: 1 to 5 hearts, a diamond and a crown. A crown takes over 10,000 counted points, and
   the counting rules let one buyer earn a shop at most 6 a month, so the history is about ten
   thousand completed orders from a pool of ``SHOPPERS`` generated shoppers over a year (one
   order per shopper and shop a month, on the same day of each month, so every rating counts).
   The orders are written in bulk as the escrow services would have left them: lines, payments,
   the order timelines and the ledger (payment clearing → escrow → the seller's available
   balance, no commission), then both sides' ratings, published. One shopper's recent
   "brushing" of a listing (``BRUSHER``: a new account, cheap orders confirmed minutes after
   shipping) gives the suspicious-ratings report something to show. One ``credit_rebuild`` then
   counts every rating and sets every figure.

Everything is drawn from ``random.Random`` seeded with fixed strings, so every run builds the
same history; a shop that has its history already is skipped, so running ``seed_demo`` again
adds nothing. The services own their transactions, so both steps are marked
``owns_transactions``.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from escrow.models import Checkout, LedgerAccount, Order
from escrow.services.ledger import clearing_account, ledger_account
from marketplace.accounts.demo import DEMO_USERS
from marketplace.accounts.models import User
from marketplace.money import to_money
from ratings.conf import ratings_setting
from ratings.models import Rating
from ratings.services.ratings import DSR, rating_reply, rating_submit
from ratings.services.rebuild import credit_rebuild
from shops.models import SKU, Category, Listing, Shop

Role, Value, Status = Rating.Role, Rating.Value, Rating.Status

# The demo shop (by its seller's username), the credit points it earns (counted good ratings
# minus bad ones) and over how many past months. Each lands in the middle of its grade, so the
# few points the demo trades add do not move it.
CREDIT_PLAN = [
    ("seller_yiwu", 10_400, 12),  # 1 crown (10,001–20,000)
    ("seller_junpu", 380, 6),  # 1 diamond (251–500)
    ("seller_bainiu", 196, 6),  # 5 hearts (151–250)
    ("seller_anji", 118, 6),  # 4 hearts (91–150)
    ("seller_caoxian", 62, 6),  # 3 hearts (41–90)
    ("seller_puer", 24, 5),  # 2 hearts (11–40)
    ("seller_luochuan", 6, 3),  # 1 heart (4–10)
]
SHOPPERS = 900  # the generated buyers; at most this many orders per shop and month
SHOPPER_PREFIX = "shopper"
BAD_SHARE, NEUTRAL_SHARE = 0.003, 0.008  # of the history's ratings by buyers
DEFAULT_SHARE = 0.1  # of orders whose seller never rated: a default good rating at window end
BRUSHED_SHOP = "seller_junpu"
BRUSHER = "lucky_star_88"  # joined two weeks ago, ordered one listing five times since
BRUSHED_ORDERS = 5
BRUSHED_PRICE_SHARE = Decimal("0.15")  # of the listing's price
BATCH = 2000  # rows per INSERT

GOOD_COMMENTS = [
    "宝贝收到了，质量很好，和描述一致！",
    "物流超快，包装严实，好评。",
    "第二次购买了，一如既往的好。",
    "老板人很好，有问必答。",
    "Arrived quickly and exactly as pictured.",
    "性价比很高，推荐。",
    "Good quality, will buy again.",
]
NEUTRAL_COMMENTS = ["东西还行，物流有点慢。", "颜色和图片有点色差。", "OK, but the box was dented."]
BAD_COMMENTS = ["收到的和描述不符，联系客服也没回。", "Broke after two days of use."]
REPLIES = [
    "亲，给您添麻烦了，已经联系快递核实，有问题随时找我们。",
    "Sorry about that — please message us and we will make it right.",
]
SELLER_COMMENTS = ["好买家，付款爽快！", "", "", "Pleasant to deal with, thank you."]


def steps() -> list[tuple[str, Callable[[], None]]]:
    rate = partial(rate_demo_trades)
    history = partial(build_credit_histories)
    rate.owns_transactions = True  # type: ignore[attr-defined]
    history.owns_transactions = True  # type: ignore[attr-defined]
    if not ratings_setting("DEMO_CREDIT_HISTORY"):  # the tests of other apps' demo data
        return [("ratings of demo trades", rate)]
    return [("ratings of demo trades", rate), ("credit history of demo shops", history)]


def _random(seed: str) -> random.Random:
    return random.Random(seed)  # noqa: S311 (reproducible demo data, nothing secret)


# --- 1. Demo trades, rated through the services -----------------------------------------------

# Who rates the n-th completed demo order (in turn): both sides, one of them, or nobody yet.
RATERS = ["both", "both", "buyer", "both", "seller", "both", "both", "nobody"]


def rate_demo_trades() -> None:
    buyers = [username for username, _, _ in DEMO_USERS]
    orders = (
        Order.objects.filter(status=Order.Status.COMPLETED, buyer__username__in=buyers)
        .select_related("buyer", "shop__owner")
        .order_by("pk")
    )
    for number, order in enumerate(orders):
        _rate_trade(order, number)


def _rate_trade(order: Order, number: int) -> None:
    assert order.completed_at is not None
    if timezone.now() > order.completed_at + ratings_setting("RATING_WINDOW"):
        return  # too late to rate (seed_demo run again weeks later)
    rng = _random(f"rating of demo trade {number}")
    raters = RATERS[number % len(RATERS)]
    value = Value.GOOD
    if number % 9 == 4:
        value = Value.NEUTRAL
    elif number % 13 == 6:
        value = Value.BAD
    done = set(Rating.objects.filter(order=order).values_list("role", flat=True))
    if raters in ("both", "buyer") and Role.BY_BUYER not in done:
        rating_submit(
            order=order,
            rater=order.buyer,
            value=value,
            comment=_comment(rng, value),
            dsr=DSR(*_dsr(rng, value)),
        )
    if raters in ("both", "seller") and Role.BY_SELLER not in done:
        rating_submit(
            order=order,
            rater=order.shop.owner,
            value=Value.GOOD,
            comment=rng.choice(SELLER_COMMENTS),
        )
    answered = Rating.objects.filter(
        order=order, role=Role.BY_BUYER, status=Status.PUBLISHED, value__lt=Value.GOOD
    ).first()
    if answered is not None and answered.replied_at is None:
        rating_reply(rating=answered, user=order.shop.owner, text=rng.choice(REPLIES))


def _comment(rng: random.Random, value: int) -> str:
    if value == Value.GOOD:
        return rng.choice(GOOD_COMMENTS) if rng.random() < 0.4 else ""
    return rng.choice(NEUTRAL_COMMENTS if value == Value.NEUTRAL else BAD_COMMENTS)


def _dsr(rng: random.Random, value: int) -> tuple[int, int, int]:
    if value == Value.GOOD:
        return rng.choice((5, 5, 5, 4)), rng.choice((5, 5, 5, 4)), rng.choice((5, 5, 4, 4))
    if value == Value.NEUTRAL:
        return 3, rng.choice((3, 4)), 3
    return rng.choice((1, 2)), 2, rng.choice((2, 3))


# --- 2. Credit histories, written in bulk -----------------------------------------------------


@dataclass(frozen=True)
class Trade:
    """One completed order of the history and how both sides rated it."""

    buyer_id: int
    sku: SKU  # with its listing
    quantity: int
    unit_price: Decimal
    placed_at: datetime
    shipped_after: timedelta
    confirmed_after: timedelta
    value: int
    dsr: tuple[int, int, int]
    comment: str
    buyer_rated_after: timedelta  # after completion
    seller_rated_after: timedelta | None  # None: the seller never rated (a default good)

    @property
    def paid_at(self) -> datetime:
        return self.placed_at + timedelta(minutes=7)

    @property
    def shipped_at(self) -> datetime:
        return self.paid_at + self.shipped_after

    @property
    def completed_at(self) -> datetime:
        return self.shipped_at + self.confirmed_after

    @property
    def goods_total(self) -> Decimal:
        return self.unit_price * self.quantity


def build_credit_histories() -> None:
    shoppers = _shoppers()
    shops = {
        shop.owner.username: shop
        for shop in Shop.objects.filter(
            owner__username__in=[seller for seller, _, _ in CREDIT_PLAN]
        ).select_related("owner")
    }
    for offset, (seller, points, months) in enumerate(CREDIT_PLAN):
        shop = shops.get(seller)
        if shop is None or _has_history(shop):
            continue
        trades = list(_history(shop, shoppers, points, months, offset))
        if seller == BRUSHED_SHOP:
            trades += _brushing(shop, trades)
        _write(shop, trades)
    # A published rating that does not count always says why, once counted: these were written
    # in bulk (by this run, or by one interrupted before its rebuild) and never counted.
    never_counted = Rating.objects.filter(
        buyer__username__startswith=SHOPPER_PREFIX,
        status=Status.PUBLISHED,
        counted=False,
        count_note="",
    )
    if never_counted.exists():
        credit_rebuild()


def _shoppers() -> list[int]:
    """The ids of the generated shoppers, created on the first run (two years ago)."""
    joined = timezone.now() - timedelta(days=730)
    rng = _random("shoppers")
    password = make_password(None)
    User.objects.bulk_create(
        (
            User(
                username=f"{SHOPPER_PREFIX}{number:04d}",
                email=f"{SHOPPER_PREFIX}{number:04d}@example.com",
                password=password,
                first_name=rng.choice(GIVEN_NAMES),
                last_name=rng.choice(SURNAMES),
                date_joined=joined + timedelta(hours=number),
            )
            for number in range(SHOPPERS)
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    names = [f"{SHOPPER_PREFIX}{number:04d}" for number in range(SHOPPERS)]
    ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    return [ids[name] for name in names]


def _has_history(shop: Shop) -> bool:
    return Order.objects.filter(shop=shop, buyer__username__startswith=SHOPPER_PREFIX).exists()


def _skus(shop: Shop) -> list[SKU]:
    """Per active listing, its cheapest active SKU that earns credit (over 1.00)."""
    skus = (
        SKU.objects.filter(
            listing__shop=shop,
            listing__status=Listing.Status.ACTIVE,
            is_active=True,
            price__gt=ratings_setting("SMALL_ORDER_TOTAL"),
        )
        .select_related("listing__category")
        .order_by("listing_id", "price", "position", "pk")
    )
    cheapest: dict[int, SKU] = {}
    for sku in skus:
        cheapest.setdefault(sku.listing_id, sku)
    return list(cheapest.values())


def _month_start(months_back: int) -> datetime:
    """Midnight of the first day of the month ``months_back`` before this one, local time."""
    today = timezone.localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE))
    year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return today.replace(
        year=year, month=month + 1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def _history(
    shop: Shop, shoppers: list[int], points: int, months: int, offset: int
) -> Iterator[Trade]:
    """Orders from distinct shoppers, month after month back from last month, until the
    ratings earn ``points``. A shopper orders from a shop at most once a month, always on the
    same day (so a listing bought again is bought 28 days or more later), and every rating
    counts."""
    rng = _random(f"credit history of {shop.slug}")
    skus = _skus(shop)
    per_month = -(-round(points * 1.02) // months)
    earned = count = 0
    while earned < points:
        months_back, slot = 1 + count // per_month, count % per_month
        shopper = (offset * 97 + slot) % len(shoppers)
        sku = skus[(shopper + months_back) % len(skus)]
        virtual = sku.listing.shipping_method == Listing.ShippingMethod.VIRTUAL
        day, minute = shopper % 18, (shopper * 37) % (12 * 60)
        placed = _month_start(months_back) + timedelta(days=day, hours=9, minutes=minute)
        roll = rng.random()
        value = Value.BAD if roll < BAD_SHARE else Value.GOOD
        if BAD_SHARE <= roll < BAD_SHARE + NEUTRAL_SHARE:
            value = Value.NEUTRAL
        never = months_back >= 2 and rng.random() < DEFAULT_SHARE
        yield Trade(
            buyer_id=shoppers[shopper],
            sku=sku,
            quantity=rng.choice((1, 1, 1, 2)),
            unit_price=sku.price,
            placed_at=placed,
            shipped_after=timedelta(minutes=rng.randint(2, 30))
            if virtual
            else timedelta(hours=rng.randint(4, 40)),
            confirmed_after=timedelta(hours=rng.randint(36, 120)),
            value=value,
            dsr=_dsr(rng, value),
            comment=_comment(rng, value),
            buyer_rated_after=timedelta(hours=rng.randint(1, 48)),
            seller_rated_after=None if never else timedelta(hours=rng.randint(1, 40)),
        )
        earned += value
        count += 1


def _brushing(shop: Shop, history: list[Trade]) -> list[Trade]:
    """``BRUSHER`` orders one listing ``BRUSHED_ORDERS`` times in the last two weeks, at a
    fraction of its price, confirming receipt minutes after shipping and rating it good. The
    listing is the one the history sold most often lately, so its usual price stays the real
    one."""
    brusher, _ = User.objects.get_or_create(
        username=BRUSHER,
        defaults={
            "email": f"{BRUSHER}@example.com",
            "password": make_password(None),
            "date_joined": timezone.now() - timedelta(days=14),
        },
    )
    lately = timezone.now() - timedelta(days=60)
    sales = Counter(trade.sku for trade in history if trade.placed_at >= lately)
    sku = max(sales, key=lambda sku: (sales[sku], sku.price, -sku.pk))
    price = to_money(sku.price * BRUSHED_PRICE_SHARE)
    first = timezone.now() - timedelta(days=12)
    return [
        Trade(
            buyer_id=brusher.pk,
            sku=sku,
            quantity=1,
            unit_price=price,
            placed_at=first + timedelta(hours=36 * number),
            shipped_after=timedelta(hours=2),
            confirmed_after=timedelta(minutes=12),
            value=Value.GOOD,
            dsr=(5, 5, 5),
            comment="好评！",
            buyer_rated_after=timedelta(minutes=20),
            seller_rated_after=timedelta(minutes=25),
        )
        for number in range(BRUSHED_ORDERS)
    ]


def _write(shop: Shop, trades: list[Trade]) -> None:
    """The trades as the escrow services leave completed orders, and their ratings, in one
    transaction (the ledger's deferred balance check runs at its commit)."""
    with transaction.atomic():
        checkouts = Checkout.objects.bulk_create(
            (Checkout(buyer_id=trade.buyer_id) for trade in trades), batch_size=BATCH
        )
        orders = Order.objects.bulk_create(
            (
                _order(shop, trade, checkout)
                for trade, checkout in zip(trades, checkouts, strict=True)
            ),
            batch_size=BATCH,
        )
        ids = [order.pk for order in orders]
        seller = ledger_account(LedgerAccount.Kind.SELLER_AVAILABLE, shop=shop)
        parameters: dict[str, Any] = {
            "ids": ids,
            "placed": [trade.placed_at for trade in trades],
            "skus": [trade.sku.pk for trade in trades],
            "listings": [trade.sku.listing_id for trade in trades],
            "titles": [trade.sku.listing.title for trade in trades],
            "labels": [trade.sku.label for trade in trades],
            "prices": [trade.unit_price for trade in trades],
            "quantities": [trade.quantity for trade in trades],
            "clearing": clearing_account().pk,
            "seller": seller.pk,
            "owner": shop.owner_id,
        }
        with connection.cursor() as cursor:
            for statement in HISTORY_SQL:
                cursor.execute(statement, parameters)
        roots = _category_roots()
        Rating.objects.bulk_create(
            (
                rating
                for trade, order in zip(trades, orders, strict=True)
                for rating in _ratings(shop, trade, order, roots)
            ),
            batch_size=BATCH,
        )


def _order(shop: Shop, trade: Trade, checkout: Checkout) -> Order:
    listing = trade.sku.listing
    virtual = listing.shipping_method == Listing.ShippingMethod.VIRTUAL
    carrier = "" if virtual else "中通快递"
    return Order(
        checkout=checkout,
        buyer_id=trade.buyer_id,
        shop=shop,
        status=Order.Status.COMPLETED,
        goods_total=trade.goods_total,
        shipping_total=listing.shipping_fee,
        total=trade.goods_total + listing.shipping_fee,
        shipping_method=listing.shipping_method,
        carrier=carrier,
        tracking_number="" if virtual else f"ZTO{trade.buyer_id:06d}{trade.placed_at:%y%m%d%H%M}",
        payment_deadline=trade.placed_at + timedelta(hours=24),
        paid_at=trade.paid_at,
        ship_deadline=trade.paid_at + timedelta(hours=72),
        shipped_at=trade.shipped_at,
        completed_at=trade.completed_at,
    )


def _category_roots() -> dict[str, int]:
    return dict(Category.objects.filter(depth=1).values_list("path", "pk"))


def _ratings(shop: Shop, trade: Trade, order: Order, roots: dict[str, int]) -> list[Rating]:
    listing = trade.sku.listing
    completed = trade.completed_at
    window_ends = completed + ratings_setting("RATING_WINDOW")
    buyer_rated = completed + trade.buyer_rated_after
    if trade.seller_rated_after is None:
        seller_rated, published = window_ends, window_ends
    else:
        seller_rated = completed + trade.seller_rated_after
        published = max(buyer_rated, seller_rated)
    facts = {
        "order": order,
        "buyer_id": trade.buyer_id,
        "shop": shop,
        "listing": listing,
        "item_title": listing.title,
        "category_id": roots[listing.category.path[: Category.steplen]],
        "order_created_at": trade.placed_at,
        "goods_total": trade.goods_total,
        "status": Status.PUBLISHED,
        "counted": False,
        "count_note": "",  # not counted yet: see ``build_credit_histories``
        "window_ends_at": window_ends,
        "published_at": published,
    }
    replied = trade.value != Value.GOOD
    by_buyer = Rating(
        **facts,
        role=Role.BY_BUYER,
        rater_id=trade.buyer_id,
        value=trade.value,
        comment=trade.comment,
        dsr_described=trade.dsr[0],
        dsr_attitude=trade.dsr[1],
        dsr_shipping=trade.dsr[2],
        rated_at=buyer_rated,
        reply=REPLIES[trade.buyer_id % len(REPLIES)] if replied else "",
        replied_at=published + timedelta(hours=3) if replied else None,
    )
    by_seller = Rating(
        **facts,
        role=Role.BY_SELLER,
        rater_id=None if trade.seller_rated_after is None else shop.owner_id,
        value=Value.GOOD,
        comment=SELLER_COMMENTS[trade.buyer_id % len(SELLER_COMMENTS)]
        if trade.seller_rated_after is not None
        else "",
        is_default=trade.seller_rated_after is None,
        rated_at=seller_rated,
    )
    return [by_buyer, by_seller]


# Run in turn over the orders just inserted (``ids``, in the order of the trades): their
# creation times (``auto_now_add`` set them to now), their lines, payments and timelines, then
# the ledger as ``payment_succeeded`` and ``escrow_release`` post it, dated when they happened.
HISTORY_SQL = [
    """
    UPDATE escrow_order o SET created_at = p.placed_at
      FROM unnest(%(ids)s::bigint[], %(placed)s::timestamptz[]) AS p(id, placed_at)
     WHERE o.id = p.id
    """,
    """
    UPDATE escrow_checkout c SET created_at = o.created_at
      FROM escrow_order o
     WHERE o.checkout_id = c.id AND o.id = ANY(%(ids)s)
    """,
    """
    INSERT INTO escrow_orderline (order_id, sku_id, listing_id, title, sku_label, unit_price,
                                  quantity, line_total, commission_rate)
    SELECT l.order_id, l.sku_id, l.listing_id, l.title, l.sku_label, l.unit_price, l.quantity,
           l.unit_price * l.quantity, 0
      FROM unnest(%(ids)s::bigint[], %(skus)s::bigint[], %(listings)s::bigint[],
                  %(titles)s::text[], %(labels)s::text[], %(prices)s::numeric[],
                  %(quantities)s::int[])
           AS l(order_id, sku_id, listing_id, title, sku_label, unit_price, quantity)
    """,
    """
    INSERT INTO escrow_payment (public_id, checkout_id, buyer_id, provider, provider_reference,
                                amount, status, pay_url, failure_reason, created_at, settled_at)
    SELECT gen_random_uuid(), o.checkout_id, o.buyer_id, 'sandbox', '', o.total, 'succeeded',
           '', '', o.created_at, o.paid_at
      FROM escrow_order o WHERE o.id = ANY(%(ids)s)
    """,
    """
    INSERT INTO escrow_payment_orders (payment_id, order_id)
    SELECT p.id, o.id
      FROM escrow_order o JOIN escrow_payment p ON p.checkout_id = o.checkout_id
     WHERE o.id = ANY(%(ids)s)
    """,
    """
    INSERT INTO escrow_orderevent (order_id, type, actor_id, data, created_at)
    SELECT o.id, 'placed', o.buyer_id, jsonb_build_object('total', o.total::text), o.created_at
      FROM escrow_order o WHERE o.id = ANY(%(ids)s)
    UNION ALL
    SELECT o.id, 'paid', NULL, jsonb_build_object('payment', po.public_id::text), o.paid_at
      FROM escrow_order o
      JOIN escrow_payment_orders m ON m.order_id = o.id
      JOIN escrow_payment po ON po.id = m.payment_id
     WHERE o.id = ANY(%(ids)s)
    UNION ALL
    SELECT o.id, 'shipped', %(owner)s,
           jsonb_build_object('carrier', o.carrier, 'tracking_number', o.tracking_number),
           o.shipped_at
      FROM escrow_order o WHERE o.id = ANY(%(ids)s)
    UNION ALL
    SELECT o.id, 'completed', o.buyer_id, jsonb_build_object('released', o.total::text),
           o.completed_at
      FROM escrow_order o WHERE o.id = ANY(%(ids)s)
    """,
    """
    INSERT INTO escrow_ledgeraccount (kind, order_id, shop_id, balance)
    SELECT 'escrow', o.id, NULL, 0 FROM escrow_order o WHERE o.id = ANY(%(ids)s)
    """,
    """
    INSERT INTO escrow_ledgertransaction (kind, description, created_at, order_id, payment_id)
    SELECT 'payment', 'Payment ' || p.public_id || ' for order ' || o.public_id, o.paid_at,
           o.id, p.id
      FROM escrow_order o
      JOIN escrow_payment_orders m ON m.order_id = o.id
      JOIN escrow_payment p ON p.id = m.payment_id
     WHERE o.id = ANY(%(ids)s)
    UNION ALL
    SELECT 'release', 'Order ' || o.public_id || ' completed', o.completed_at, o.id, NULL
      FROM escrow_order o WHERE o.id = ANY(%(ids)s)
    """,
    """
    INSERT INTO escrow_ledgerentry (transaction_id, account_id, amount)
    SELECT t.id, e.account_id, e.amount
      FROM escrow_ledgertransaction t
      JOIN escrow_order o ON o.id = t.order_id
      JOIN escrow_ledgeraccount held ON held.order_id = o.id AND held.kind = 'escrow'
     CROSS JOIN LATERAL (VALUES
           (CASE t.kind WHEN 'payment' THEN %(clearing)s ELSE held.id END, -o.total),
           (CASE t.kind WHEN 'payment' THEN held.id ELSE %(seller)s END, o.total)
     ) AS e(account_id, amount)
     WHERE o.id = ANY(%(ids)s)
     ORDER BY t.id, e.amount
    """,
    """
    UPDATE escrow_ledgeraccount
       SET balance = balance + (SELECT sum(total) FROM escrow_order WHERE id = ANY(%(ids)s))
     WHERE id = %(seller)s
    """,
]

SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
]
GIVEN_NAMES = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰"]
