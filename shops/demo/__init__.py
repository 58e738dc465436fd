"""Demo places, categories, shops and listings for ``seed_demo``.

Twelve family shops in real "Taobao villages" each sell about 25 listings composed from the
product lines below. Everything goes through the services a seller uses (``shop_open``,
``listing_create``, ``listing_image_add``, ``listing_publish``), with pictures drawn by Pillow. Each
shop draws from its own ``random.Random`` seeded with its username, so every run (and every shop
on its own) produces the same catalogue; each step returns early when its data exists.
"""

import functools
import random
import re
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from marketplace.accounts.demo import DEMO_PASSWORD
from marketplace.accounts.models import User
from shops.demo.data import (
    CATEGORIES,
    COLOURS,
    LINES,
    LISTINGS_PER_SHOP,
    PICTURE_SIDE,
    PLACES,
    PROHIBITED_TERMS,
    PROTECTED_BRANDS,
    SHOPS,
    DemoShop,
    ProductLine,
    Variant,
)
from shops.models import Category, Listing, Place, ProhibitedTerm, ProtectedBrand, Shop
from shops.services.images import listing_image_add
from shops.services.listings import (
    ListingInput,
    SkuInput,
    VariantAttribute,
    listing_create,
    listing_delist,
    listing_publish,
    variant_combinations,
)
from shops.services.places import place_add
from shops.services.shops import shop_open

# --- Steps ------------------------------------------------------------------------------------


def steps() -> list[tuple[str, Callable[[], None]]]:
    return [
        ("places", create_places),
        ("categories", create_categories),
        ("protected brands and prohibited terms", create_rules),
        *((f"shop {shop.username}", _shop_step(shop)) for shop in SHOPS),
    ]


def create_places() -> None:
    for names, households in PLACES:
        parent: Place | None = None
        for depth, name in enumerate(names, start=1):
            last = depth == len(names)
            parent = place_add(name=name, parent=parent, households=households if last else None)


def create_categories() -> None:
    existing = {category.slug: category for category in Category.objects.all()}
    for slug, name, parent_slug in CATEGORIES:
        if slug in existing:
            continue
        fields = {"name": name, "slug": slug}
        existing[slug] = (
            Category.objects.add_child(existing[parent_slug], fields)
            if parent_slug
            else Category.objects.add_root(fields)
        )


def create_rules() -> None:
    for brand in PROTECTED_BRANDS:
        if not ProtectedBrand.objects.filter(name__iexact=brand).exists():
            ProtectedBrand.objects.create(name=brand)
    for term, reason in PROHIBITED_TERMS:
        if not ProhibitedTerm.objects.filter(term__iexact=term).exists():
            ProhibitedTerm.objects.create(term=term, reason=reason)


def _shop_step(spec: DemoShop) -> Callable[[], None]:
    def create() -> None:
        owner = User.objects.filter(username__iexact=spec.username).first() or _seller(spec)
        shop = Shop.objects.filter(owner=owner).first() or _open_shop(spec, owner)
        if not shop.listings.exists():
            _fill_shop(shop, spec, _random(spec.username))

    return create


def _random(seed: str) -> random.Random:
    return random.Random(seed)  # noqa: S311 (reproducible demo data, nothing secret)


@functools.cache
def _password_hash() -> str:
    """Hashed once per run: hashing is slow on purpose and every demo seller shares it."""
    return make_password(DEMO_PASSWORD)


def _seller(spec: DemoShop) -> User:
    return User.objects.create(
        username=spec.username, email=f"{spec.username}@example.com", password=_password_hash()
    )


def _open_shop(spec: DemoShop, owner: User) -> Shop:
    names = next(names for names, _ in PLACES if names[-1] == spec.place)
    place = None
    for name in names:
        place = place_add(name=name, parent=place)
    logo = None
    if spec.with_logo:
        rng = _random(spec.slug)
        picture = _picture(rng, (60, 60, 60), _initials(spec.slug), side=400)
        logo = SimpleUploadedFile("logo.jpg", picture, content_type="image/jpeg")
    return shop_open(
        owner=owner,
        name=spec.name,
        slug=spec.slug,
        place=place,
        description=spec.description,
        contact_phone=spec.phone,
        logo=logo,
    )


# --- Listings ---------------------------------------------------------------------------------


def _fill_shop(shop: Shop, spec: DemoShop, rng: random.Random) -> None:
    categories = {category.slug: category for category in Category.objects.all()}
    roots = {
        category.path: category.slug for category in categories.values() if category.depth == 1
    }
    titles: set[str] = set()
    for _ in range(rng.randint(*LISTINGS_PER_SHOP)):
        line = LINES[rng.choice(spec.lines)]
        category = categories[line.category]
        data = _listing_input(rng, line, category, shop, titles)
        listing = listing_create(shop=shop, actor=shop.owner, data=data)
        colour = COLOURS[roots[category.path[: Category.steplen]]]
        for number in range(rng.choice((1, 1, 2))):
            picture = _picture(rng, colour, _initials(line.category))
            upload = SimpleUploadedFile(f"{number}.jpg", picture, content_type="image/jpeg")
            listing_image_add(listing=listing, actor=shop.owner, upload=upload)
        _set_status(listing, shop.owner, rng.random())


def _set_status(listing: Listing, owner: User, roll: float) -> None:
    """About 6% stay drafts, 4% are delisted, the rest are on sale."""
    if roll < 0.06:
        return
    listing_publish(listing=listing, actor=owner)
    if roll < 0.10:
        listing_delist(listing=listing, actor=owner)


def _listing_input(
    rng: random.Random, line: ProductLine, category: Category, shop: Shop, titles: set[str]
) -> ListingInput:
    grid = [variant for variant in line.variants if rng.random() < line.grid_share]
    base = Decimal(rng.randint(*line.price))
    slots = {variant.key: "" for variant in grid}
    for variant in line.variants:
        if variant not in grid:
            index = rng.randrange(len(variant.values))
            slots[variant.key] = variant.values[index]
            base *= variant.factors[index] if variant.factors else 1
    title = _title(rng, line, slots, titles)
    attributes = [_attribute(rng, variant) for variant in grid]
    shipping_method, shipping_fee = _shipping(rng, line)
    return ListingInput(
        title=title,
        category=category,
        description=f"{title}\n\n{line.blurb}\n产地：{_origin(shop)}",
        shipping_method=shipping_method,
        shipping_fee=shipping_fee,
        variant_attributes=attributes,
        skus=[
            SkuInput(combination, _price(base, grid, combination), _stock(rng))
            for combination in variant_combinations(attributes)
        ],
    )


def _title(rng: random.Random, line: ProductLine, slots: dict[str, str], titles: set[str]) -> str:
    """A title the shop does not use yet, of at most 60 characters."""
    for _ in range(50):
        words = {name: rng.choice(options) for name, options in line.words.items()}
        text = rng.choice(line.patterns).format(**{**words, **slots})
        title = re.sub(r"\s+", " ", text).strip(" ,")
        if title not in titles and len(title) <= 60:
            titles.add(title)
            return title
    raise ValueError(f"The {line.category} line has too few words for another title.")


def _attribute(rng: random.Random, variant: Variant) -> VariantAttribute:
    if not variant.pick:
        return VariantAttribute(variant.name, variant.values)
    picked = sorted(rng.sample(range(len(variant.values)), variant.pick))
    return VariantAttribute(variant.name, tuple(variant.values[index] for index in picked))


def _price(base: Decimal, grid: list[Variant], combination: dict[str, str]) -> Decimal:
    """The base price scaled by each grid value's factor, as a shop would show it (59.90)."""
    amount = base
    for variant in grid:
        if variant.factors:
            amount *= variant.factors[variant.values.index(combination[variant.name])]
    return Decimal(max(1, int(amount))) - Decimal("0.10")


def _stock(rng: random.Random) -> int:
    return 0 if rng.random() < 0.03 else rng.randint(5, 500)


def _shipping(rng: random.Random, line: ProductLine) -> tuple[str, Decimal]:
    """Virtual goods ship free; most parcels go free by express, some by post."""
    if line.shipping == Listing.ShippingMethod.VIRTUAL:
        return line.shipping, Decimal("0")
    if rng.random() < line.post_share:
        return Listing.ShippingMethod.POST, Decimal("8.00")
    return Listing.ShippingMethod.EXPRESS, Decimal(rng.choice(("0", "0", "0", "6.00", "10.00")))


def _origin(shop: Shop) -> str:
    return "".join((shop.province, shop.city, shop.county, shop.village))


# --- Pictures ---------------------------------------------------------------------------------


def _initials(slug: str) -> str:
    return "".join(part[0] for part in slug.split("-")).upper()[:3]


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _picture(
    rng: random.Random, colour: tuple[int, int, int], label: str, side: int = PICTURE_SIDE
) -> bytes:
    """A JPEG placeholder: the category's colour, a few soft shapes and ASCII initials."""
    picture = Image.new("RGB", (side, side), colour)
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(3, 6)):
        x, y = rng.randrange(side), rng.randrange(side)
        radius = rng.randint(side // 10, side // 3)
        shade = tuple(min(255, max(0, channel + rng.randint(-60, 60))) for channel in colour)
        box = (x - radius, y - radius, x + radius, y + radius)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=shade)
        else:
            draw.rectangle(box, fill=shade)
    draw.text(
        (side / 2, side / 2),
        label,
        fill="white",
        font=_font(side // 4),
        anchor="mm",
        stroke_width=side // 100,
        stroke_fill=(40, 40, 40),
    )
    buffer = BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
