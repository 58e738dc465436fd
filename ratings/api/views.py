"""Rating an order's other side, reading an order's ratings, replying and revising; the public
lists of a shop's and of a buyer's ratings.

An order is found only by its buyer or its seller, a rating only by whoever may act on it (the
rated side once it is published, the rater): anything else is a 404, whether it exists or not.
POSTs take an ``Idempotency-Key``.
"""

import uuid
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from escrow.api.idempotency import HEADER, idempotent
from escrow.exceptions import OrderNotFound
from escrow.models import Order
from marketplace.accounts.models import User
from marketplace.api.pagination import PageNumberPagination
from marketplace.exceptions import NotFoundError
from ratings import selectors
from ratings.api import serializers as s
from ratings.models import Rating
from ratings.selectors import CreditSummary
from ratings.services.ratings import DSR, rating_reply, rating_revise, rating_submit
from shops.selectors import shop_get_public

RATINGS_TAG = ["ratings"]
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A retry with the same key and body gets the first response again.",
)
ORDER_ID = OpenApiParameter(
    "order_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The order's id."
)
RATING_ID = OpenApiParameter("rating_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _order(request: Request, order_id: Any) -> Order:
    order = selectors.order_get_for_party(user=_user(request), public_id=order_id)
    if order is None:
        raise OrderNotFound("There is no such order of yours.")
    return order


def _order_ratings(request: Request, order: Order, code: int = status.HTTP_200_OK) -> Response:
    seen = selectors.order_ratings_for_party(order=order, user=_user(request))
    return Response(s.OrderRatingsOutputSerializer(seen).data, status=code)


class OrderRatingView(APIView):
    @extend_schema(
        tags=RATINGS_TAG,
        parameters=[ORDER_ID, IDEMPOTENCY_KEY],
        request=s.RatingInputSerializer,
        responses={201: s.OrderRatingsOutputSerializer},
        summary="Rate the other side of a completed order (once, within 15 days)",
        description="The buyer rates the seller (with DSR scores), the seller rates the buyer. "
        "Hidden from the other side until both have rated or the window ends. Errors: 409 "
        "order_not_rateable (not completed: unpaid, cancelled, refunded), rating_window_closed, "
        "already_rated; 400 invalid with field errors; 404 order_not_found.",
    )
    @idempotent()
    def post(self, request: Request, order_id: Any) -> Response:
        order = _order(request, order_id)
        data = s.RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dsr = data.validated_data["dsr"]
        rating_submit(
            order=order,
            rater=_user(request),
            value=data.validated_data["value"],
            comment=data.validated_data["comment"],
            dsr=DSR(**dsr) if dsr is not None else None,
        )
        return _order_ratings(request, order, status.HTTP_201_CREATED)


class OrderRatingsView(APIView):
    @extend_schema(
        tags=RATINGS_TAG,
        parameters=[ORDER_ID],
        responses=s.OrderRatingsOutputSerializer,
        summary="The ratings of one of my orders: mine always, the other side's once published",
    )
    def get(self, request: Request, order_id: Any) -> Response:
        return _order_ratings(request, _order(request, order_id))


class RatingReplyView(APIView):
    @extend_schema(
        tags=RATINGS_TAG,
        parameters=[RATING_ID, IDEMPOTENCY_KEY],
        request=s.ReplyInputSerializer,
        responses=s.ReceivedRatingOutputSerializer,
        summary="Answer a published rating of you, once, in public",
    )
    @idempotent()
    def post(self, request: Request, rating_id: uuid.UUID) -> Response:
        rating = selectors.rating_get_for_rated_side(user=_user(request), public_id=rating_id)
        if rating is None:
            raise NotFoundError("There is no such rating of you.", code="rating_not_found")
        data = s.ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = rating_reply(rating=rating, user=_user(request), text=data.validated_data["text"])
        return Response(s.ReceivedRatingOutputSerializer(rating).data)


class RatingReviseView(APIView):
    @extend_schema(
        tags=RATINGS_TAG,
        parameters=[RATING_ID, IDEMPOTENCY_KEY],
        request=s.ReviseInputSerializer,
        responses=s.GivenRatingOutputSerializer,
        summary="Change my neutral or bad rating to good, or delete it (once, within 30 days)",
    )
    @idempotent()
    def post(self, request: Request, rating_id: uuid.UUID) -> Response:
        rating = selectors.rating_get_for_rater(user=_user(request), public_id=rating_id)
        if rating is None:
            raise NotFoundError("There is no such rating of yours.", code="rating_not_found")
        data = s.ReviseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = rating_revise(
            rating=rating, rater=_user(request), delete=data.validated_data["delete"]
        )
        return Response(s.GivenRatingOutputSerializer(rating).data)


# --- Public lists -----------------------------------------------------------------------------


class _PublicRatingsView(APIView):
    permission_classes = [AllowAny]

    def _page(
        self, request: Request, ratings: QuerySet[Rating], summary: Any, output: type[Any]
    ) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(ratings, request, view=self) or []
        assert paginator.page is not None
        return Response(
            output(
                {
                    "count": paginator.page.paginator.count,
                    "next": paginator.get_next_link(),
                    "previous": paginator.get_previous_link(),
                    "summary": summary,
                    "results": page,
                }
            ).data
        )

    def _value(self, request: Request) -> str:
        query = s.PublicRatingFilterInputSerializer(
            data={k: v for k, v in request.query_params.dict().items() if k == "value" and v}
        )
        query.is_valid(raise_exception=True)
        return str(query.validated_data["value"])


PAGE_PARAMETERS: list[OpenApiParameter | type[Serializer[Any]]] = [
    s.PublicRatingFilterInputSerializer,
    OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY),
    OpenApiParameter("page_size", OpenApiTypes.INT, OpenApiParameter.QUERY),
]


class ShopRatingsView(_PublicRatingsView):
    @extend_schema(
        tags=RATINGS_TAG,
        parameters=PAGE_PARAMETERS,
        responses=s.ShopRatingsPageOutputSerializer,
        summary="What buyers said of a shop (published ratings), with its credit and DSR",
    )
    def get(self, request: Request, slug: str) -> Response:
        shop = shop_get_public(slug=slug)
        if shop is None:
            raise NotFoundError("There is no shop at this address.")
        value = self._value(request)
        summary: CreditSummary = selectors.shop_credit_summary(shop=shop)
        ratings = selectors.rating_list_for_shop_public(shop=shop, value=value)
        return self._page(request, ratings, summary, s.ShopRatingsPageOutputSerializer)


class UserRatingsView(_PublicRatingsView):
    @extend_schema(
        tags=RATINGS_TAG,
        parameters=PAGE_PARAMETERS,
        responses=s.BuyerRatingsPageOutputSerializer,
        summary="What sellers said of a buyer (published ratings), with the buyer's credit",
    )
    def get(self, request: Request, username: str) -> Response:
        user = selectors.user_get_public(username=username)
        if user is None:
            raise NotFoundError("There is no such user.", code="user_not_found")
        value = self._value(request)
        summary = selectors.buyer_credit_summary(user=user)
        ratings = selectors.rating_list_for_buyer_public(buyer=user, value=value)
        return self._page(request, ratings, summary, s.BuyerRatingsPageOutputSerializer)
