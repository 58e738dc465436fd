"""Reads of carts, orders, payments and balances, scoped to who is asking."""

from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet, Sum

from escrow.models import (
    CartItem,
    Checkout,
    LedgerAccount,
    LedgerEntry,
    Order,
    OrderEvent,
    Payment,
    Payout,
    Refund,
)
from marketplace.accounts.models import User
from shops.models import SKU, Shop


def cart_items_for_buyer(*, buyer: User) -> QuerySet[CartItem]:
    return (
        CartItem.objects.filter(buyer=buyer)
        .select_related("sku__listing__shop", "sku__listing__category")
        .prefetch_related("sku__listing__images")
    )


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related("shop", "buyer").prefetch_related(
        "lines",
        Prefetch(
            "events",
            queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "pk"),
        ),
        Prefetch("refunds", queryset=_refunds()),
    )


def _refunds() -> QuerySet[Refund]:
    return Refund.objects.select_related("order", "dispute").order_by("created_at", "pk")


def refund_get_for_buyer(*, buyer: User, public_id: Any) -> Refund | None:
    return _refunds().filter(order__buyer=buyer, public_id=public_id).first()


def refund_list_for_shop(*, shop: Shop, status: str = "") -> QuerySet[Refund]:
    """The shop's refund requests, those whose deadline comes first on top."""
    refunds = _refunds().filter(order__shop=shop).select_related("order__buyer")
    refunds = refunds.filter(status=status) if status else refunds
    return refunds.order_by(F("deadline").asc(nulls_last=True), "-created_at", "-pk")


def refund_get_for_shop(*, shop: Shop, public_id: Any) -> Refund | None:
    return refund_list_for_shop(shop=shop).filter(public_id=public_id).first()


def order_list_for_buyer(*, buyer: User, status: str = "") -> QuerySet[Order]:
    orders = _orders().filter(buyer=buyer)
    return orders.filter(status=status) if status else orders


def order_get_for_buyer(*, buyer: User, public_id: Any) -> Order | None:
    return _orders().filter(buyer=buyer, public_id=public_id).first()


def order_list_for_shop(*, shop: Shop, status: str = "") -> QuerySet[Order]:
    orders = _orders().filter(shop=shop)
    return orders.filter(status=status) if status else orders


def order_get_for_shop(*, shop: Shop, public_id: Any) -> Order | None:
    return _orders().filter(shop=shop, public_id=public_id).first()


def checkout_get_for_buyer(*, buyer: User, public_id: Any) -> Checkout | None:
    return (
        Checkout.objects.filter(buyer=buyer, public_id=public_id)
        .prefetch_related(Prefetch("orders", queryset=_orders()))
        .first()
    )


def payment_get_for_buyer(*, buyer: User, public_id: Any) -> Payment | None:
    return (
        Payment.objects.filter(buyer=buyer, public_id=public_id).prefetch_related("orders").first()
    )


def shop_balances(*, shop: Shop) -> dict[str, Decimal]:
    """What the shop has: available to pay out, payouts on the way, and money still in escrow."""
    balances = dict(LedgerAccount.objects.filter(shop=shop).values_list("kind", "balance"))
    in_escrow = LedgerAccount.objects.filter(
        kind=LedgerAccount.Kind.ESCROW, order__shop=shop
    ).aggregate(total=Sum("balance"))["total"]
    return {
        "available": balances.get(LedgerAccount.Kind.SELLER_AVAILABLE, Decimal("0")),
        "payout_pending": balances.get(LedgerAccount.Kind.SELLER_PAYOUT_PENDING, Decimal("0")),
        "in_escrow": in_escrow or Decimal("0"),
    }


def escrow_held(order: Order) -> Decimal:
    """What is still in the order's escrow."""
    balance = (
        LedgerAccount.objects.filter(kind=LedgerAccount.Kind.ESCROW, order=order)
        .values_list("balance", flat=True)
        .first()
    )
    return balance or Decimal("0")


def ledger_lines_for_shop(*, shop: Shop) -> QuerySet[LedgerEntry]:
    """Every movement on the shop's own accounts, newest first."""
    return (
        LedgerEntry.objects.filter(account__shop=shop)
        .select_related("account", "transaction__order")
        .order_by("-transaction__created_at", "-pk")
    )


def cart_item_get_for_buyer(*, buyer: User, sku_public_id: Any) -> CartItem | None:
    return cart_items_for_buyer(buyer=buyer).filter(sku__public_id=sku_public_id).first()


# What checkout and the cart read of a SKU and its listing, shop and category: nothing more, as
# checkout is the hottest path of the marketplace.
PURCHASE_FIELDS = (
    "public_id",
    "attributes",
    "price",
    "stock",
    "is_active",
    "listing__public_id",
    "listing__title",
    "listing__status",
    "listing__shipping_fee",
    "listing__shipping_method",
    "listing__variant_attributes",
    "listing__shop__slug",
    "listing__shop__name",
    "listing__shop__status",
    "listing__shop__owner_id",
    "listing__category__commission_rate",
)


def sku_list_for_purchase(*, public_ids: list[Any]) -> QuerySet[SKU]:
    """SKUs by public id, with what checkout and the cart read of them (listing, shop, category).
    Whether each can be bought now is the services' question."""
    return (
        SKU.objects.filter(public_id__in=public_ids)
        .select_related("listing__shop", "listing__category")
        .only(*PURCHASE_FIELDS)
    )


def payout_list_for_shop(*, shop: Shop) -> QuerySet[Payout]:
    return Payout.objects.filter(shop=shop)


def payout_get_for_shop(*, shop: Shop, public_id: Any) -> Payout | None:
    return payout_list_for_shop(shop=shop).filter(public_id=public_id).first()
