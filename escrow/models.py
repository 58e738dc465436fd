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
    # No single-column indexes of their own: (buyer, status) and (shop, status, created_at) lead
    # with them, and every index costs each checkout an insert.
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="orders", db_index=False)
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
    # After this the buyer of a paid order may cancel it for an immediate full refund.
    ship_deadline = models.DateTimeField(null=True, blank=True)
    # When a shipped order completes by itself; empty while a refund request pauses the clock,
    # which then keeps what was left of it in ``confirm_time_left``.
    confirm_deadline = models.DateTimeField(null=True, blank=True)
    confirm_time_left = models.DurationField(null=True, blank=True)
    buyer_extension_days = models.PositiveSmallIntegerField(default=0)
    seller_extension_days = models.PositiveSmallIntegerField(default=0)
    # A settlement worker that took this order from the due list holds it until then; a worker
    # that dies lets it go when the time passes (see ``escrow.services.settlement``).
    settlement_lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "status"]),
            models.Index(fields=["shop", "status", "-created_at"]),
            # Partial, like the confirm deadline's: an index led by status alone tempts the
            # planner into scanning every unpaid order for one buyer's unpaid-order count.
            models.Index(
                fields=["payment_deadline"],
                condition=models.Q(status="awaiting_payment"),
                name="escrow_order_payment_due",
            ),
            models.Index(
                fields=["confirm_deadline"],
                condition=models.Q(status="shipped"),
                name="escrow_order_confirm_due",
            ),
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
# ``cancel`` of a paid order is allowed only once the seller has missed the shipping deadline;
# ``refund`` closes an order whose escrow has gone back to the buyer in full.
ORDER_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "pay": (frozenset({Order.Status.AWAITING_PAYMENT}), Order.Status.PAID),
    "cancel": (frozenset({Order.Status.AWAITING_PAYMENT, Order.Status.PAID}), Order.Status.CLOSED),
    "ship": (frozenset({Order.Status.PAID}), Order.Status.SHIPPED),
    "confirm_receipt": (frozenset({Order.Status.SHIPPED}), Order.Status.COMPLETED),
    "extend": (frozenset({Order.Status.SHIPPED}), Order.Status.SHIPPED),
    "refund": (frozenset({Order.Status.PAID, Order.Status.SHIPPED}), Order.Status.CLOSED),
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


class Refund(models.Model):
    """A buyer's request to get money back from an order's escrow, with or without returning
    the goods. ``deadline`` is when the current step times out (DOMAIN §4): the seller's answer
    (silence agrees), the buyer's return shipment (silence closes the request) or the seller's
    confirmation of the return (silence refunds)."""

    class Status(models.TextChoices):
        REQUESTED = "requested"
        AWAITING_RETURN = "awaiting_return"
        RETURN_SHIPPED = "return_shipped"
        REFUSED = "refused"
        DISPUTED = "disputed"
        REFUNDED = "refunded"
        CLOSED = "closed"

    class Reason(models.TextChoices):
        NOT_RECEIVED = "not_received", "Goods not received"
        NOT_AS_DESCRIBED = "not_as_described", "Not as described"
        DAMAGED = "damaged", "Damaged or defective"
        WRONG_ITEM = "wrong_item", "Wrong item or variant"
        CHANGED_MIND = "changed_mind", "No longer wanted"
        OTHER = "other", "Other"

    # While a request is in one of these, the order's auto-confirm clock stands still.
    OPEN = (Status.REQUESTED, Status.AWAITING_RETURN, Status.RETURN_SHIPPED, Status.DISPUTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    description = models.TextField(max_length=1000, blank=True)
    amount = money_field()
    with_return = models.BooleanField(default=False)
    refused_reason = models.CharField(max_length=500, blank=True)
    return_carrier = models.CharField(max_length=60, blank=True)
    return_tracking_number = models.CharField(max_length=60, blank=True)
    refunded_amount = money_field(default=Decimal("0"))
    close_reason = models.CharField(max_length=40, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    settlement_lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "deadline"],
                condition=models.Q(status__in=["requested", "awaiting_return", "return_shipped"]),
                name="escrow_refund_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="escrow_refund_amount_gt_0"
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(
                    status__in=["requested", "awaiting_return", "return_shipped", "disputed"]
                ),
                name="escrow_refund_one_open_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"refund {self.public_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


# Which refund states each step may leave from, and where it leads (the services enforce it).
REFUND_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    # The seller may change their mind and agree after refusing, until the buyer escalates.
    "agree": (
        frozenset({Refund.Status.REQUESTED, Refund.Status.REFUSED}),
        Refund.Status.AWAITING_RETURN,
    ),
    "refuse": (frozenset({Refund.Status.REQUESTED}), Refund.Status.REFUSED),
    "ship_return": (frozenset({Refund.Status.AWAITING_RETURN}), Refund.Status.RETURN_SHIPPED),
    "confirm_return": (frozenset({Refund.Status.RETURN_SHIPPED}), Refund.Status.REFUNDED),
    "escalate": (frozenset({Refund.Status.REFUSED}), Refund.Status.DISPUTED),
    "withdraw": (
        frozenset({Refund.Status.REQUESTED, Refund.Status.AWAITING_RETURN, Refund.Status.REFUSED}),
        Refund.Status.CLOSED,
    ),
    "expire_return": (frozenset({Refund.Status.AWAITING_RETURN}), Refund.Status.CLOSED),
    "decide": (frozenset({Refund.Status.DISPUTED}), Refund.Status.REFUNDED),  # or closed
}


class Dispute(models.Model):
    """A refused refund the buyer escalated: staff decide it in admin, with a reason."""

    class Decision(models.TextChoices):
        FULL_REFUND = "full_refund", "Full refund to the buyer"
        PARTIAL_REFUND = "partial_refund", "Partial refund, the rest to the seller"
        RELEASE = "release", "Release to the seller"

    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, related_name="dispute")
    statement = models.TextField(max_length=2000, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    refunded_amount = money_field(null=True, blank=True)
    decision_reason = models.TextField(max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="")
                | models.Q(decided_at__isnull=False, decided_by__isnull=False)
                & ~models.Q(decision_reason=""),
                name="escrow_dispute_decided_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"dispute over {self.refund}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class BankAccountCheck(models.Model):
    """The micro-deposit check of the bank account in a shop's KYC: the provider pays two small
    amounts into it and the seller types them back. Three wrong tries lock it until staff reset
    it."""

    class Status(models.TextChoices):
        PENDING = "pending"
        CONFIRMED = "confirmed"
        LOCKED = "locked"

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="bank_check")
    account_number = models.CharField(max_length=34)
    provider = models.CharField(max_length=30)
    provider_reference = models.CharField(max_length=100)
    first_amount = money_field()
    second_amount = money_field()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"bank check of {self.shop} ({self.status})"


class Payout(models.Model):
    """Money a seller withdraws from the available balance to the confirmed bank account."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SETTLED = "settled"
        FAILED = "failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="payouts")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amount = money_field()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    bank_account_masked = models.CharField(max_length=34)
    provider = models.CharField(max_length=30)
    provider_reference = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="escrow_payout_amount_gt_0"
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="escrow_payout_provider_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"payout {self.public_id} ({self.status})"


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
        PAYOUT_RETURNED = "payout_returned"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_transactions"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund = models.ForeignKey(
        "Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payout = models.ForeignKey(
        "Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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


class SandboxTransfer(models.Model):
    """The sandbox provider's record of money it sends to a bank account: a seller's payout or
    the two micro-deposits of a bank check. Accounts ending in ``0002`` bounce payouts."""

    class Kind(models.TextChoices):
        PAYOUT = "payout"
        MICRO_DEPOSIT = "micro_deposit"

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    account_number = models.CharField(max_length=34)
    amounts_minor = models.JSONField(default=list)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sandbox {self.kind} {self.reference}"
