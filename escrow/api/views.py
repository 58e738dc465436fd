"""Buyers' cart, checkout, orders and payments; sellers' orders and balance.

Everything is looked up through a selector scoped to who is asking, so another buyer's order,
checkout, payment or cart item, and another shop's order, is simply not found (404), never
forbidden. Money-moving POSTs take an ``Idempotency-Key`` header (required for checkout).
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from escrow import selectors
from escrow.api import serializers as s
from escrow.api.idempotency import (
    HEADER,
    idempotent,
    keyed_request,
    replayed,
    respond_idempotently,
)
from escrow.exceptions import IdempotencyInProgress, IdempotencyKeyReused, OrderNotFound
from escrow.models import CartItem, Checkout, Order, Payment
from escrow.services.idempotency import StoredResponse
from escrow.services.orders import (
    CheckoutLine,
    cart_item_remove,
    cart_item_set,
    checkout_place_keyed,
    order_cancel,
    order_confirm_receipt,
    order_ship,
    order_totals,
    sku_unavailable_reason,
)
from escrow.services.payments import payment_create
from marketplace.accounts.models import User
from marketplace.exceptions import NotFoundError
from marketplace.money import ZERO, to_money
from shops.exceptions import ShopRequired
from shops.models import SKU, Shop
from shops.selectors import shop_get_for_owner

CART_TAG = ["cart"]
ORDERS_TAG = ["orders"]
PAYMENTS_TAG = ["payments"]
SELLER_TAG = ["seller"]
BALANCE_LINES = 50


def _idempotency_key(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        HEADER,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description="A retry with the same key and body gets the first response again.",
    )


IDEMPOTENCY_KEY = _idempotency_key(required=False)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _public_id(
    value: str, message: str, not_found: type[NotFoundError] = NotFoundError
) -> uuid.UUID:
    """The UUID in the URL; anything that is not one names nothing, so it is a 404."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise not_found(message) from None


T = TypeVar("T")


def _found(
    find: Callable[[uuid.UUID], T | None],
    value: str,
    message: str,
    not_found: type[NotFoundError] = NotFoundError,
) -> T:
    """What ``find`` returns for the URL's id, or a 404 when it finds nothing (another buyer's
    or shop's object included)."""
    found = find(_public_id(value, message, not_found))
    if found is None:
        raise not_found(message)
    return found


def _query_params(request: Request) -> dict[str, str]:
    """The query string, one value per name; an empty value counts as not given."""
    return {name: value for name, value in request.query_params.dict().items() if value}


# --- Cart -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLine:
    item: CartItem
    unavailable_reason: str

    @property
    def available(self) -> bool:
        return not self.unavailable_reason

    @property
    def line_total(self) -> Decimal:
        return to_money(self.item.sku.price * self.item.quantity)


@dataclass(frozen=True)
class CartShop:
    """One shop's items: what checkout would turn into one order. Totals count only the items
    that can be bought now, with the same shipping rule as checkout."""

    shop: Shop
    items: list[CartLine]
    goods_total: Decimal
    shipping_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.goods_total + self.shipping_total


@dataclass(frozen=True)
class Cart:
    shops: list[CartShop] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.shops), ZERO)


def _cart_line(item: CartItem) -> CartLine:
    return CartLine(item, sku_unavailable_reason(item.sku))


def _cart(items: Iterable[CartItem]) -> Cart:
    by_shop: dict[int, list[CartLine]] = {}
    for item in items:
        by_shop.setdefault(item.sku.listing.shop_id, []).append(_cart_line(item))
    cart = Cart()
    for lines in by_shop.values():
        buyable = [
            CheckoutLine(line.item.sku, line.item.quantity) for line in lines if line.available
        ]
        goods, shipping = order_totals(buyable)[:2] if buyable else (ZERO, ZERO)
        cart.shops.append(CartShop(lines[0].item.sku.listing.shop, lines, goods, shipping))
    return cart


def _skus(public_ids: list[uuid.UUID]) -> dict[uuid.UUID, SKU]:
    skus = {sku.public_id: sku for sku in selectors.sku_list_for_purchase(public_ids=public_ids)}
    missing = [str(public_id) for public_id in public_ids if public_id not in skus]
    if missing:
        raise NotFoundError("There is no such SKU.", extra={"skus": missing})
    return skus


def _cart_item(request: Request, sku_id: str) -> CartItem:
    message = "This SKU is not in your cart."
    item = selectors.cart_item_get_for_buyer(
        buyer=_user(request), sku_public_id=_public_id(sku_id, message)
    )
    if item is None:
        raise NotFoundError(message)
    return item


SKU_ID = OpenApiParameter("sku_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class CartView(APIView):
    @extend_schema(tags=CART_TAG, responses=s.CartOutputSerializer, summary="My cart, by shop")
    def get(self, request: Request) -> Response:
        cart = _cart(selectors.cart_items_for_buyer(buyer=_user(request)))
        return Response(s.CartOutputSerializer(cart).data)


class CartItemsView(APIView):
    @extend_schema(
        tags=CART_TAG,
        request=s.CartItemInputSerializer,
        responses={201: s.CartLineOutputSerializer},
        summary="Put a SKU in my cart (replacing the quantity already there)",
    )
    def post(self, request: Request) -> Response:
        data = s.CartItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sku_id = data.validated_data["sku"]
        item = cart_item_set(
            buyer=_user(request),
            sku=_skus([sku_id])[sku_id],
            quantity=data.validated_data["quantity"],
        )
        return Response(s.CartLineOutputSerializer(_cart_line(item)).data, status.HTTP_201_CREATED)


class CartItemView(APIView):
    @extend_schema(
        tags=CART_TAG,
        parameters=[SKU_ID],
        request=s.CartItemQuantityInputSerializer,
        responses=s.CartLineOutputSerializer,
        summary="Change the quantity of a SKU in my cart",
    )
    def patch(self, request: Request, sku_id: str) -> Response:
        item = _cart_item(request, sku_id)
        data = s.CartItemQuantityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = cart_item_set(
            buyer=_user(request), sku=item.sku, quantity=data.validated_data["quantity"]
        )
        return Response(s.CartLineOutputSerializer(_cart_line(item)).data)

    @extend_schema(
        tags=CART_TAG,
        parameters=[SKU_ID],
        responses={204: None},
        summary="Take a SKU out of my cart",
    )
    def delete(self, request: Request, sku_id: str) -> Response:
        item = _cart_item(request, sku_id)
        cart_item_remove(buyer=_user(request), sku=item.sku)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Checkout ---------------------------------------------------------------------------------


def _checkout_lines(items: list[dict[str, Any]]) -> list[CheckoutLine]:
    skus = _skus([item["sku"] for item in items])
    return [CheckoutLine(skus[item["sku"]], item["quantity"]) for item in items]


class CheckoutView(APIView):
    @extend_schema(
        tags=ORDERS_TAG,
        parameters=[_idempotency_key(required=True)],
        request=s.CheckoutInputSerializer,
        responses={201: s.CheckoutOutputSerializer},
        summary="Check out the given items, or the whole cart: one order per shop",
    )
    def post(self, request: Request) -> Response:
        # The key is claimed, and the response stored, in the transaction that places the orders
        # (one statement on the hottest path); a request refused before that claims the key on
        # its own, like any other.
        keyed = keyed_request(request, required=True)
        assert keyed is not None
        try:
            data = s.CheckoutInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            items = data.validated_data.get("items")
            placed = checkout_place_keyed(
                buyer=_user(request),
                lines=None if items is None else _checkout_lines(items),
                keyed=keyed,
                respond=lambda checkout: s.CheckoutOutputSerializer(checkout).data,
            )
        except (IdempotencyInProgress, IdempotencyKeyReused):
            raise
        except Exception as error:
            refusal = error

            def refuse() -> Response:
                raise refusal

            return respond_idempotently(self, request, keyed, refuse)
        if isinstance(placed, StoredResponse):
            return replayed(placed)
        return Response(placed[1], status.HTTP_201_CREATED)


class CheckoutViewSet(viewsets.GenericViewSet[Checkout]):
    queryset = Checkout.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = s.CheckoutOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Checkout:
        buyer = _user(self.request)
        return _found(
            lambda public_id: selectors.checkout_get_for_buyer(buyer=buyer, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such checkout of yours.",
        )

    @extend_schema(tags=ORDERS_TAG, summary="One of my checkouts, with its orders")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        tags=PAYMENTS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        responses={201: s.PaymentOutputSerializer},
        summary="Pay the unpaid orders of a checkout together",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def pay(self, request: Request, public_id: str) -> Response:
        buyer = _user(request)
        checkout = _found(
            lambda public_id: selectors.checkout_find_for_buyer(buyer=buyer, public_id=public_id),
            public_id,
            "There is no such checkout of yours.",
        )
        payment = payment_create(buyer=buyer, checkout=checkout)
        return Response(s.PaymentOutputSerializer(payment).data, status=status.HTTP_201_CREATED)


# --- Orders -----------------------------------------------------------------------------------


class OrderViewSet(viewsets.GenericViewSet[Order]):
    queryset = Order.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = s.OrderOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Order:
        buyer = _user(self.request)
        return _found(
            lambda public_id: selectors.order_get_for_buyer(buyer=buyer, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such order of yours.",
            OrderNotFound,
        )

    def _command_target(self) -> Order:
        """The order a command acts on, without what ``get_object`` loads for showing it: the
        command's service locks and reads what it needs."""
        buyer = _user(self.request)
        return _found(
            lambda public_id: selectors.order_find_for_buyer(buyer=buyer, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such order of yours.",
            OrderNotFound,
        )

    def _render(self, order: Order) -> Response:
        """The order as the service left it, read again with its lines and timeline."""
        fresh = selectors.order_get_for_buyer(buyer=_user(self.request), public_id=order.public_id)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        tags=ORDERS_TAG,
        parameters=[s.OrderFilterInputSerializer],
        summary="My orders, newest first",
    )
    def list(self, request: Request) -> Response:
        query = s.OrderFilterInputSerializer(data=_query_params(request))
        query.is_valid(raise_exception=True)
        orders = selectors.order_list_for_buyer(
            buyer=_user(request), status=query.validated_data["status"]
        )
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=ORDERS_TAG, summary="One of my orders, with its timeline")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        tags=PAYMENTS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        responses={201: s.PaymentOutputSerializer},
        summary="Pay one unpaid order",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def pay(self, request: Request, public_id: str) -> Response:
        payment = payment_create(buyer=_user(request), order=self._command_target())
        return Response(s.PaymentOutputSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=ORDERS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        summary="Cancel an unpaid order (its stock goes back on sale)",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def cancel(self, request: Request, public_id: str) -> Response:
        return self._render(order_cancel(order=self._command_target(), actor=_user(request)))

    @extend_schema(
        tags=ORDERS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        summary="Confirm the goods arrived: the seller is paid from escrow",
    )
    @action(detail=True, methods=["post"], url_path="confirm-receipt")
    @idempotent()
    def confirm_receipt(self, request: Request, public_id: str) -> Response:
        return self._render(
            order_confirm_receipt(order=self._command_target(), actor=_user(request))
        )


class PaymentViewSet(viewsets.GenericViewSet[Payment]):
    queryset = Payment.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = s.PaymentOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Payment:
        buyer = _user(self.request)
        return _found(
            lambda public_id: selectors.payment_get_for_buyer(buyer=buyer, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such payment of yours.",
        )

    @extend_schema(tags=PAYMENTS_TAG, summary="One of my payments")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


# --- Sellers ----------------------------------------------------------------------------------


def _own_shop(request: Request) -> Shop:
    shop = shop_get_for_owner(user=_user(request))
    if shop is None:
        raise ShopRequired("Open a shop first.")
    return shop


class SellerOrderViewSet(viewsets.GenericViewSet[Order]):
    queryset = Order.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = s.SellerOrderOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Order:
        shop = _own_shop(self.request)
        return _found(
            lambda public_id: selectors.order_get_for_shop(shop=shop, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such order in your shop.",
            OrderNotFound,
        )

    @extend_schema(
        tags=SELLER_TAG, parameters=[s.OrderFilterInputSerializer], summary="My shop's orders"
    )
    def list(self, request: Request) -> Response:
        shop = _own_shop(request)
        query = s.OrderFilterInputSerializer(data=_query_params(request))
        query.is_valid(raise_exception=True)
        orders = selectors.order_list_for_shop(shop=shop, status=query.validated_data["status"])
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=SELLER_TAG, summary="One of my shop's orders, with its timeline")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        tags=SELLER_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.ShipInputSerializer,
        summary="Ship a paid order (carrier and tracking number; neither for virtual goods)",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def ship(self, request: Request, public_id: str) -> Response:
        order = self.get_object()
        data = s.ShipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_ship(order=order, actor=_user(request), **data.validated_data)
        fresh = selectors.order_get_for_shop(shop=order.shop, public_id=order.public_id)
        return Response(self.get_serializer(fresh).data)


class SellerBalanceView(APIView):
    @extend_schema(
        tags=SELLER_TAG,
        responses=s.BalanceOutputSerializer,
        summary="My shop's money and its most recent movements",
    )
    def get(self, request: Request) -> Response:
        shop = _own_shop(request)
        balance = {
            **selectors.shop_balances(shop=shop),
            "lines": selectors.ledger_lines_for_shop(shop=shop)[:BALANCE_LINES],
        }
        return Response(s.BalanceOutputSerializer(balance).data)
