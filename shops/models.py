"""Shops and their catalogue.

A user opens at most one ``Shop`` (free), located at a ``Place`` from the staff-managed list of
provinces, cities, counties and villages. A shop sells ``Listing``s, each in a ``Category`` of the
staff-managed tree. A listing has one or more ``SKU``s: one per combination of its variant
attributes (colour × size), each with its own price and stock; a listing without variants has
exactly one SKU with no attributes. Listing images are ordered; the first is the cover.

Invariants kept by the database: shop names are unique regardless of case; prices are positive,
stock and shipping fees never negative; a listing has at most one SKU per attribute combination.
A listing's ``price_min``/``price_max``/``total_stock`` summarise its active SKUs and are refreshed
by the services that change SKUs.

Real-name verification (``ShopVerification``) holds the seller's identity and bank account; its
sensitive fields are masked everywhere outside admin. Every change is recorded as a ``ShopEvent``.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Lower
from treebeard.mp_tree import MP_Node


def _private_storage() -> Any:
    return storages["private"]


class Place(MP_Node):
    """A province, city, county or village, by depth (1 to 4). Staff keep the list."""

    class Kind(models.IntegerChoices):
        PROVINCE = 1, "province"
        CITY = 2, "city"
        COUNTY = 3, "county"
        VILLAGE = 4, "village"

    name: "models.CharField[str, str]" = models.CharField(max_length=60)
    full_name: "models.CharField[str, str]" = models.CharField(
        max_length=250, editable=False, db_index=True
    )
    households: "models.PositiveIntegerField[int | None, int | None]" = models.PositiveIntegerField(
        null=True, blank=True, help_text="Villages only: number of households."
    )

    node_order_by = ["name"]

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.full_name or self.name


class Category(MP_Node):
    """The staff-managed category tree. ``commission_rate`` is the platform's share of sales."""

    name: "models.CharField[str, str]" = models.CharField(max_length=60)
    slug: "models.SlugField[str, str]" = models.SlugField(max_length=80, unique=True)
    commission_rate: "models.DecimalField[Decimal, Decimal]" = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0"), help_text="0.0200 means 2%."
    )

    node_order_by = ["name"]

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0, commission_rate__lt=1),
                name="shops_category_commission_rate_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProtectedBrand(models.Model):
    """A brand no shop name may contain."""

    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), name="shops_protectedbrand_ci_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProhibitedTerm(models.Model):
    """A term a published listing may not contain; such a listing stays a draft with the reason."""

    term = models.CharField(max_length=60)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("term"), name="shops_prohibitedterm_ci_unique")
        ]

    def __str__(self) -> str:
        return self.term


class Shop(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active"
        SUSPENDED = "suspended"
        CLOSED = "closed"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shop"
    )
    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    logo = models.ImageField(upload_to="shops/logos/", blank=True)
    logo_thumbnail = models.ImageField(upload_to="shops/logos/thumbs/", blank=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="shops")
    # Copied from ``place`` when it is set, so search filters by province or city without joins.
    province = models.CharField(max_length=60, db_index=True)
    city = models.CharField(max_length=60, db_index=True)
    county = models.CharField(max_length=60, blank=True)
    village = models.CharField(max_length=60, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_wechat = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # The shop's seller credit, written by ``ratings`` (always recomputable from the ratings):
    # the score, its grade (0 = none … 20 = 5 golden crowns) and the 180-day good rate.
    credit_score = models.IntegerField(default=0)
    credit_level = models.PositiveSmallIntegerField(default=0)
    good_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    # Violation points of the current calendar year and the search penalty they brought
    # (DOMAIN §2): 12 points hide the shop's listings from search for a while.
    violation_points = models.PositiveSmallIntegerField(default=0)
    violation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    search_hidden_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="shops_shop_name_ci_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ACTIVE


class ShopVerification(models.Model):
    """Real-name verification (KYC) of a shop's owner, needed before the first payout."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified"
        SUBMITTED = "submitted"
        VERIFIED = "verified"
        REJECTED = "rejected"

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="verification")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNVERIFIED)
    legal_name = models.CharField(max_length=100, blank=True)
    id_number = models.CharField(max_length=18, blank=True)
    id_photo = models.ImageField(upload_to="kyc/", storage=_private_storage, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    bank_account_name = models.CharField(max_length=100, blank=True)
    bank_account_number = models.CharField(max_length=34, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.shop} ({self.status})"

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number, keep_start=3, keep_end=4)

    @property
    def bank_account_masked(self) -> str:
        return mask(self.bank_account_number, keep_start=0, keep_end=4)


def mask(value: str, *, keep_start: int, keep_end: int) -> str:
    """``110105********1234``-style masking of identity and account numbers."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


class Listing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        ACTIVE = "active"
        DELISTED = "delisted"
        TAKEN_DOWN = "taken_down"

    class ShippingMethod(models.TextChoices):
        EXPRESS = "express"
        POST = "post"
        VIRTUAL = "virtual"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="listings")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="listings")
    title = models.CharField(max_length=60)
    description = models.TextField(max_length=5000, blank=True)
    shipping_fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    shipping_method = models.CharField(
        max_length=10, choices=ShippingMethod.choices, default=ShippingMethod.EXPRESS
    )
    # [{"name": "颜色", "values": ["红", "蓝"]}, ...]; empty for a listing without variants.
    variant_attributes = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(
        max_length=500, blank=True, help_text="Why the listing is held in draft or taken down."
    )
    price_min = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    price_max = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    total_stock = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["shop", "status", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "price_min"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shipping_fee__gte=0), name="shops_listing_shipping_fee_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(price_min__lte=models.F("price_max")),
                name="shops_listing_price_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sold_out(self) -> bool:
        return self.total_stock == 0


class SKU(models.Model):
    """One combination of a listing's variant attributes, with its price and stock.

    A SKU that disappears from the listing's grid is deactivated, not deleted, so orders that
    name it keep pointing at it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="skus")
    attributes = models.JSONField(default=dict, blank=True)  # {"颜色": "红", "尺码": "M"}
    price = models.DecimalField(max_digits=12, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "SKU"
        ordering = ["listing", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "attributes"], name="shops_sku_one_per_combination"
            ),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="shops_sku_price_gt_0"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="shops_sku_stock_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.label or 'default'}"

    @property
    def ordered_attributes(self) -> list[tuple[str, str]]:
        """The attributes in the listing's order (the database keeps JSON keys in its own order)."""
        names = [attribute["name"] for attribute in self.listing.variant_attributes]
        ranked = sorted(self.attributes.items(), key=lambda item: _rank(names, item[0]))
        return ranked

    @property
    def label(self) -> str:
        return " / ".join(f"{name}: {value}" for name, value in self.ordered_attributes)


def _rank(names: list[str], name: str) -> int:
    return names.index(name) if name in names else len(names)


class ListingImage(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="listings/%Y/%m/")
    thumbnail = models.ImageField(upload_to="listings/thumbs/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    # What the picture shows, as a difference hash (``shops.services.images.image_fingerprint``):
    # two uploads of one photo have the same. Search compares listings' covers by it.
    fingerprint = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["listing", "position", "pk"]

    def __str__(self) -> str:
        return f"image {self.position} of listing {self.listing_id}"


class ShopEvent(models.Model):
    """The audit trail of a shop and its listings: who did what, when and why."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="events")
    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.type} ({self.shop_id})"

    @property
    def label(self) -> str:
        """``listing_published`` → ``Listing published``."""
        return self.type.replace("_", " ").capitalize()


# Which listing states each action may leave from, and where it leads. Services enforce it.
LISTING_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({Listing.Status.DRAFT, Listing.Status.DELISTED}), Listing.Status.ACTIVE),
    "delist": (frozenset({Listing.Status.ACTIVE}), Listing.Status.DELISTED),
    "take_down": (
        frozenset({Listing.Status.DRAFT, Listing.Status.ACTIVE, Listing.Status.DELISTED}),
        Listing.Status.TAKEN_DOWN,
    ),
}
