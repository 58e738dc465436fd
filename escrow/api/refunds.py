"""After-sale API: buyers ask for refunds, send goods back, escalate to staff and extend the
confirmation clock; sellers answer refunds and extend the clock too.

Lookups are scoped to who asks (another buyer's or shop's refund is a 404). Every POST takes an
``Idempotency-Key``.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from escrow import selectors
from escrow.api import serializers as s
from escrow.api.idempotency import idempotent
from escrow.api.views import (
    IDEMPOTENCY_KEY,
    OrderViewSet,
    SellerOrderViewSet,
    _found,
    _own_shop,
    _query_params,
    _user,
)
from escrow.models import Refund
from escrow.services import refunds
from escrow.services.orders import order_extend_confirmation

ORDERS_TAG = ["orders"]
REFUNDS_TAG = ["refunds"]
SELLER_TAG = ["seller"]


class BuyerOrderAfterSaleViewSet(OrderViewSet):
    """``/api/orders/{id}/refunds/`` and ``/extend-confirmation/`` on the buyer's orders."""

    @extend_schema(
        tags=REFUNDS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.RefundRequestInputSerializer,
        responses={201: s.RefundOutputSerializer},
        summary="Ask for money back from a paid or shipped order",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def refunds(self, request: Request, public_id: str) -> Response:
        order = self.get_object()
        data = s.RefundRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = refunds.refund_request(order=order, buyer=_user(request), **data.validated_data)
        found = selectors.refund_get_for_buyer(buyer=_user(request), public_id=refund.public_id)
        return Response(s.RefundOutputSerializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=ORDERS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.ExtendInputSerializer,
        summary="Give yourself more days before a shipped order completes by itself (once)",
    )
    @action(detail=True, methods=["post"], url_path="extend-confirmation")
    @idempotent()
    def extend_confirmation(self, request: Request, public_id: str) -> Response:
        order = self.get_object()
        data = s.ExtendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_extend_confirmation(order=order, actor=_user(request), **data.validated_data)
        return self._render(order)


class RefundViewSet(viewsets.GenericViewSet[Refund]):
    """The buyer's own refund requests."""

    queryset = Refund.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = s.RefundOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Refund:
        buyer = _user(self.request)
        return _found(
            lambda public_id: selectors.refund_get_for_buyer(buyer=buyer, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such refund request of yours.",
        )

    def _render(self, refund: Refund) -> Response:
        found = selectors.refund_get_for_buyer(
            buyer=_user(self.request), public_id=refund.public_id
        )
        return Response(self.get_serializer(found).data)

    @extend_schema(tags=REFUNDS_TAG, summary="One of my refund requests")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        tags=REFUNDS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.ReturnShipmentInputSerializer,
        summary="I have sent the goods back (carrier and tracking number)",
    )
    @action(detail=True, methods=["post"], url_path="return")
    @idempotent()
    def ship_return(self, request: Request, public_id: str) -> Response:
        refund = self.get_object()
        data = s.ReturnShipmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._render(
            refunds.refund_ship_return(refund=refund, actor=_user(request), **data.validated_data)
        )

    @extend_schema(
        tags=REFUNDS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.EscalateInputSerializer,
        summary="Take a refused request to the marketplace's staff (a dispute)",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def escalate(self, request: Request, public_id: str) -> Response:
        refund = self.get_object()
        data = s.EscalateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refunds.refund_escalate(refund=refund, actor=_user(request), **data.validated_data)
        return self._render(refund)

    @extend_schema(
        tags=REFUNDS_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        summary="Take my request back (the order's clock runs on)",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def withdraw(self, request: Request, public_id: str) -> Response:
        return self._render(refunds.refund_withdraw(refund=self.get_object(), actor=_user(request)))


class SellerOrderAfterSaleViewSet(SellerOrderViewSet):
    @extend_schema(
        tags=SELLER_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.ExtendInputSerializer,
        responses=s.SellerOrderOutputSerializer,
        summary="Give the buyer more days before a shipped order completes by itself (once)",
    )
    @action(detail=True, methods=["post"], url_path="extend-confirmation")
    @idempotent()
    def extend_confirmation(self, request: Request, public_id: str) -> Response:
        order = self.get_object()
        data = s.ExtendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_extend_confirmation(order=order, actor=_user(request), **data.validated_data)
        fresh = selectors.order_get_for_shop(shop=order.shop, public_id=order.public_id)
        return Response(self.get_serializer(fresh).data)


class SellerRefundViewSet(viewsets.GenericViewSet[Refund]):
    """Refund requests on the seller's orders: the most urgent deadline first."""

    queryset = Refund.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = s.RefundOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Refund:
        shop = _own_shop(self.request)
        return _found(
            lambda public_id: selectors.refund_get_for_shop(shop=shop, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such refund request in your shop.",
        )

    def _render(self, refund: Refund) -> Response:
        shop = _own_shop(self.request)
        found = selectors.refund_get_for_shop(shop=shop, public_id=refund.public_id)
        return Response(self.get_serializer(found).data)

    @extend_schema(
        tags=SELLER_TAG, parameters=[s.RefundFilterInputSerializer], summary="Refund requests"
    )
    def list(self, request: Request) -> Response:
        shop = _own_shop(request)
        query = s.RefundFilterInputSerializer(data=_query_params(request))
        query.is_valid(raise_exception=True)
        found = selectors.refund_list_for_shop(shop=shop, status=query.validated_data["status"])
        page = self.paginate_queryset(found)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=SELLER_TAG, summary="One refund request")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        tags=SELLER_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        summary="Agree: the money goes back now, or once the returned goods arrive",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def agree(self, request: Request, public_id: str) -> Response:
        return self._render(refunds.refund_agree(refund=self.get_object(), actor=_user(request)))

    @extend_schema(
        tags=SELLER_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=s.RefundRefuseInputSerializer,
        summary="Refuse, with a reason the buyer sees (the buyer may escalate)",
    )
    @action(detail=True, methods=["post"])
    @idempotent()
    def refuse(self, request: Request, public_id: str) -> Response:
        refund = self.get_object()
        data = s.RefundRefuseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._render(
            refunds.refund_refuse(refund=refund, actor=_user(request), **data.validated_data)
        )

    @extend_schema(
        tags=SELLER_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        summary="The returned goods arrived: the money goes back to the buyer",
    )
    @action(detail=True, methods=["post"], url_path="confirm-return")
    @idempotent()
    def confirm_return(self, request: Request, public_id: str) -> Response:
        refund = refunds.refund_confirm_return(refund=self.get_object(), actor=_user(request))
        return self._render(refund)
