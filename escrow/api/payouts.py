"""The seller's payouts and the micro-deposit check of their bank account, under /api/seller/.

Amounts are strings with two decimals. A seller sees only their own shop's payouts: any other
payout is a 404. Requesting a payout accepts an ``Idempotency-Key`` header.
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from escrow.api.idempotency import idempotent
from escrow.api.serializers import money
from escrow.api.views import IDEMPOTENCY_KEY, SELLER_TAG, _found, _own_shop, _user
from escrow.models import BankAccountCheck, Payout
from escrow.selectors import payout_get_for_shop, payout_list_for_shop
from escrow.services.payouts import (
    bank_check_confirm,
    bank_check_start,
    bank_check_state,
    payout_request,
)
from shops.models import Shop

# --- Shapes -----------------------------------------------------------------------------------


class BankCheckOutputSerializer(serializers.Serializer[Any]):
    """A ``services.payouts.BankCheckState``."""

    status = serializers.ChoiceField(
        source="check.status",
        choices=BankAccountCheck.Status.choices,
        read_only=True,
        allow_null=True,
        default=None,
        help_text="null until the check of the account in your real-name verification starts "
        "(and again when that account changes).",
    )
    bank_account_masked = serializers.CharField(
        read_only=True,
        help_text="The account of your real-name verification; empty until you hand one in.",
    )
    attempts_left = serializers.IntegerField(read_only=True)
    can_withdraw = serializers.BooleanField(
        read_only=True, help_text="Verification approved and this account confirmed."
    )
    sent_at = serializers.DateTimeField(
        source="check.sent_at", read_only=True, allow_null=True, default=None
    )
    confirmed_at = serializers.DateTimeField(
        source="check.confirmed_at", read_only=True, allow_null=True, default=None
    )


def deposit_amount() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("0.99")
    )


class BankCheckConfirmInputSerializer(serializers.Serializer[Any]):
    """The two small amounts as they appear on the bank statement, in either order."""

    first_amount = deposit_amount()
    second_amount = deposit_amount()


class PayoutInputSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PayoutOutputSerializer(serializers.Serializer[Payout]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.ChoiceField(choices=Payout.Status.choices, read_only=True)
    amount = money()
    bank_account_masked = serializers.CharField(read_only=True)
    failure_reason = serializers.CharField(
        read_only=True, help_text="Why the bank refused it (the money is available again)."
    )
    created_at = serializers.DateTimeField(read_only=True)
    settled_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _bank_check(shop: Shop) -> Response:
    return Response(BankCheckOutputSerializer(bank_check_state(shop=shop)).data)


# --- Views ------------------------------------------------------------------------------------


class SellerBankCheckView(APIView):
    @extend_schema(
        tags=SELLER_TAG,
        responses=BankCheckOutputSerializer,
        summary="The check of my payout bank account",
    )
    def get(self, request: Request) -> Response:
        return _bank_check(_own_shop(request))

    @extend_schema(
        tags=SELLER_TAG,
        request=None,
        responses=BankCheckOutputSerializer,
        summary="Have two small amounts sent to my bank account (once per account)",
    )
    def post(self, request: Request) -> Response:
        shop = _own_shop(request)
        bank_check_start(shop=shop)
        return _bank_check(shop)


class SellerBankCheckConfirmView(APIView):
    @extend_schema(
        tags=SELLER_TAG,
        request=BankCheckConfirmInputSerializer,
        responses=BankCheckOutputSerializer,
        summary="Type back the two amounts sent to my bank account",
    )
    def post(self, request: Request) -> Response:
        shop = _own_shop(request)
        data = BankCheckConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bank_check_confirm(shop=shop, **data.validated_data)
        return _bank_check(shop)


class SellerPayoutViewSet(viewsets.GenericViewSet[Payout]):
    queryset = Payout.objects.none()  # names the model for the schema; get_object() scopes
    serializer_class = PayoutOutputSerializer
    lookup_field = "public_id"

    def get_object(self) -> Payout:
        shop = _own_shop(self.request)
        return _found(
            lambda public_id: payout_get_for_shop(shop=shop, public_id=public_id),
            self.kwargs["public_id"],
            "There is no such payout of your shop.",
        )

    @extend_schema(tags=SELLER_TAG, summary="My shop's payouts, newest first")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(payout_list_for_shop(shop=_own_shop(request)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=SELLER_TAG, summary="One of my shop's payouts")
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        tags=SELLER_TAG,
        parameters=[IDEMPOTENCY_KEY],
        request=PayoutInputSerializer,
        responses={201: PayoutOutputSerializer},
        summary="Pay out part of my available balance to my confirmed bank account",
    )
    @idempotent()
    def create(self, request: Request) -> Response:
        shop = _own_shop(request)
        data = PayoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payout = payout_request(shop=shop, actor=_user(request), **data.validated_data)
        return Response(self.get_serializer(payout).data, status=status.HTTP_201_CREATED)
