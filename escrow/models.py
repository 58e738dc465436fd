"""Orders, escrow payments and the ledger.

A buyer's ``CartItem``s are checked out together (``Checkout``) into one ``Order`` per shop. Each
``OrderLine`` keeps a snapshot of what was bought (title, variant, unit price, commission rate).
Stock is reserved when the order is placed. The buyer pays a checkout's open orders with one
``Payment`` through a payment provider; the provider reports the outcome with a signed webhook
(``WebhookEvent``, deduplicated by event id). Paid money sits in escrow until the buyer confirms
receipt, then goes to the seller's available balance, minus the category's commission.

The ledger is append-only double entry: a ``LedgerTransaction`` has two or more
``LedgerEntry`` rows whose amounts sum to zero (a deferred PostgreSQL constraint trigger rejects
any other at commit; entries can be neither updated nor deleted). ``LedgerAccount.balance`` is
kept in the same transaction as its entries and may never go negative except on the
``payment_clearing`` account, which mirrors the outside payment network.

Every state change of an order writes an ``OrderEvent`` (the timeline buyer and seller see).
"""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from shops.models import SKU, Listing, Shop


def money_field(**options: Any) -> "models.DecimalField[Decimal, Decimal]":
    """An amount of the marketplace currency: 12 digits before the point, 2 after."""
    return models.DecimalField(max_digits=14, decimal_places=2, **options)


class CartItem(models.Model):
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items"
    )
    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "sku"], name="escrow_cartitem_one_per_sku"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="escrow_cartitem_quantity_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of SKU {self.sku_id} for user {self.buyer_id}"


class Checkout(models.Model):
    """One press of the checkout button: the orders it created are paid together."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkouts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"checkout {self.public_id}"


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment"
        PAID = "paid"
        SHIPPED = "shipped"
        COMPLETED = "completed"
        CLOSED = "closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    goods_total = money_field()
    shipping_total = money_field()
    total = money_field()
    shipping_method = models.CharField(max_length=10)
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=60, blank=True)
    close_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    payment_deadline = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "status"]),
            models.Index(fields=["shop", "status", "-created_at"]),
            models.Index(fields=["status", "payment_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=models.F("goods_total") + models.F("shipping_total")),
                name="escrow_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=models.Q(goods_total__gt=0, shipping_total__gte=0),
                name="escrow_order_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.public_id}"


# Which order states each action may leave from, and where it leads. Services enforce it.
ORDER_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "pay": (frozenset({Order.Status.AWAITING_PAYMENT}), Order.Status.PAID),
    "cancel": (frozenset({Order.Status.AWAITING_PAYMENT}), Order.Status.CLOSED),
    "ship": (frozenset({Order.Status.PAID}), Order.Status.SHIPPED),
    "confirm_receipt": (frozenset({Order.Status.SHIPPED}), Order.Status.COMPLETED),
}


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=60)
    sku_label = models.CharField(max_length=200, blank=True)
    unit_price = money_field()
    quantity = models.PositiveIntegerField()
    line_total = money_field()
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, unit_price__gt=0),
                name="escrow_orderline_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderEvent(models.Model):
    """The order's timeline; ``actor`` is empty when the system acted (a timeout, a webhook)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.type} of order {self.order_id}"

    @property
    def label(self) -> str:
        return self.type.replace("_", " ").capitalize()


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="payments")
    orders = models.ManyToManyField(Order, related_name="payments")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(max_length=30)
    provider_reference = models.CharField(max_length=100, blank=True)
    amount = money_field()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    pay_url = models.URLField(max_length=500, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="escrow_payment_provider_reference_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="escrow_payment_amount_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"payment {self.public_id} ({self.status})"


class WebhookEvent(models.Model):
    """A provider notification, stored once per event id however often it is delivered."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=60)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="escrow_webhookevent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} ({self.type})"


class IdempotencyRecord(models.Model):
    """The first response to a money-moving POST, replayed for a retry with the same key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    is_complete = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="escrow_idempotency_once")
        ]

    def __str__(self) -> str:
        return f"key {self.key} of user {self.user_id}"


class LedgerAccount(models.Model):
    class Kind(models.TextChoices):
        PAYMENT_CLEARING = "payment_clearing"
        ESCROW = "escrow"
        SELLER_AVAILABLE = "seller_available"
        SELLER_PAYOUT_PENDING = "seller_payout_pending"
        PLATFORM_COMMISSION = "platform_commission"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    balance = money_field(default=Decimal("0"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "order", "shop"],
                nulls_distinct=False,
                name="escrow_ledgeraccount_one_per_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="payment_clearing") | models.Q(balance__gte=0),
                name="escrow_ledgeraccount_never_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="escrow", order__isnull=False, shop__isnull=True)
                | models.Q(
                    kind__in=["seller_available", "seller_payout_pending"],
                    order__isnull=True,
                    shop__isnull=False,
                )
                | models.Q(
                    kind__in=["payment_clearing", "platform_commission"],
                    order__isnull=True,
                    shop__isnull=True,
                ),
                name="escrow_ledgeraccount_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.order_id:
            return f"{self.kind} of order {self.order_id}"
        return f"{self.kind} of shop {self.shop_id}" if self.shop_id else self.kind


class LedgerTransaction(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment"
        RELEASE = "release"
        REFUND = "refund"
        PAYOUT_REQUEST = "payout_request"
        PAYOUT_SETTLED = "payout_settled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_transactions"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = money_field()

    class Meta:
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount=0), name="escrow_ledgerentry_amount_not_zero"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} on account {self.account_id}"


class SandboxCharge(models.Model):
    """The sandbox payment provider's own record of a charge (what a real PSP keeps on its side)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        DECLINED = "declined"
        REFUNDED = "refunded"

    reference = models.CharField(max_length=40, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    refunded_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sandbox charge {self.reference} ({self.status})"
