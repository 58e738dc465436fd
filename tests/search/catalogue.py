"""Builds the relevance set's fixed catalogue (``relevance_set``) through the shop services."""

from decimal import Decimal

from search.services.indexing import dirty_drain
from shops.models import Listing
from shops.services.listings import (
    ListingInput,
    SkuInput,
    VariantAttribute,
    listing_create,
    listing_publish,
)
from tests.factories import ShopFactory, make_category
from tests.search import relevance_set


def build_catalogue() -> dict[str, Listing]:
    """Every shop and listing of the relevance set, published and indexed; keyed by their key."""
    shops = {
        shop.key: ShopFactory(name=shop.name[:40], province=shop.province, city=shop.city)
        for shop in relevance_set.SHOPS
    }
    listings = {}
    for item in relevance_set.LISTINGS:
        shop = shops[item.shop]
        attributes = [VariantAttribute(name, (value,)) for name, value in item.attributes.items()]
        data = ListingInput(
            title=item.title,
            category=make_category(*item.category),
            description=item.description,
            shipping_method="express",
            shipping_fee=Decimal("0"),
            variant_attributes=attributes,
            skus=[SkuInput(dict(item.attributes), Decimal(item.price), 20)],
        )
        listing = listing_create(shop=shop, actor=shop.owner, data=data)
        listings[item.key] = listing_publish(listing=listing, actor=shop.owner)
    dirty_drain()
    return listings
