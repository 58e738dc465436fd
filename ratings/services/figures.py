"""Keeping the credit figures up to date as ratings change, in the same transaction.

Every change to a rating goes through ``ratings_recount``: it locks every rating of that
direction between the buyer and the seller, applies the change, re-runs the counting rules over
the pair (a removal can let a later rating count) and, if what the pair contributes changed, adds
the difference to the figures of the credited side (the shop's ``SellerCredit`` for ratings by
buyers, the buyer's ``BuyerCredit`` for ratings by sellers) and to the categories' DSR, with
upserts that lock the rows, all in one statement. Lock order: the order, the pair
(``pair_lock_sql``), the pair's ratings, the figures rows (the shop's, the categories' by id, the
buyer's), the shop's copy of its figures; an order's two sides are published together, the
buyer's first (``ratings_recount_together``), and a rating published as it is submitted is
counted before it is inserted. The nightly rebuild locks the tables in the same order.
"""

from collections.abc import Callable
from dataclasses import astuple, dataclass, fields, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from ratings.conf import ratings_setting
from ratings.models import BuyerCredit, Rating, RatingsState, SellerCredit
from ratings.services.counting import Facts, count_pair, grade_level
from shops.services.shops import shop_credit_set

COUNTING_FIELDS = ["counted", "points", "count_note"]
RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Contribution:
    """What one rating adds to its credited side's figures."""

    score: int = 0
    good: int = 0
    neutral: int = 0
    bad: int = 0
    dsr_count: int = 0
    dsr_described_sum: int = 0
    dsr_attitude_sum: int = 0
    dsr_shipping_sum: int = 0

    def __add__(self, other: "Contribution") -> "Contribution":
        return Contribution(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def __sub__(self, other: "Contribution") -> "Contribution":
        return Contribution(*(a - b for a, b in zip(astuple(self), astuple(other), strict=True)))


NOTHING = Contribution()


def window_start() -> datetime:
    """Where the 180-day figures start: set by the nightly rebuild."""
    state = RatingsState.objects.first()
    if state is None:
        state = RatingsState.objects.create(
            window_start=timezone.now() - ratings_setting("FIGURES_WINDOW")
        )
    return state.window_start


def contribution(rating: Rating, since: datetime) -> Contribution:
    if not rating.counted:
        return NOTHING
    if rating.rated_at < since:
        return Contribution(score=rating.points)
    value = rating.value
    dsr = rating.role == Rating.Role.BY_BUYER and rating.has_dsr
    return Contribution(
        score=rating.points,
        good=int(value == 1),
        neutral=int(value == 0),
        bad=int(value == -1),
        dsr_count=int(dsr),
        dsr_described_sum=rating.dsr_described or 0 if dsr else 0,
        dsr_attitude_sum=rating.dsr_attitude or 0 if dsr else 0,
        dsr_shipping_sum=rating.dsr_shipping or 0 if dsr else 0,
    )


def _dsr_only(total: Contribution) -> Contribution:
    return Contribution(
        dsr_count=total.dsr_count,
        dsr_described_sum=total.dsr_described_sum,
        dsr_attitude_sum=total.dsr_attitude_sum,
        dsr_shipping_sum=total.dsr_shipping_sum,
    )


def good_rate(good: int, neutral: int, bad: int) -> Decimal | None:
    total = good + neutral + bad
    if not total:
        return None
    return (Decimal(good) / Decimal(total)).quantize(RATE_PLACES, ROUND_HALF_UP)


def facts_of(rating: Rating) -> Facts:
    return Facts(
        key=rating.pk,
        order_id=rating.order_id,
        status=rating.status,
        value=rating.value,
        listing_id=rating.listing_id,
        order_created_at=rating.order_created_at,
        goods_total=rating.goods_total,
    )


def pair_lock_sql(buyer: str, shop: str) -> str:
    """The SQL expression that takes the pair's lock for the columns ``buyer`` and ``shop``:
    until the end of the transaction, the only change that may recount the ratings between this
    buyer and this seller, in either direction, so an order's ratings and the pair's other
    orders' ratings change one transaction at a time. The pair's rows must be read by a later
    statement, whose snapshot then includes the rows that a transaction that held the lock before
    has inserted; row locks alone would not show them (a statement that waited for a row sees the
    row's newest version, but not rows inserted after the statement began)."""
    return f"pg_advisory_xact_lock(hashtextextended('rating pair ' || {buyer} || ' ' || {shop}, 0))"


def pair_select_for_update(rating: Rating, *, both_directions: bool = False) -> list[Rating]:
    """Every rating of ``rating``'s direction (or of both directions) between its buyer and
    seller, locked, by id. Each carries ``figures_since``, the start of the 180-day window
    (``RatingsState``), read in the same statement: after the lock, as the nightly rebuild that
    moves it locks the ratings table first."""
    roles = [*Rating.Role.values] if both_directions else [rating.role]
    state = RatingsState.objects.order_by("pk").values("window_start")[:1]
    return list(
        Rating.objects.select_for_update(of=("self",))
        .filter(role__in=roles, buyer_id=rating.buyer_id, shop_id=rating.shop_id)
        .annotate(figures_since=Subquery(state))
        .order_by("pk")
    )


def order_pairs_select_for_update(
    *, order_id: int, role: str, buyer_id: int, shop_id: int
) -> list[Rating]:
    """For ``role`` about to rate order ``order_id`` (the order locked already, so its ratings
    stay as they are): the order's ratings, locked, and, if the other side's rating is pending
    (both will be published), every rating of both directions between the buyer and the seller
    (``pair_select_for_update``), in one statement. The pair's buyer is matched with the other
    side's pending rating's buyer (none when there is none), so that both arms are index scans
    and the pair's rows are not read when only the order's are needed."""
    other_pending = (
        Rating.objects.filter(order_id=order_id, status=Rating.Status.PENDING)
        .exclude(role=role)
        .order_by()
    )
    pair = Q(
        role__in=Rating.Role.values,
        buyer_id=Subquery(other_pending.values("buyer_id")[:1]),
        shop_id=shop_id,
    )
    state = RatingsState.objects.order_by("pk").values("window_start")[:1]
    return list(
        Rating.objects.select_for_update(of=("self",))
        .filter(Q(order_id=order_id) | pair)
        .annotate(figures_since=Subquery(state))
        .order_by("pk")
    )


def _since(locked: list[Rating]) -> datetime:
    """The window's start as read with the locked pair, or (no pair, no state yet) as stored."""
    since = getattr(locked[0], "figures_since", None) if locked else None
    return since if since is not None else window_start()


CREDIT_ADD_SQL = """
    INSERT INTO {table} ({key}, {names}) SELECT %s, {placeholders} FROM {after}
    ON CONFLICT ({key}) DO UPDATE SET {additions}
    RETURNING score, good, neutral, bad
"""

CATEGORY_ADD_SQL = """
    INSERT INTO ratings_categorydsr (category_id, dsr_count, dsr_described_sum,
                                     dsr_attitude_sum, dsr_shipping_sum)
    SELECT v.* FROM (VALUES {rows}) v, {after} ORDER BY 1
    ON CONFLICT (category_id) DO UPDATE
       SET dsr_count = ratings_categorydsr.dsr_count + EXCLUDED.dsr_count,
           dsr_described_sum = ratings_categorydsr.dsr_described_sum + EXCLUDED.dsr_described_sum,
           dsr_attitude_sum = ratings_categorydsr.dsr_attitude_sum + EXCLUDED.dsr_attitude_sum,
           dsr_shipping_sum = ratings_categorydsr.dsr_shipping_sum + EXCLUDED.dsr_shipping_sum
    RETURNING 1
"""


def _credit_add(
    *, by_buyer: bool, pk: int, total: Contribution, after: str
) -> tuple[str, list[int]]:
    """The upsert adding ``total`` to the credited side's figures row (created on first use),
    returning its score, good, neutral and bad afterwards; it runs after ``after``."""
    names = [f.name for f in fields(total) if by_buyer or not f.name.startswith("dsr")]
    model = SellerCredit if by_buyer else BuyerCredit
    sql = CREDIT_ADD_SQL.format(
        table=model._meta.db_table,
        key=model._meta.pk.column,
        names=", ".join(names),
        placeholders=", ".join(["%s"] * len(names)),
        after=after,
        additions=", ".join(f"{n} = {model._meta.db_table}.{n} + EXCLUDED.{n}" for n in names),
    )
    return sql, [pk, *(getattr(total, n) for n in names)]


def _categories_add(by_category: dict[int, Contribution], after: str) -> tuple[str, list[int]]:
    """The upsert adding the DSR deltas to the categories' rows (created on first use), in
    category order; it runs after ``after``."""
    rows = sorted(by_category.items())
    sql = CATEGORY_ADD_SQL.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(rows)), after=after)
    return sql, [
        value
        for category_id, delta in rows
        for value in (
            category_id,
            delta.dsr_count,
            delta.dsr_described_sum,
            delta.dsr_attitude_sum,
            delta.dsr_shipping_sum,
        )
    ]


def _figures_add(
    *,
    shop_id: int,
    seller: Contribution,
    by_category: dict[int, Contribution],
    buyer_id: int,
    buyer: Contribution,
) -> tuple[int, int, int, int] | None:
    """Add the deltas to the figures rows that change, in one statement and in the lock order:
    the shop's ``SellerCredit``, the categories' ``CategoryDSR`` (by id), the buyer's
    ``BuyerCredit``. Each upsert is a data-modifying ``WITH`` reading a count of the one before
    it, so it runs (and locks its rows) only after that one finished. Returns the shop's score,
    good, neutral and bad afterwards if its row changed."""
    parts: list[tuple[str, tuple[str, list[int]]]] = []
    after = "(SELECT 1) AS first"
    if seller != NOTHING:
        parts.append(("seller", _credit_add(by_buyer=True, pk=shop_id, total=seller, after=after)))
        after = "(SELECT count(*) FROM seller) AS after_seller"
    if by_category:
        parts.append(("categories", _categories_add(by_category, after=after)))
        after = "(SELECT count(*) FROM categories) AS after_categories"
    if buyer != NOTHING:
        parts.append(("buyer", _credit_add(by_buyer=False, pk=buyer_id, total=buyer, after=after)))
    if not parts:
        return None
    main = "SELECT score, good, neutral, bad FROM seller" if seller != NOTHING else "SELECT 1"
    sql = "WITH " + ", ".join(f"{name} AS ({part})" for name, (part, _) in parts) + " " + main
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for _, (_, params) in parts for value in params])
        row = cursor.fetchone()
    if seller == NOTHING:
        return None
    score, good, neutral, bad = row
    return score, good, neutral, bad


Change = Callable[[Rating], list[str]]


def ratings_recount(
    *, rating: Rating, change: Change | None = None, pair: list[Rating] | None = None
) -> Rating:
    """Apply ``change`` to ``rating`` (it edits the rating in place and returns the names of the
    fields it changed), then bring the counting of the rating's pair and the figures up to date.
    Must run inside the caller's transaction. ``pair`` is the rating's pair if the caller locked
    it already (``pair_select_for_update``); ``rating`` must then be one of its members. Returns
    the rating as saved."""
    return ratings_recount_together(changes=[(rating, change)], locked=pair)[0]


def ratings_recount_together(
    *, changes: list[tuple[Rating, Change | None]], locked: list[Rating] | None = None
) -> list[Rating]:
    """``ratings_recount`` for several ratings between one buyer and one seller (an order's two
    sides published together), with one lock, one write of the ratings and one update of each
    figures row: the buyer's direction first. ``locked`` holds the pairs of every direction
    changed if the caller locked them already. A rating not saved yet (no ``pk``, a new rating
    published at once) is counted with its pair and inserted with its counting, not updated
    after. Returns the ratings as saved, in order."""
    assert transaction.get_connection().in_atomic_block
    first = changes[0][0]
    assert all((r.buyer_id, r.shop_id) == (first.buyer_id, first.shop_id) for r, _ in changes), (
        "one buyer and one seller"
    )
    roles = sorted({r.role for r, _ in changes}, key=lambda role: role != Rating.Role.BY_BUYER)
    if locked is None:
        locked = pair_select_for_update(first, both_directions=len(roles) > 1)
    since = _since(locked)
    by_pk = {r.pk: r for r in locked}
    targets = [r if r.pk is None else by_pk[r.pk] for r, _ in changes]
    new = [t for t in targets if t.pk is None]
    members = [*locked, *new]
    # The rules key ratings by id: the new ones get keys no saved rating has.
    keys = {id(r): r.pk if r.pk is not None else -1 - i for i, r in enumerate(members)}
    before = {id(r): NOTHING if r.pk is None else contribution(r, since) for r in members}
    changed_fields: set[str] = set()
    for target, (_, change) in zip(targets, changes, strict=True):
        changed_fields.update(change(target) if change else [])
    touched: list[Rating] = []
    totals: dict[str, Contribution] = {}
    by_category: dict[int, Contribution] = {}
    for role in roles:
        pair = [r for r in members if r.role == role]
        outcomes = count_pair(replace(facts_of(r), key=keys[id(r)]) for r in pair)
        total = NOTHING
        for member in pair:
            outcome = outcomes[keys[id(member)]]
            if member.pk is not None and (
                any(member is t for t in targets)
                or (member.counted, member.points, member.count_note)
                != (outcome.counted, outcome.points, outcome.note)
            ):
                touched.append(member)
            member.counted, member.points, member.count_note = (
                outcome.counted,
                outcome.points,
                outcome.note,
            )
            delta = contribution(member, since) - before[id(member)]
            total = total + delta
            dsr = _dsr_only(delta)
            if member.category_id is not None and dsr != NOTHING:
                by_category[member.category_id] = by_category.get(member.category_id, NOTHING) + dsr
        totals[role] = total
    for rating in new:
        rating.save(force_insert=True)
    written = [*COUNTING_FIELDS, *sorted(changed_fields)]
    if len(touched) == 1:  # the usual case: a plain UPDATE, cheaper to plan than bulk_update's
        touched[0].save(update_fields=written)
    elif touched:
        Rating.objects.bulk_update(touched, written)
    # The figures rows, locked after the ratings, in one statement: the shop's, the categories'
    # (only buyers give DSR), the buyer's; then the shop's copy of its figures if it changed.
    seller = totals.get(Rating.Role.BY_BUYER, NOTHING)
    shop_row = _figures_add(
        shop_id=first.shop_id,
        seller=seller,
        by_category={pk: delta for pk, delta in by_category.items() if delta != NOTHING},
        buyer_id=first.buyer_id,
        buyer=totals.get(Rating.Role.BY_SELLER, NOTHING),
    )
    if shop_row is not None:
        score, good, neutral, bad = shop_row
        shown = (score, grade_level(score), good_rate(good, neutral, bad))
        before_score = score - seller.score
        shown_before = (
            before_score,
            grade_level(before_score),
            good_rate(good - seller.good, neutral - seller.neutral, bad - seller.bad),
        )
        if shown != shown_before:
            shop_credit_set(
                shop_id=first.shop_id, score=shown[0], level=shown[1], good_rate=shown[2]
            )
    return targets
