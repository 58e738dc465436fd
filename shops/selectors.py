"""Reads of shops and the catalogue, with the joins each page or endpoint needs."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from marketplace.accounts.models import User
from shops.models import SKU, Category, Listing, ListingImage, Place, Shop


def shop_get_for_owner(*, user: User) -> Shop | None:
    if not user.is_authenticated:
        return None
    return Shop.objects.select_related("place", "verification").filter(owner=user).first()


def shop_list_public() -> QuerySet[Shop]:
    """Shops buyers can browse: active ones."""
    return Shop.objects.filter(status=Shop.Status.ACTIVE).order_by("-created_at", "pk")


def shop_get_public(*, slug: str) -> Shop | None:
    """Any shop by its address, whatever its status (a suspended shop shows a notice)."""
    return Shop.objects.filter(slug=slug).first()


def _cover_prefetch() -> Prefetch:
    return Prefetch("images", queryset=ListingImage.objects.order_by("position", "pk"))


@dataclass(frozen=True)
class ListingFilters:
    shop_slug: str | None = None
    category: Category | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    ordering: str = "newest"


LISTING_ORDERINGS = {
    "newest": ("-published_at", "-pk"),
    "price_asc": ("price_min", "pk"),
    "price_desc": ("-price_max", "-pk"),
}


def listing_list_public(*, filters: ListingFilters | None = None) -> QuerySet[Listing]:
    """Listings on sale: active, in an active shop. Sold-out listings stay (they show as such)."""
    filters = filters or ListingFilters()
    listings = Listing.objects.filter(status=Listing.Status.ACTIVE, shop__status=Shop.Status.ACTIVE)
    if filters.shop_slug:
        listings = listings.filter(shop__slug=filters.shop_slug)
    if filters.category is not None:
        listings = listings.filter(category__path__startswith=filters.category.path)
    if filters.price_min is not None:
        listings = listings.filter(price_max__gte=filters.price_min)
    if filters.price_max is not None:
        listings = listings.filter(price_min__lte=filters.price_max)
    if filters.in_stock:
        listings = listings.filter(total_stock__gt=0)
    return (
        listings.select_related("shop", "category")
        .prefetch_related(_cover_prefetch())
        .order_by(*LISTING_ORDERINGS.get(filters.ordering, LISTING_ORDERINGS["newest"]))
    )


def listing_get_public(*, public_id: Any) -> Listing | None:
    return (
        listing_list_public()
        .prefetch_related(
            Prefetch("skus", queryset=SKU.objects.filter(is_active=True).order_by("position"))
        )
        .filter(public_id=public_id)
        .first()
    )


def listing_list_for_seller(*, shop: Shop, query: str = "", status: str = "") -> QuerySet[Listing]:
    listings = shop.listings.select_related("category").prefetch_related(_cover_prefetch())
    if query:
        listings = listings.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if status:
        listings = listings.filter(status=status)
    return listings.order_by("-updated_at", "-pk")


def listing_get_for_seller(*, shop: Shop, public_id: Any) -> Listing | None:
    return (
        shop.listings.select_related("category", "shop")
        .prefetch_related(
            _cover_prefetch(),
            Prefetch("skus", queryset=SKU.objects.filter(is_active=True).order_by("position")),
        )
        .filter(public_id=public_id)
        .first()
    )


def category_list_for_shop(*, shop: Shop) -> QuerySet[Category]:
    """The categories of the shop's listings on sale, each with ``listing_count``."""
    return (
        Category.objects.filter(listings__shop=shop, listings__status=Listing.Status.ACTIVE)
        .annotate(listing_count=Count("listings"))
        .order_by("path")
    )


def category_tree() -> list[dict[str, Any]]:
    """The whole category tree as nested dicts, in one query."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for category in Category.objects.order_by("path"):
        node = {"id": category.pk, "name": category.name, "slug": category.slug, "children": []}
        nodes[category.path] = node
        parent = nodes.get(category.path[: -Category.steplen])
        (parent["children"] if parent else roots).append(node)
    return roots


def category_choices() -> list[tuple[int, str]]:
    """Categories for a select box, each labelled with its path (服装 › 女装 › 连衣裙)."""
    names: dict[str, str] = {}
    choices = []
    for category in Category.objects.order_by("path"):
        parent = names.get(category.path[: -Category.steplen])
        names[category.path] = f"{parent} › {category.name}" if parent else category.name
        choices.append((category.pk, names[category.path]))
    return choices


def place_choices() -> list[tuple[int, str]]:
    """Cities, counties and villages a shop can be in, labelled with their full path."""
    return [
        (place.pk, place.full_name)
        for place in Place.objects.filter(depth__gte=Place.Kind.CITY).order_by("full_name")
    ]
