"""Ratings and credit grades (DOMAIN §6).

When an order completes, the buyer rates the seller (``by_buyer``: good, neutral or bad, a
comment and three detailed seller ratings, DSR) and the seller rates the buyer (``by_seller``),
each within ``RATING_WINDOW`` of completion. A ``Rating`` is ``pending`` (double-blind: nobody
sees it) until both sides have rated or the window ends, then ``published``. Staff may remove one
(``removed``); the rater may delete a neutral or bad one within ``REVISION_WINDOW`` (``deleted``).

Which published ratings earn credit points is decided per direction between one buyer and one
seller (the counting rules, ``ratings.services.counting``); each rating records whether it
counted (``counted``, ``points``) and, if not, why (``count_note``). The figures built from them —
``SellerCredit`` per shop, ``BuyerCredit`` per buyer, ``CategoryDSR`` per top-level category —
are updated in the same transaction as every change (incrementally) and rebuilt nightly from the
ratings with set-based SQL; ``credit_verify`` proves the two agree. A rating copies what the
counting rules need from its order (buyer, shop, listing, the order's time and goods total), so
the rules never join across apps.
"""

import uuid

from django.conf import settings
from django.db import models

from escrow.models import Order, money_field
from shops.models import Category, Listing, Shop


class Rating(models.Model):
    class Role(models.TextChoices):
        BY_BUYER = "by_buyer", "The buyer rates the seller"
        BY_SELLER = "by_seller", "The seller rates the buyer"

    class Value(models.IntegerChoices):
        GOOD = 1
        NEUTRAL = 0
        BAD = -1

    class Status(models.TextChoices):
        PENDING = "pending"
        PUBLISHED = "published"
        REMOVED = "removed"
        DELETED = "deleted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The foreign keys below have no index of their own: the unique (order, role) and the
    # (shop, …) and (buyer, …) indexes serve their lookups, and rater, listing, category and
    # removed_by are never filtered on alone (only a rare delete of the referenced row scans).
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="ratings", db_index=False
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )  # empty for a default rating the marketplace recorded
    # Copied from the order for the counting rules and the public lists.
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="ratings", db_index=False)
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+", db_index=False)
    item_title = models.CharField(max_length=60)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )  # the top-level category of the listing, for the category's DSR mean
    order_created_at = models.DateTimeField()
    goods_total = money_field()

    value = models.SmallIntegerField(choices=Value.choices)
    comment = models.TextField(max_length=500, blank=True)
    dsr_described = models.PositiveSmallIntegerField(null=True, blank=True)
    dsr_attitude = models.PositiveSmallIntegerField(null=True, blank=True)
    dsr_shipping = models.PositiveSmallIntegerField(null=True, blank=True)
    is_default = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rated_at = models.DateTimeField()
    window_ends_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    revised_at = models.DateTimeField(null=True, blank=True)
    original_value = models.SmallIntegerField(null=True, blank=True)
    reply = models.TextField(max_length=500, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    counted = models.BooleanField(default=False)
    points = models.SmallIntegerField(default=0)
    count_note = models.CharField(max_length=40, blank=True, default="not_published")

    class Meta:
        ordering = ["-rated_at", "-pk"]
        indexes = [
            models.Index(
                fields=["window_ends_at"],
                condition=models.Q(status="pending"),
                name="ratings_pending_window",
            ),
            models.Index(fields=["role", "buyer", "shop"], name="ratings_pair"),
            models.Index(fields=["shop", "role", "status", "-published_at"], name="ratings_shop"),
            models.Index(fields=["buyer", "role", "status", "-published_at"], name="ratings_buyer"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "role"], name="ratings_one_per_side"),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="ratings_value_known"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    dsr_described__isnull=True, dsr_attitude__isnull=True, dsr_shipping__isnull=True
                )
                | models.Q(
                    role="by_buyer",
                    is_default=False,
                    dsr_described__range=(1, 5),
                    dsr_attitude__range=(1, 5),
                    dsr_shipping__range=(1, 5),
                ),
                name="ratings_dsr_from_buyers_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(counted=True) | models.Q(points=0),
                name="ratings_points_only_when_counted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_value_display()} on order {self.order_id}"

    @property
    def has_dsr(self) -> bool:
        return self.dsr_described is not None


class SellerCredit(models.Model):
    """A shop's figures as a seller. The 180-day counts and DSR sums cover ratings since
    ``RatingsState.window_start``."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, primary_key=True)
    score = models.IntegerField(default=0)
    good = models.IntegerField(default=0)
    neutral = models.IntegerField(default=0)
    bad = models.IntegerField(default=0)
    dsr_count = models.IntegerField(default=0)
    dsr_described_sum = models.IntegerField(default=0)
    dsr_attitude_sum = models.IntegerField(default=0)
    dsr_shipping_sum = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"seller credit of shop {self.shop_id}: {self.score}"


class BuyerCredit(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True
    )
    score = models.IntegerField(default=0)
    good = models.IntegerField(default=0)
    neutral = models.IntegerField(default=0)
    bad = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"buyer credit of user {self.user_id}: {self.score}"


class CategoryDSR(models.Model):
    """The DSR sums of a top-level category, for the mean each shop is compared with."""

    category = models.OneToOneField(Category, on_delete=models.CASCADE, primary_key=True)
    dsr_count = models.IntegerField(default=0)
    dsr_described_sum = models.IntegerField(default=0)
    dsr_attitude_sum = models.IntegerField(default=0)
    dsr_shipping_sum = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"DSR of category {self.category_id}"


class RatingsState(models.Model):
    """One row: where the 180-day window of the figures starts (moved by the nightly rebuild)."""

    window_start = models.DateTimeField()
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"figures since {self.window_start}"
