"""Keeping the credit figures up to date as ratings change, in the same transaction.

Every change to a rating goes through ``ratings_recount``: it locks every rating of that
direction between the buyer and the seller, then the figures of the credited side (the shop's
``SellerCredit`` for ratings by buyers, the buyer's ``BuyerCredit`` for ratings by sellers),
applies the change, re-runs the counting rules over the pair (a removal can let a later rating
count) and adds the difference of what the pair contributes to the figures. Lock order: the
order, the pair's ratings, the figures rows; an order's two sides are always published buyer's
first. The nightly rebuild locks the tables in the same order.
"""

from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from ratings.conf import ratings_setting
from ratings.models import BuyerCredit, CategoryDSR, Rating, RatingsState, SellerCredit
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

    def changes(self, *, with_dsr: bool) -> dict[str, F]:
        """``F()`` updates adding this contribution, for the fields that change."""
        names = [f.name for f in fields(self) if with_dsr or not f.name.startswith("dsr")]
        return {name: F(name) + getattr(self, name) for name in names if getattr(self, name)}


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


def _locked_row(model: type[Model], pk: int) -> Model:
    """The figures row, locked; created (safely against a concurrent creator) on first use."""
    manager = model._default_manager
    row = manager.select_for_update().filter(pk=pk).first()
    if row is None:
        manager.bulk_create([model(pk=pk)], ignore_conflicts=True)
        row = manager.select_for_update().get(pk=pk)
    return row


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


def ratings_recount(
    *, rating: Rating, change: Callable[[Rating], list[str]] | None = None
) -> Rating:
    """Apply ``change`` to ``rating`` (it edits the rating in place and returns the names of the
    fields it changed), then bring the counting of the rating's pair and the figures up to date.
    Must run inside the caller's transaction. Returns the rating as saved."""
    assert transaction.get_connection().in_atomic_block
    by_buyer = rating.role == Rating.Role.BY_BUYER
    pair = list(
        Rating.objects.select_for_update()
        .filter(role=rating.role, buyer_id=rating.buyer_id, shop_id=rating.shop_id)
        .order_by("pk")
    )
    subject: SellerCredit | BuyerCredit = (
        _locked_row(SellerCredit, rating.shop_id)  # type: ignore[assignment]
        if by_buyer
        else _locked_row(BuyerCredit, rating.buyer_id)
    )
    since = window_start()
    target = next(r for r in pair if r.pk == rating.pk)
    before = {r.pk: contribution(r, since) for r in pair}
    changed_fields = change(target) if change else []
    outcomes = count_pair(facts_of(r) for r in pair)
    total = NOTHING
    by_category: dict[int, Contribution] = {}
    touched = []
    for member in pair:
        outcome = outcomes[member.pk]
        if member is target or (member.counted, member.points, member.count_note) != (
            outcome.counted,
            outcome.points,
            outcome.note,
        ):
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
    Rating.objects.bulk_update(touched, [*COUNTING_FIELDS, *changed_fields])
    if total != NOTHING:
        type(subject)._default_manager.filter(pk=subject.pk).update(
            **total.changes(with_dsr=by_buyer)
        )
    for category_id, delta in sorted(by_category.items()):
        _locked_row(CategoryDSR, category_id)
        CategoryDSR.objects.filter(pk=category_id).update(**delta.changes(with_dsr=True))
    if by_buyer and total != NOTHING:
        subject.refresh_from_db()
        shop_credit_set(
            shop_id=rating.shop_id,
            score=subject.score,
            level=grade_level(subject.score),
            good_rate=good_rate(subject.good, subject.neutral, subject.bad),
        )
    return target
