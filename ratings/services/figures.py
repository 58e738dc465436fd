"""Keeping the credit figures up to date as ratings change, in the same transaction.

Every change to a rating goes through ``ratings_recount``: it locks every rating of that
direction between the buyer and the seller, applies the change, re-runs the counting rules over
the pair (a removal can let a later rating count) and, if what the pair contributes changed, adds
the difference to the figures of the credited side (the shop's ``SellerCredit`` for ratings by
buyers, the buyer's ``BuyerCredit`` for ratings by sellers) and to the categories' DSR, each in
one upsert that locks the row. Lock order: the order, the pair's ratings, the figures rows (the
shop's, the categories' by id, the buyer's); an order's two sides are published together, the
buyer's first (``ratings_recount_together``). The nightly rebuild locks the tables in the same
order.
"""

from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
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


def pair_select_for_update(rating: Rating, *, both_directions: bool = False) -> list[Rating]:
    """Every rating of ``rating``'s direction (or of both directions) between its buyer and
    seller, locked, by id."""
    roles = [*Rating.Role.values] if both_directions else [rating.role]
    return list(
        Rating.objects.select_for_update()
        .filter(role__in=roles, buyer_id=rating.buyer_id, shop_id=rating.shop_id)
        .order_by("pk")
    )


CREDIT_ADD_SQL = """
    INSERT INTO {table} ({key}, {names}) VALUES (%s, {placeholders})
    ON CONFLICT ({key}) DO UPDATE SET {additions}
    RETURNING score, good, neutral, bad
"""


def _credit_add(*, by_buyer: bool, pk: int, total: Contribution) -> tuple[int, int, int, int]:
    """Add ``total`` to the credited side's figures row (created on first use), locking it, in
    one statement; returns its score, good, neutral and bad afterwards."""
    names = [f.name for f in fields(total) if by_buyer or not f.name.startswith("dsr")]
    model = SellerCredit if by_buyer else BuyerCredit
    sql = CREDIT_ADD_SQL.format(
        table=model._meta.db_table,
        key=model._meta.pk.column,
        names=", ".join(names),
        placeholders=", ".join(["%s"] * len(names)),
        additions=", ".join(f"{n} = {model._meta.db_table}.{n} + EXCLUDED.{n}" for n in names),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *(getattr(total, n) for n in names)])
        score, good, neutral, bad = cursor.fetchone()
    return score, good, neutral, bad


CATEGORY_ADD_SQL = """
    INSERT INTO ratings_categorydsr (category_id, dsr_count, dsr_described_sum,
                                     dsr_attitude_sum, dsr_shipping_sum)
    VALUES {rows}
    ON CONFLICT (category_id) DO UPDATE
       SET dsr_count = ratings_categorydsr.dsr_count + EXCLUDED.dsr_count,
           dsr_described_sum = ratings_categorydsr.dsr_described_sum + EXCLUDED.dsr_described_sum,
           dsr_attitude_sum = ratings_categorydsr.dsr_attitude_sum + EXCLUDED.dsr_attitude_sum,
           dsr_shipping_sum = ratings_categorydsr.dsr_shipping_sum + EXCLUDED.dsr_shipping_sum
"""


def _categories_add(by_category: dict[int, Contribution]) -> None:
    """Add the DSR deltas to the categories' rows (created on first use), in category order."""
    if not by_category:
        return
    rows = sorted(by_category.items())
    with connection.cursor() as cursor:
        cursor.execute(
            CATEGORY_ADD_SQL.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))),
            [
                value
                for category_id, delta in rows
                for value in (
                    category_id,
                    delta.dsr_count,
                    delta.dsr_described_sum,
                    delta.dsr_attitude_sum,
                    delta.dsr_shipping_sum,
                )
            ],
        )


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
    changed if the caller locked them already. Returns the ratings as saved, in order."""
    assert transaction.get_connection().in_atomic_block
    first = changes[0][0]
    assert all((r.buyer_id, r.shop_id) == (first.buyer_id, first.shop_id) for r, _ in changes), (
        "one buyer and one seller"
    )
    roles = sorted({r.role for r, _ in changes}, key=lambda role: role != Rating.Role.BY_BUYER)
    if locked is None:
        locked = pair_select_for_update(first, both_directions=len(roles) > 1)
    since = window_start()
    by_pk = {r.pk: r for r in locked}
    targets = [by_pk[r.pk] for r, _ in changes]
    before = {r.pk: contribution(r, since) for r in locked}
    changed_fields: set[str] = set()
    for target, (_, change) in zip(targets, changes, strict=True):
        changed_fields.update(change(target) if change else [])
    touched: list[Rating] = []
    totals: dict[str, Contribution] = {}
    by_category: dict[int, Contribution] = {}
    for role in roles:
        pair = [r for r in locked if r.role == role]
        outcomes = count_pair(facts_of(r) for r in pair)
        total = NOTHING
        for member in pair:
            outcome = outcomes[member.pk]
            if any(member is t for t in targets) or (
                member.counted,
                member.points,
                member.count_note,
            ) != (outcome.counted, outcome.points, outcome.note):
                touched.append(member)
            member.counted, member.points, member.count_note = (
                outcome.counted,
                outcome.points,
                outcome.note,
            )
            delta = contribution(member, since) - before[member.pk]
            total = total + delta
            dsr = _dsr_only(delta)
            if member.category_id is not None and dsr != NOTHING:
                by_category[member.category_id] = by_category.get(member.category_id, NOTHING) + dsr
        totals[role] = total
    written = [*COUNTING_FIELDS, *sorted(changed_fields)]
    if len(touched) == 1:  # the usual case: a plain UPDATE, cheaper to plan than bulk_update's
        touched[0].save(update_fields=written)
    else:
        Rating.objects.bulk_update(touched, written)
    # The figures rows, locked after the ratings: the shop's, the categories', the buyer's.
    for role in roles:
        by_buyer, total = role == Rating.Role.BY_BUYER, totals[role]
        if total != NOTHING:
            credited_pk = first.shop_id if by_buyer else first.buyer_id
            score, good, neutral, bad = _credit_add(by_buyer=by_buyer, pk=credited_pk, total=total)
        if by_buyer:  # only buyers give DSR
            _categories_add({pk: delta for pk, delta in by_category.items() if delta != NOTHING})
        if by_buyer and total != NOTHING:
            shown = (score, grade_level(score), good_rate(good, neutral, bad))
            before_score = score - total.score
            shown_before = (
                before_score,
                grade_level(before_score),
                good_rate(good - total.good, neutral - total.neutral, bad - total.bad),
            )
            if shown != shown_before:
                shop_credit_set(
                    shop_id=first.shop_id, score=shown[0], level=shown[1], good_rate=shown[2]
                )
    return targets
