"""factory_boy factories shared by the tests of every app."""

from typing import cast

import factory

from marketplace.accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"buyer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


# --- Shops and catalogue ----------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from shops.models import Category, Listing, Place, Shop, ShopVerification  # noqa: E402
from shops.services.listings import (  # noqa: E402
    ListingInput,
    SkuInput,
    VariantAttribute,
    listing_create,
    listing_publish,
    variant_combinations,
)
from shops.services.places import place_add  # noqa: E402

YIWU_VILLAGE = ("浙江省", "金华市", "义乌市", "青岩刘村")


def make_place(names: tuple[str, ...] = YIWU_VILLAGE) -> Place:
    place = None
    for name in names:
        place = place_add(name=name, parent=place)
    assert place is not None
    return place


def make_category(*names: str) -> Category:
    """A chain of categories, e.g. make_category("服装", "女装"); returns the last one."""
    parent = None
    for name in names or ("Clothing",):
        siblings = (
            Category.objects.get_children(parent) if parent else Category.objects.get_root_nodes()
        )
        node = siblings.filter(name=name).first()
        if node is None:
            fields = {"name": name, "slug": f"cat-{Category.objects.count() + 1}"}
            node = (
                Category.objects.add_child(parent, fields)
                if parent
                else Category.objects.add_root(fields)
            )
        parent = node
    assert parent is not None
    return parent


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Village Shop {n}")
    slug = factory.Sequence(lambda n: f"village-shop-{n}")
    place = factory.LazyFunction(make_place)
    province = factory.LazyAttribute(lambda shop: shop.place.full_name.split(" / ")[0])
    city = factory.LazyAttribute(lambda shop: shop.place.full_name.split(" / ")[1])
    verification = factory.RelatedFactory(
        "tests.factories.ShopVerificationFactory", factory_related_name="shop"
    )


class ShopVerificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopVerification


def listing_input(
    *,
    title: str = "Hand-woven bamboo basket",
    category: Category | None = None,
    variants: dict[str, list[str]] | None = None,
    price: str = "25.00",
    stock: int = 10,
    shipping_method: str = "express",
    shipping_fee: str = "0.00",
    description: str = "",
) -> ListingInput:
    attributes = [
        VariantAttribute(name, tuple(values)) for name, values in (variants or {}).items()
    ]
    return ListingInput(
        title=title,
        category=category or make_category(),
        description=description,
        shipping_method=shipping_method,
        shipping_fee=Decimal(shipping_fee),
        variant_attributes=attributes,
        skus=[
            SkuInput(combination, Decimal(price), stock)
            for combination in variant_combinations(attributes)
        ],
    )


def make_listing(shop: Shop | None = None, *, publish: bool = True, **kwargs: object) -> Listing:
    shop = shop or cast(Shop, ShopFactory())
    listing = listing_create(shop=shop, actor=shop.owner, data=listing_input(**kwargs))  # type: ignore[arg-type]
    if publish:
        listing = listing_publish(listing=listing, actor=shop.owner)
    return listing
