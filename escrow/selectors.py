"""Reads of carts, orders, payments and balances, scoped to who is asking."""

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection
from django.db.models import F, Field, Model, Prefetch, QuerySet, Sum

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
from marketplace.db import fetch_prepared
from shops.models import SKU, Category, Listing, Shop

M = TypeVar("M", bound=Model)


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


def order_find_for_buyer(*, buyer: User, public_id: Any) -> Order | None:
    """The order alone (no lines, timeline or refunds), for a command whose service locks and
    reads what it needs itself."""
    return Order.objects.filter(buyer=buyer, public_id=public_id).order_by().first()


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


def checkout_find_for_buyer(*, buyer: User, public_id: Any) -> Checkout | None:
    """The checkout alone (its orders not loaded), for paying it."""
    return Checkout.objects.filter(buyer=buyer, public_id=public_id).order_by().first()


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


# What checkout and the cart read of a SKU and its listing, shop and category, column by column
# in the order of ``PURCHASE_SQL``: nothing more, as checkout is the hottest path of the
# marketplace.
PURCHASE_COLUMNS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (SKU, ("id", "public_id", "listing_id", "attributes", "price", "stock", "is_active")),
    (
        Listing,
        (
            "id",
            "public_id",
            "shop_id",
            "category_id",
            "title",
            "status",
            "shipping_fee",
            "shipping_method",
            "variant_attributes",
        ),
    ),
    (Shop, ("id", "slug", "name", "status", "owner_id")),
    (Category, ("id", "commission_rate")),
)


@functools.cache
def _fields(model: type[Model], attnames: tuple[str, ...]) -> list["Field[Any, Any]"]:
    """The model's fields of these attribute names (``listing_id`` for ``listing``), in the
    order of the model's fields, the order ``Model.from_db`` takes values in."""
    return [field for field in model._meta.concrete_fields if field.attname in attnames]


# Plain SQL, prepared: compiling the equivalent ``select_related(...).only(...)`` costs several
# times more CPU than PostgreSQL takes to answer it, and planning the join more than running it,
# on every checkout.
PURCHASE_COLUMNS_SQL = ", ".join(
    f"{model._meta.db_table}.{field.column}"
    for model, names in PURCHASE_COLUMNS
    for field in _fields(model, names)
)
PURCHASE_SQL = f"""
    SELECT {PURCHASE_COLUMNS_SQL}
      FROM shops_sku
      JOIN shops_listing ON shops_listing.id = shops_sku.listing_id
      JOIN shops_shop ON shops_shop.id = shops_listing.shop_id
      JOIN shops_category ON shops_category.id = shops_listing.category_id
     WHERE shops_sku.public_id = ANY(%s)
"""  # noqa: S608 (column names from the models, no input)


def _from_row(model: type[M], attnames: tuple[str, ...], row: Sequence[Any], start: int) -> M:
    """An instance of ``model`` from ``row[start:]``, with the fields ``attnames`` loaded (the
    others deferred) and converted the way the ORM converts them (JSON, for instance)."""
    fields = _fields(model, attnames)
    values = []
    for field, value in zip(fields, row[start : start + len(fields)], strict=True):
        from_db_value = getattr(field, "from_db_value", None)
        values.append(value if from_db_value is None else from_db_value(value, None, connection))
    return model.from_db(connection.alias, [field.attname for field in fields], values)


def sku_list_for_purchase(*, public_ids: list[Any]) -> list[SKU]:
    """SKUs by public id, each with its listing, shop and category loaded (only what checkout
    and the cart read). Whether each can be bought now is the services' question."""
    rows = fetch_prepared("escrow_skus_for_purchase", PURCHASE_SQL, [public_ids])
    (_, sku_names), (_, listing_names), (_, shop_names), (_, category_names) = PURCHASE_COLUMNS
    skus = []
    for row in rows:
        start = 0
        sku = _from_row(SKU, sku_names, row, start)
        start += len(sku_names)
        listing = _from_row(Listing, listing_names, row, start)
        start += len(listing_names)
        shop = _from_row(Shop, shop_names, row, start)
        start += len(shop_names)
        category = _from_row(Category, category_names, row, start)
        listing.shop, listing.category, sku.listing = shop, category, listing
        skus.append(sku)
    return skus


def payout_list_for_shop(*, shop: Shop) -> QuerySet[Payout]:
    return Payout.objects.filter(shop=shop)


def payout_get_for_shop(*, shop: Shop, public_id: Any) -> Payout | None:
    return payout_list_for_shop(shop=shop).filter(public_id=public_id).first()
