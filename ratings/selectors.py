"""Reads of ratings and credit figures, scoped to who asks.

Double-blind: a side of an order always sees the rating it gave, and the other side's rating of
it only once published. Public lists show published ratings only, the rater's username masked,
and never an individual buyer's DSR scores: those only ever leave as a shop's means.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from escrow.models import Order
from marketplace.accounts.models import User
from ratings.conf import ratings_setting
from ratings.models import BuyerCredit, CategoryDSR, Rating, SellerCredit
from ratings.services.counting import grade_level, grade_name
from ratings.services.figures import good_rate
from shops.models import Category, Listing, Shop

Role, Status, Value = Rating.Role, Rating.Status, Rating.Value
BUYER, SELLER = "buyer", "seller"
VALUE_NAMES: dict[int, str] = {Value.GOOD: "good", Value.NEUTRAL: "neutral", Value.BAD: "bad"}
VALUES_BY_NAME: dict[str, int] = {name: value for value, name in VALUE_NAMES.items()}
DSR_ITEMS: tuple[tuple[str, str], ...] = (
    ("described", "Item as described"),
    ("attitude", "Service attitude"),
    ("shipping", "Shipping speed"),
)
MEAN_PLACES = Decimal("0.01")
PERCENT_PLACES = Decimal("0.01")


def mask_username(username: str) -> str:
    """``"lihua"`` → ``"l***a"``: the first and last character, never the length."""
    if not username:
        return "***"
    if len(username) == 1:
        return f"{username}***"
    return f"{username[0]}***{username[-1]}"


def value_name(value: int) -> str:
    return VALUE_NAMES.get(value, str(value))


# --- One order, as one of its sides sees it ---------------------------------------------------


def order_get_for_party(*, user: User, public_id: Any) -> Order | None:
    """An order the user bought or sold (another's is not found)."""
    if not user.is_authenticated:
        return None
    return (
        Order.objects.select_related("shop", "buyer")
        .filter(Q(buyer=user) | Q(shop__owner=user), public_id=public_id)
        .first()
    )


def side_of(order: Order, user: User) -> str:
    """The user's side of ``order``: ``"buyer"`` or ``"seller"``."""
    return BUYER if user.pk == order.buyer_id else SELLER


def rating_window_end(order: Order) -> datetime | None:
    if order.status != Order.Status.COMPLETED or order.completed_at is None:
        return None
    return order.completed_at + ratings_setting("RATING_WINDOW")  # type: ignore[no-any-return]


@dataclass(frozen=True)
class OrderRatings:
    """What one side of an order may see of its ratings."""

    order: Order
    side: str
    given: Rating | None  # the side's own rating (a default one recorded for it included)
    received: Rating | None  # the other side's rating of it, once published
    window_ends_at: datetime | None
    now: datetime

    @property
    def may_rate(self) -> bool:
        return (
            self.given is None
            and self.window_ends_at is not None
            and self.now <= self.window_ends_at
        )


def order_ratings_for_party(*, order: Order, user: User) -> OrderRatings:
    side = side_of(order, user)
    own_role = Role.BY_BUYER if side == BUYER else Role.BY_SELLER
    given = received = None
    for rating in Rating.objects.filter(order=order).select_related("shop", "buyer"):
        if rating.role == own_role:
            given = rating
        elif rating.status == Status.PUBLISHED:
            received = rating
    return OrderRatings(
        order=order,
        side=side,
        given=given,
        received=received,
        window_ends_at=rating_window_end(order),
        now=timezone.now(),
    )


# --- One rating, for the one who may act on it -----------------------------------------------


def _ratings() -> QuerySet[Rating]:
    return Rating.objects.select_related("order", "shop", "buyer")


def rating_get_for_rated_side(*, user: User, public_id: Any) -> Rating | None:
    """A published rating of the user (as a seller or as a buyer): the one they may reply to.
    A rating still hidden by the double-blind rule is not found."""
    if not user.is_authenticated:
        return None
    return (
        _ratings()
        .filter(
            Q(role=Role.BY_BUYER, shop__owner=user) | Q(role=Role.BY_SELLER, buyer=user),
            public_id=public_id,
            status=Status.PUBLISHED,
        )
        .first()
    )


def rating_get_for_rater(*, user: User, public_id: Any) -> Rating | None:
    """A rating the user gave: the one they may revise."""
    if not user.is_authenticated:
        return None
    return _ratings().filter(rater=user, public_id=public_id).first()


# --- Public lists -----------------------------------------------------------------------------


def _published(ratings: QuerySet[Rating], value: str = "") -> QuerySet[Rating]:
    ratings = ratings.filter(status=Status.PUBLISHED)
    if value in VALUES_BY_NAME:
        ratings = ratings.filter(value=VALUES_BY_NAME[value])
    return ratings.order_by("-published_at", "-pk")


def rating_list_for_shop_public(*, shop: Shop, value: str = "") -> QuerySet[Rating]:
    """Published ratings the shop received from its buyers, newest first (``value``: good,
    neutral or bad narrows them)."""
    return _published(
        Rating.objects.filter(shop=shop, role=Role.BY_BUYER).select_related("buyer"), value
    )


def rating_list_for_buyer_public(*, buyer: User, value: str = "") -> QuerySet[Rating]:
    """Published ratings the user received from the shops they bought from, newest first."""
    return _published(
        Rating.objects.filter(buyer=buyer, role=Role.BY_SELLER).select_related("shop__owner"),
        value,
    )


def rater_username(rating: Rating) -> str:
    """Who gave the rating (the marketplace's default ratings are given in the silent side's
    name): the buyer for a rating of a shop, the shop's owner for a rating of a buyer."""
    return rating.buyer.username if rating.role == Role.BY_BUYER else rating.shop.owner.username


def user_get_public(*, username: str) -> User | None:
    return User.objects.filter(username__iexact=username, is_active=True).first()


# --- The seller centre ------------------------------------------------------------------------


def order_list_to_rate_for_shop(*, shop: Shop) -> QuerySet[Order]:
    """The shop's completed orders whose buyer the seller has not rated and may still rate,
    the window closing soonest first."""
    opened_after = timezone.now() - ratings_setting("RATING_WINDOW")
    seller_rated = Rating.objects.filter(order=OuterRef("pk"), role=Role.BY_SELLER)
    return (
        Order.objects.filter(
            shop=shop, status=Order.Status.COMPLETED, completed_at__gte=opened_after
        )
        .filter(~Exists(seller_rated))
        .select_related("buyer")
        .prefetch_related("lines")
        .order_by("completed_at", "pk")
    )


def order_get_to_rate_for_shop(*, shop: Shop, public_id: Any) -> Order | None:
    """One of the shop's orders, for the seller's rating form (whatever its state: the service
    says whether it can be rated)."""
    return (
        Order.objects.select_related("buyer", "shop")
        .prefetch_related("lines")
        .filter(shop=shop, public_id=public_id)
        .first()
    )


def rating_list_received_by_shop(*, shop: Shop, value: str = "") -> QuerySet[Rating]:
    """Published ratings of the shop by its buyers, for the seller (who knows their buyers)."""
    return _published(
        Rating.objects.filter(shop=shop, role=Role.BY_BUYER).select_related("buyer", "order"),
        value,
    )


def rating_list_given_by_shop(*, shop: Shop) -> QuerySet[Rating]:
    """The ratings the seller gave their buyers (and default ones recorded in the seller's
    name), every state (staff removals included, so the seller sees them), newest first."""
    return (
        Rating.objects.filter(shop=shop, role=Role.BY_SELLER)
        .select_related("buyer", "order")
        .order_by("-rated_at", "-pk")
    )


# --- Credit figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DsrItem:
    item: str
    label: str
    mean: Decimal | None
    category_mean: Decimal | None

    @property
    def versus_category(self) -> Decimal | None:
        """How far above (positive) or below (negative) the category mean, in percent."""
        if self.mean is None or not self.category_mean:
            return None
        return ((self.mean - self.category_mean) / self.category_mean * 100).quantize(
            PERCENT_PLACES, ROUND_HALF_UP
        )

    @property
    def versus_category_size(self) -> Decimal | None:
        """``versus_category`` without its sign, for "3.19% lower"."""
        versus = self.versus_category
        return None if versus is None else abs(versus)

    @property
    def shown_mean(self) -> Decimal | None:
        return None if self.mean is None else self.mean.quantize(MEAN_PLACES, ROUND_HALF_UP)

    @property
    def shown_category_mean(self) -> Decimal | None:
        if self.category_mean is None:
            return None
        return self.category_mean.quantize(MEAN_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class CreditSummary:
    """A shop's figures as a seller, or a user's as a buyer. The counts, the good rate and the
    DSR cover ``FIGURES_WINDOW`` (180 days)."""

    score: int
    good: int
    neutral: int
    bad: int
    dsr_count: int = 0
    dsr: tuple[DsrItem, ...] = ()
    category: Category | None = None

    @property
    def level(self) -> int:
        return grade_level(self.score)

    @property
    def grade(self) -> str:
        return grade_name(self.level)

    @property
    def good_rate(self) -> Decimal | None:
        return good_rate(self.good, self.neutral, self.bad)

    @property
    def figures_days(self) -> int:
        window: timedelta = ratings_setting("FIGURES_WINDOW")
        return window.days


def _mean(total: int, count: int) -> Decimal | None:
    return Decimal(total) / Decimal(count) if count else None


def shop_main_category(*, shop: Shop) -> Category | None:
    """The top-level category of the category most of the shop's listings on sale are in
    (ties: the first in the tree)."""
    top = (
        Listing.objects.filter(shop=shop, status=Listing.Status.ACTIVE)
        .values("category__path")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__path")
        .first()
    )
    if top is None:
        return None
    return Category.objects.filter(path=top["category__path"][: Category.steplen]).first()


def shop_credit_summary(*, shop: Shop) -> CreditSummary:
    credit = SellerCredit.objects.filter(shop=shop).first() or SellerCredit(shop=shop)
    category = shop_main_category(shop=shop)
    category_dsr = (
        CategoryDSR.objects.filter(category=category).first() if category is not None else None
    ) or CategoryDSR()
    dsr = tuple(
        DsrItem(
            item=item,
            label=label,
            mean=_mean(getattr(credit, f"dsr_{item}_sum"), credit.dsr_count),
            category_mean=_mean(getattr(category_dsr, f"dsr_{item}_sum"), category_dsr.dsr_count),
        )
        for item, label in DSR_ITEMS
    )
    return CreditSummary(
        score=credit.score,
        good=credit.good,
        neutral=credit.neutral,
        bad=credit.bad,
        dsr_count=credit.dsr_count,
        dsr=dsr,
        category=category,
    )


def buyer_credit_summary(*, user: User) -> CreditSummary:
    credit = BuyerCredit.objects.filter(user=user).first() or BuyerCredit(user=user)
    return CreditSummary(
        score=credit.score, good=credit.good, neutral=credit.neutral, bad=credit.bad
    )
