"""Buyers browse shops, categories and listings; sellers run their own shop and its listings.

Everything a seller touches is looked up inside their own shop, so another seller's listing or
SKU is simply not found (404), never forbidden.
"""

import uuid
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from marketplace.accounts.models import User
from marketplace.exceptions import NotFoundError
from shops import selectors
from shops.api import serializers as s
from shops.exceptions import ShopRequired
from shops.models import SKU, Listing, Shop
from shops.services.listings import (
    ListingInput,
    SkuInput,
    VariantAttribute,
    listing_create,
    listing_delist,
    listing_publish,
    listing_update,
    sku_set_stock,
)
from shops.services.shops import shop_open, shop_update

SHOPS_TAG = ["shops"]
LISTINGS_TAG = ["listings"]
SELLER_TAG = ["seller"]


def _user(request: Request) -> User:
    return cast(User, request.user)


def _public_id(value: str, message: str) -> uuid.UUID:
    """The UUID in the URL; anything that is not one names nothing, so it is a 404."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFoundError(message) from None


def _query_params(request: Request) -> dict[str, str]:
    """The query string, one value per name; an empty value counts as not given."""
    return {name: value for name, value in request.query_params.dict().items() if value}


# --- Buyers -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=SHOPS_TAG, summary="Shops open for business"),
    retrieve=extend_schema(tags=SHOPS_TAG, summary="A shop by its address, whatever its status"),
)
class ShopViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Shop]):
    permission_classes = [AllowAny]
    serializer_class = s.ShopOutputSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Shop]:
        return selectors.shop_list_public()

    def get_object(self) -> Shop:
        shop = selectors.shop_get_public(slug=self.kwargs["slug"])
        if shop is None:
            raise NotFoundError("There is no shop at this address.")
        return shop


class CategoryTreeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=LISTINGS_TAG,
        responses=s.CategoryNodeOutputSerializer(many=True),
        summary="The whole category tree",
    )
    def get(self, request: Request) -> Response:
        return Response(s.CategoryNodeOutputSerializer(selectors.category_tree(), many=True).data)


@extend_schema_view(
    retrieve=extend_schema(tags=LISTINGS_TAG, summary="A listing on sale, with SKUs and pictures")
)
class ListingViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Listing]):
    permission_classes = [AllowAny]
    lookup_field = "public_id"

    def get_serializer_class(self) -> type[BaseSerializer[Listing]]:
        if self.action == "retrieve":
            return s.ListingDetailOutputSerializer
        return s.ListingOutputSerializer

    def get_queryset(self) -> QuerySet[Listing]:
        return selectors.listing_list_public()

    def get_object(self) -> Listing:
        message = "There is no such listing on sale."
        listing = selectors.listing_get_public(
            public_id=_public_id(self.kwargs["public_id"], message)
        )
        if listing is None:
            raise NotFoundError(message)
        return listing

    @extend_schema(
        tags=LISTINGS_TAG, parameters=[s.ListingFilterInputSerializer], summary="Listings on sale"
    )
    def list(self, request: Request) -> Response:
        query = s.ListingFilterInputSerializer(data=_query_params(request))
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        listings = selectors.listing_list_public(
            filters=selectors.ListingFilters(
                shop_slug=filters.get("shop"),
                category=filters.get("category"),
                price_min=filters.get("price_min"),
                price_max=filters.get("price_max"),
                in_stock=filters["in_stock"],
                ordering=filters["ordering"],
            )
        )
        page = self.paginate_queryset(listings)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- Sellers ----------------------------------------------------------------------------------


def _own_shop(request: Request) -> Shop:
    shop = selectors.shop_get_for_owner(user=_user(request))
    if shop is None:
        raise ShopRequired("Open a shop first.")
    return shop


def _listing_input(data: dict[str, Any]) -> ListingInput:
    return ListingInput(
        title=data["title"],
        category=data["category"],
        description=data["description"],
        shipping_method=data["shipping_method"],
        shipping_fee=data["shipping_fee"],
        variant_attributes=[
            VariantAttribute(attribute["name"], tuple(attribute["values"]))
            for attribute in data["variant_attributes"]
        ],
        skus=[SkuInput(sku["attributes"], sku["price"], sku["stock"]) for sku in data["skus"]],
    )


class SellerShopView(APIView):
    permission_classes = [IsAuthenticated]

    def _render(self, request: Request, status_code: int = status.HTTP_200_OK) -> Response:
        shop = _own_shop(request)
        data = s.SellerShopOutputSerializer(shop, context={"request": request}).data
        return Response(data, status=status_code)

    @extend_schema(tags=SELLER_TAG, responses=s.SellerShopOutputSerializer, summary="My shop")
    def get(self, request: Request) -> Response:
        return self._render(request)

    @extend_schema(
        tags=SELLER_TAG,
        request=s.ShopInputSerializer,
        responses={201: s.SellerShopOutputSerializer},
        summary="Open my shop",
    )
    def post(self, request: Request) -> Response:
        data = s.ShopInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shop_open(owner=_user(request), **data.validated_data)
        return self._render(request, status.HTTP_201_CREATED)

    @extend_schema(
        tags=SELLER_TAG,
        request=s.ShopInputSerializer,
        responses=s.SellerShopOutputSerializer,
        summary="Change my shop (fields left out keep their value)",
    )
    def patch(self, request: Request) -> Response:
        shop = _own_shop(request)
        data = s.ShopInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        current = {
            "name": shop.name,
            "place": shop.place,
            "slug": shop.slug,
            "description": shop.description,
            "contact_phone": shop.contact_phone,
            "contact_wechat": shop.contact_wechat,
        }
        shop_update(shop=shop, actor=_user(request), **{**current, **data.validated_data})
        return self._render(request)


@extend_schema_view(retrieve=extend_schema(tags=SELLER_TAG, summary="One of my listings"))
class SellerListingViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Listing]):
    permission_classes = [IsAuthenticated]
    queryset = Listing.objects.none()  # names the model for the schema; get_queryset() scopes
    lookup_field = "public_id"

    def get_serializer_class(self) -> type[BaseSerializer[Listing]]:
        if self.action == "list":
            return s.SellerListingOutputSerializer
        return s.SellerListingDetailOutputSerializer

    def get_queryset(self) -> QuerySet[Listing]:
        return selectors.listing_list_for_seller(shop=_own_shop(self.request))

    def get_object(self) -> Listing:
        message = "There is no such listing in your shop."
        listing = selectors.listing_get_for_seller(
            shop=_own_shop(self.request), public_id=_public_id(self.kwargs["public_id"], message)
        )
        if listing is None:
            raise NotFoundError(message)
        return listing

    def _render(self, listing: Listing, status_code: int = status.HTTP_200_OK) -> Response:
        """The listing as the service left it, read again with its SKUs and pictures."""
        fresh = selectors.listing_get_for_seller(shop=listing.shop, public_id=listing.public_id)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        tags=SELLER_TAG, parameters=[s.SellerListingFilterInputSerializer], summary="My listings"
    )
    def list(self, request: Request) -> Response:
        shop = _own_shop(request)
        query = s.SellerListingFilterInputSerializer(data=_query_params(request))
        query.is_valid(raise_exception=True)
        listings = selectors.listing_list_for_seller(
            shop=shop, query=query.validated_data["q"], status=query.validated_data["status"]
        )
        page = self.paginate_queryset(listings)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=SELLER_TAG,
        request=s.ListingInputSerializer,
        responses={201: s.SellerListingDetailOutputSerializer},
        summary="Add a listing (saved as a draft)",
    )
    def create(self, request: Request) -> Response:
        shop = _own_shop(request)
        data = s.ListingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = listing_create(
            shop=shop, actor=_user(request), data=_listing_input(data.validated_data)
        )
        return self._render(listing, status.HTTP_201_CREATED)

    @extend_schema(
        tags=SELLER_TAG,
        request=s.ListingInputSerializer,
        summary="Replace a listing and its SKU grid",
    )
    def update(self, request: Request, public_id: str) -> Response:
        listing = self.get_object()
        data = s.ListingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = listing_update(
            listing=listing, actor=_user(request), data=_listing_input(data.validated_data)
        )
        return self._render(listing)

    @extend_schema(
        tags=SELLER_TAG,
        request=None,
        summary="Put a listing on sale (one with a prohibited term stays a draft, with the reason)",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, public_id: str) -> Response:
        listing = listing_publish(listing=self.get_object(), actor=_user(request))
        return self._render(listing)

    @extend_schema(tags=SELLER_TAG, request=None, summary="Take a listing off sale")
    @action(detail=True, methods=["post"])
    def delist(self, request: Request, public_id: str) -> Response:
        listing = listing_delist(listing=self.get_object(), actor=_user(request))
        return self._render(listing)

    @extend_schema(
        tags=SELLER_TAG,
        parameters=[OpenApiParameter("sku_public_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        request=s.StockInputSerializer,
        responses=s.SkuOutputSerializer,
        summary="Set the stock of one SKU",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"skus/(?P<sku_public_id>[^/.]+)/stock",
        url_name="sku-stock",
    )
    def stock(self, request: Request, public_id: str, sku_public_id: str) -> Response:
        sku = self._own_sku(self.get_object(), sku_public_id)
        data = s.StockInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sku = sku_set_stock(sku=sku, actor=_user(request), stock=data.validated_data["stock"])
        return Response(s.SkuOutputSerializer(sku).data)

    def _own_sku(self, listing: Listing, public_id: str) -> SKU:
        message = "There is no such SKU in this listing."
        sku_id = _public_id(public_id, message)
        sku = next((sku for sku in listing.skus.all() if sku.public_id == sku_id), None)
        if sku is None:
            raise NotFoundError(message)
        return sku
