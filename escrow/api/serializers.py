"""Input and output shapes of the cart, checkout, order and payment API. Rules live in the
services.

Orders, checkouts, payments and SKUs are named by their public UUIDs; amounts leave as strings
with two decimals.
"""

from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from escrow.models import (
    Checkout,
    Dispute,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Refund,
)
from marketplace.money import to_money
from shops.models import Listing, Shop


def money(**options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **options)


# The order shapes are plain serializers with every field declared: a ModelSerializer inspects
# its model on every request, and these are on checkout's hot path.

T = TypeVar("T")


class OutputSerializer(serializers.Serializer[T]):
    """A read-only shape whose fields are built and bound once per class, then shared by all its
    instances. DRF deep-copies every declared field, nested serializers included, for each
    serializer it creates, which costs more than rendering a placed checkout. Only for fields that
    read nothing but the object they render (not the serializer's ``context``)."""

    @cached_property
    def fields(self) -> BindingDict:
        shape = type(self)
        shared: BindingDict | None = shape.__dict__.get("_shared_fields")
        if shared is None:
            template = shape()  # no instance and no context to hold on to
            shared = BindingDict(template)
            for name, field in template.get_fields().items():
                shared[name] = field
            shape._shared_fields = shared  # type: ignore[attr-defined]
        return shared


class OrderShopOutputSerializer(OutputSerializer[Shop]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Cart -------------------------------------------------------------------------------------


class CartLineOutputSerializer(serializers.Serializer[Any]):
    """One cart item (a ``views.CartLine``)."""

    sku = serializers.UUIDField(source="item.sku.public_id")
    listing = serializers.UUIDField(source="item.sku.listing.public_id")
    title = serializers.CharField(source="item.sku.listing.title")
    sku_label = serializers.CharField(source="item.sku.label")
    unit_price = money(source="item.sku.price")
    quantity = serializers.IntegerField(source="item.quantity")
    line_total = money()
    available = serializers.BooleanField()
    unavailable_reason = serializers.CharField(
        help_text="Why the item cannot be bought now (sold out, no longer on sale, the shop is "
        "suspended); empty when it can."
    )


class CartShopOutputSerializer(serializers.Serializer[Any]):
    shop = OrderShopOutputSerializer()
    items = CartLineOutputSerializer(many=True)
    goods_total = money(help_text="Available items only.")
    shipping_total = money(
        help_text="The shipping fee of each distinct listing among the available items."
    )
    total = money()


class CartOutputSerializer(serializers.Serializer[Any]):
    shops = CartShopOutputSerializer(many=True)
    total = money(help_text="What checking out the available items would cost.")


class CartItemInputSerializer(serializers.Serializer[Any]):
    sku = serializers.UUIDField()
    quantity = serializers.IntegerField()


class CartItemQuantityInputSerializer(serializers.Serializer[Any]):
    quantity = serializers.IntegerField()


# --- Orders -----------------------------------------------------------------------------------


class OrderLineOutputSerializer(OutputSerializer[OrderLine]):
    title = serializers.CharField(read_only=True)
    sku_label = serializers.CharField(read_only=True)
    unit_price = money()
    quantity = serializers.IntegerField(read_only=True)
    line_total = money()


class OrderEventOutputSerializer(OutputSerializer[OrderEvent]):
    type = serializers.CharField(read_only=True)
    # ``label`` and ``data`` are also attribute names of DRF's own classes.
    label = serializers.CharField(read_only=True, help_text="``type`` in words.")  # type: ignore[assignment]
    actor = serializers.CharField(
        source="actor.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Who acted; null when the marketplace did (a timeout, a payment notification).",
    )
    data = serializers.JSONField(read_only=True, help_text="The event's details.")  # type: ignore[assignment]
    created_at = serializers.DateTimeField(read_only=True)


class DisputeOutputSerializer(OutputSerializer[Dispute]):
    opened_at = serializers.DateTimeField(read_only=True)
    statement = serializers.CharField(read_only=True, help_text="The buyer's case.")
    decision = serializers.ChoiceField(
        choices=[("", "Waiting for staff"), *Dispute.Decision.choices], read_only=True
    )
    refunded_amount = money(allow_null=True)
    decision_reason = serializers.CharField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class RefundOutputSerializer(OutputSerializer[Refund]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    order = serializers.UUIDField(source="order.public_id", read_only=True)
    status = serializers.ChoiceField(choices=Refund.Status.choices, read_only=True)
    reason = serializers.ChoiceField(choices=Refund.Reason.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    amount = money(help_text="What the buyer asked for.")
    with_return = serializers.BooleanField(read_only=True)
    refused_reason = serializers.CharField(read_only=True)
    return_carrier = serializers.CharField(read_only=True)
    return_tracking_number = serializers.CharField(read_only=True)
    refunded_amount = money(help_text="What went back to the buyer.")
    close_reason = serializers.CharField(read_only=True)
    deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the current step times out: the seller's answer (silence agrees), the "
        "buyer's return (silence closes the request) or the seller's confirmation of it "
        "(silence refunds).",
    )
    dispute = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(DisputeOutputSerializer(allow_null=True))
    def get_dispute(self, refund: Refund) -> dict[str, Any] | None:
        dispute = getattr(refund, "dispute", None)
        return DisputeOutputSerializer(dispute).data if dispute else None


class RefundRequestInputSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=Refund.Reason.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    with_return = serializers.BooleanField(
        default=False, help_text="Whether the goods go back to the seller."
    )
    description = serializers.CharField(max_length=1000, required=False, default="")


class RefundRefuseInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


class ReturnShipmentInputSerializer(serializers.Serializer[Any]):
    carrier = serializers.CharField(max_length=60)
    tracking_number = serializers.CharField(max_length=60)


class EscalateInputSerializer(serializers.Serializer[Any]):
    statement = serializers.CharField(
        max_length=2000, required=False, default="", help_text="Your case, for staff."
    )


class ExtendInputSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(
        help_text="The buyer: 3. The seller: 3, 5, 7 or 10. Each once per order."
    )


class RefundFilterInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Refund.Status.choices, required=False, default="")


class OrderOutputSerializer(OutputSerializer[Order]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.ChoiceField(choices=Order.Status.choices, read_only=True)
    shop = OrderShopOutputSerializer(read_only=True)
    lines = OrderLineOutputSerializer(many=True, read_only=True)
    goods_total = money()
    shipping_total = money()
    total = money()
    shipping_method = serializers.ChoiceField(
        choices=Listing.ShippingMethod.choices, read_only=True
    )
    carrier = serializers.CharField(read_only=True)
    tracking_number = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    payment_deadline = serializers.DateTimeField(read_only=True)
    paid_at = serializers.DateTimeField(read_only=True, allow_null=True)
    shipped_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    close_reason = serializers.CharField(read_only=True)
    ship_deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="A paid order not shipped by then may be cancelled by the buyer for a full "
        "refund.",
    )
    confirm_deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a shipped order completes by itself; null while a refund request "
        "stops the clock.",
    )
    buyer_extension_days = serializers.IntegerField(read_only=True)
    seller_extension_days = serializers.IntegerField(read_only=True)
    refunds = RefundOutputSerializer(many=True, read_only=True)
    timeline = OrderEventOutputSerializer(source="events", many=True, read_only=True)


class SellerOrderOutputSerializer(OrderOutputSerializer):
    buyer = serializers.CharField(source="buyer.username", read_only=True)


class OrderFilterInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Order.Status.choices, required=False, default="")


class ShipInputSerializer(serializers.Serializer[Any]):
    """Both are optional here: whether they are needed (not for virtual goods) is the service's
    rule."""

    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )


# --- Checkout and payments --------------------------------------------------------------------


class CheckoutItemInputSerializer(serializers.Serializer[Any]):
    sku = serializers.UUIDField()
    quantity = serializers.IntegerField()


class CheckoutInputSerializer(serializers.Serializer[Any]):
    items = CheckoutItemInputSerializer(
        many=True,
        required=False,
        allow_empty=False,
        help_text="What to buy; leave out to check out the whole cart.",
    )


class CheckoutOutputSerializer(OutputSerializer[Checkout]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    orders = OrderOutputSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField(help_text="The sum of the orders' totals.")
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(money())
    def get_total(self, checkout: Checkout) -> str:
        return str(to_money(sum((order.total for order in checkout.orders.all()), Decimal(0))))


class PaymentOutputSerializer(OutputSerializer[Payment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.ChoiceField(choices=Payment.Status.choices, read_only=True)
    amount = money()
    pay_url = serializers.URLField(
        read_only=True, help_text="The provider's page where the buyer pays."
    )
    orders = serializers.SerializerMethodField(help_text="The ids of the orders it pays.")
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_orders(self, payment: Payment) -> list[str]:
        return [str(order.public_id) for order in payment.orders.all()]


# --- The seller's money -----------------------------------------------------------------------


class LedgerLineOutputSerializer(serializers.ModelSerializer[LedgerEntry]):
    created_at = serializers.DateTimeField(source="transaction.created_at", read_only=True)
    kind = serializers.ChoiceField(
        source="transaction.kind", choices=LedgerTransaction.Kind.choices, read_only=True
    )
    account = serializers.CharField(
        source="account.kind",
        read_only=True,
        help_text="seller_available or seller_payout_pending.",
    )
    order = serializers.UUIDField(
        source="transaction.order.public_id", read_only=True, allow_null=True
    )
    description = serializers.CharField(source="transaction.description", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ("created_at", "kind", "account", "amount", "order", "description")
        read_only_fields = fields


class BalanceOutputSerializer(serializers.Serializer[Any]):
    available = money(help_text="Earned and free to pay out.")
    payout_pending = money(help_text="Payouts requested and on their way.")
    in_escrow = money(help_text="Paid by buyers, released when they confirm receipt.")
    lines = LedgerLineOutputSerializer(many=True, help_text="The 50 most recent movements.")
