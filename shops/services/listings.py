"""Listings, their variant grid and SKUs, and the listing state machine.

Lock order, shared with every app that touches stock: listing, then SKU (then order, then ledger).
"""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.exceptions import InvalidTransition
from marketplace.money import to_money
from shops.conf import shops_setting
from shops.exceptions import ListingNotEditable, ShopNotActive
from shops.models import (
    LISTING_TRANSITIONS,
    SKU,
    Category,
    Listing,
    ProhibitedTerm,
    Shop,
)
from shops.services.events import shop_event_record


@dataclass(frozen=True)
class VariantAttribute:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class SkuInput:
    attributes: dict[str, str]
    price: Decimal | None
    stock: int | None


@dataclass(frozen=True)
class ListingInput:
    title: str
    category: Category | None
    shipping_method: str
    shipping_fee: Decimal | None = Decimal("0")
    description: str = ""
    variant_attributes: list[VariantAttribute] = field(default_factory=list)
    skus: list[SkuInput] = field(default_factory=list)


def listing_qs_select_for_update() -> QuerySet[Listing]:
    return Listing.objects.order_by("pk").select_for_update(of=("self",)).select_related("shop")


def sku_qs_select_for_update() -> QuerySet[SKU]:
    return SKU.objects.order_by("pk").select_for_update(of=("self",))


def sku_label(attributes: dict[str, str]) -> str:
    return " / ".join(f"{name}: {value}" for name, value in attributes.items()) or "default"


def variant_combinations(attributes: list[VariantAttribute]) -> list[dict[str, str]]:
    """Every combination of the attribute values, in grid order (first attribute slowest)."""
    if not attributes:
        return [{}]
    names = [attribute.name for attribute in attributes]
    return [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(attribute.values for attribute in attributes))
    ]


def parse_variant_attributes(text: str) -> list[VariantAttribute]:
    """``颜色: 红, 蓝`` lines (either colon, commas or 、 between values) into attributes."""
    attributes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, values = line.replace("：", ":").partition(":")
        split = values.replace("，", ",").replace("、", ",").split(",")
        attributes.append(
            VariantAttribute(name.strip(), tuple(value.strip() for value in split if value.strip()))
        )
    return attributes


def _key(attributes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(attributes.items()))


def _validate_attributes(attributes: list[VariantAttribute]) -> list[str]:
    errors = []
    max_attributes = shops_setting("LISTING_MAX_VARIANT_ATTRIBUTES")
    max_values = shops_setting("LISTING_MAX_VALUES_PER_ATTRIBUTE")
    if len(attributes) > max_attributes:
        errors.append(f"A listing has at most {max_attributes} variant attributes.")
    names = [attribute.name for attribute in attributes]
    if len(set(names)) != len(names):
        errors.append("Each variant attribute needs its own name.")
    for attribute in attributes:
        if not attribute.name or len(attribute.name) > 20:
            errors.append("A variant attribute needs a name of up to 20 characters.")
        if not attribute.values:
            errors.append(f"“{attribute.name}” needs at least one value.")
        if len(set(attribute.values)) != len(attribute.values):
            errors.append(f"“{attribute.name}” lists a value twice.")
        if len(attribute.values) > max_values:
            errors.append(f"“{attribute.name}” has more than {max_values} values.")
        if any(len(value) > 30 for value in attribute.values):
            errors.append(f"A value of “{attribute.name}” is longer than 30 characters.")
    if not errors and len(variant_combinations(attributes)) > shops_setting("LISTING_MAX_SKUS"):
        errors.append(f"The grid has more than {shops_setting('LISTING_MAX_SKUS')} combinations.")
    return errors


def _validate_sku(sku: SkuInput, prefix: str, errors: dict[str, list[str]]) -> None:
    max_price = Decimal(shops_setting("SKU_MAX_PRICE"))
    label = sku_label(sku.attributes)
    if sku.price is None:
        errors[f"{prefix}.price"] = [f"{label} — enter a price."]
    elif sku.price <= 0:
        errors[f"{prefix}.price"] = [f"{label} — the price must be more than 0."]
    elif sku.price > max_price or to_money(sku.price) != sku.price:
        errors[f"{prefix}.price"] = [
            f"{label} — the price is at most {max_price}, with at most two decimals."
        ]
    if sku.stock is None:
        errors[f"{prefix}.stock"] = [f"{label} — enter the stock."]
    elif sku.stock < 0:
        errors[f"{prefix}.stock"] = [f"{label} — stock cannot be negative."]
    elif sku.stock > shops_setting("SKU_MAX_STOCK"):
        errors[f"{prefix}.stock"] = [
            f"{label} — stock is at most {shops_setting('SKU_MAX_STOCK')}."
        ]


def listing_validate(data: ListingInput) -> dict[str, list[str]]:
    """Every reason the listing cannot be saved, keyed by field (``skus.<i>.price`` for a row)."""
    errors: dict[str, list[str]] = {}
    title_max = shops_setting("LISTING_TITLE_MAX_LENGTH")
    title = data.title.strip()
    if not title:
        errors["title"] = ["Give the listing a title."]
    elif len(title) > title_max:
        errors["title"] = [
            f"A title has at most {title_max} characters (this one has {len(title)})."
        ]
    if data.category is None:
        errors["category"] = ["Choose a category."]
    if data.shipping_method not in Listing.ShippingMethod.values:
        errors["shipping_method"] = ["Choose express, post or virtual."]
    if data.shipping_fee is None or data.shipping_fee < 0:
        errors["shipping_fee"] = ["The shipping fee cannot be negative."]
    elif to_money(data.shipping_fee) != data.shipping_fee:
        errors["shipping_fee"] = ["The shipping fee is in whole fen (two decimals)."]
    if attribute_errors := _validate_attributes(data.variant_attributes):
        errors["variant_attributes"] = attribute_errors
        return errors
    expected = {
        _key(combination): combination
        for combination in variant_combinations(data.variant_attributes)
    }
    seen: set[tuple[tuple[str, str], ...]] = set()
    for index, sku in enumerate(data.skus):
        key = _key(sku.attributes)
        if key not in expected:
            errors.setdefault("skus", []).append(
                f"“{sku_label(sku.attributes)}” is not a combination of the variant attributes."
            )
        elif key in seen:
            errors.setdefault("skus", []).append(f"“{sku_label(sku.attributes)}” appears twice.")
        seen.add(key)
        _validate_sku(sku, f"skus.{index}", errors)
    for key, combination in expected.items():
        if key not in seen:
            errors.setdefault("skus", []).append(
                f"Missing price and stock for “{sku_label(combination)}”."
            )
    return errors


def prohibited_terms_matching(*texts: str) -> list[ProhibitedTerm]:
    haystack = "\n".join(texts).casefold()
    return [term for term in ProhibitedTerm.objects.all() if term.term.casefold() in haystack]


def _prohibited_reason(listing: Listing) -> str:
    terms = prohibited_terms_matching(listing.title, listing.description)
    return "; ".join(f"Contains “{term.term}”: {term.reason}" for term in terms)


def _check_shop_can_edit(shop: Shop) -> None:
    if shop.status == Shop.Status.CLOSED:
        raise ShopNotActive("The shop is closed.")


def _apply_fields(listing: Listing, data: ListingInput) -> None:
    listing.title = data.title.strip()
    listing.description = data.description.strip()
    assert data.category is not None and data.shipping_fee is not None
    listing.category = data.category
    listing.shipping_method = data.shipping_method
    listing.shipping_fee = to_money(data.shipping_fee)
    listing.variant_attributes = [
        {"name": attribute.name, "values": list(attribute.values)}
        for attribute in data.variant_attributes
    ]


def _sync_skus(listing: Listing, skus: list[SkuInput]) -> None:
    """Make the listing's active SKUs exactly ``skus``; SKUs left out are deactivated."""
    existing = {
        _key(sku.attributes): sku for sku in sku_qs_select_for_update().filter(listing=listing)
    }
    wanted = set()
    for position, sku_input in enumerate(skus):
        key = _key(sku_input.attributes)
        wanted.add(key)
        sku = existing.get(key) or SKU(listing=listing, attributes=dict(sku_input.attributes))
        sku.price = to_money(sku_input.price)  # type: ignore[arg-type]
        sku.stock = sku_input.stock  # type: ignore[assignment]
        sku.position = position
        sku.is_active = True
        sku.save()
    for key, sku in existing.items():
        if key not in wanted and sku.is_active:
            sku.is_active = False
            sku.stock = 0
            sku.save(update_fields=["is_active", "stock"])


def listing_refresh_summary(*, listing: Listing) -> None:
    """Copy the active SKUs' price range and total stock onto the (locked) listing."""
    summary = listing.skus.filter(is_active=True).aggregate(
        price_min=Min("price"), price_max=Max("price"), total_stock=Sum("stock")
    )
    listing.price_min = summary["price_min"] or Decimal("0")
    listing.price_max = summary["price_max"] or Decimal("0")
    listing.total_stock = summary["total_stock"] or 0
    listing.save(update_fields=["price_min", "price_max", "total_stock", "updated_at"])


@transaction.atomic
def listing_create(*, shop: Shop, actor: User, data: ListingInput) -> Listing:
    """Save a new listing as a draft with its SKUs; publishing is a separate step."""
    _check_shop_can_edit(shop)
    if errors := listing_validate(data):
        raise ValidationError(errors)
    listing = Listing(shop=shop)
    _apply_fields(listing, data)
    listing.save()
    _sync_skus(listing, data.skus)
    listing_refresh_summary(listing=listing)
    shop_event_record(shop=shop, listing=listing, type="listing_created", actor=actor)
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, actor: User, data: ListingInput) -> Listing:
    """Change a listing and its grid. An active listing that now contains a prohibited term goes
    back to draft with the reason."""
    listing = listing_qs_select_for_update().get(pk=listing.pk)
    _check_shop_can_edit(listing.shop)
    if listing.status == Listing.Status.TAKEN_DOWN:
        raise ListingNotEditable("Staff took this listing down; it cannot be changed.")
    if errors := listing_validate(data):
        raise ValidationError(errors)
    _apply_fields(listing, data)
    held = ""
    if listing.status == Listing.Status.ACTIVE and (held := _prohibited_reason(listing)):
        listing.status = Listing.Status.DRAFT
        listing.status_reason = held
    listing.save()
    _sync_skus(listing, data.skus)
    listing_refresh_summary(listing=listing)
    shop_event_record(shop=listing.shop, listing=listing, type="listing_updated", actor=actor)
    if held:
        shop_event_record(
            shop=listing.shop, listing=listing, type="listing_held", actor=actor, reason=held
        )
    return listing


def _transition(listing: Listing, action: str) -> str | None:
    """The target state, or None when the listing is already there."""
    sources, target = LISTING_TRANSITIONS[action]
    if listing.status == target:
        return None
    if listing.status not in sources:
        raise InvalidTransition(
            f"A {listing.status} listing cannot be {action.replace('_', ' ')}ed.",
            extra={"status": listing.status, "action": action},
        )
    return target


@transaction.atomic
def listing_publish(*, listing: Listing, actor: User) -> Listing:
    """Put a draft or delisted listing on sale. One that contains a prohibited term stays a
    draft, with the reason on ``status_reason``."""
    listing = listing_qs_select_for_update().get(pk=listing.pk)
    if (target := _transition(listing, "publish")) is None:
        return listing
    if not listing.shop.is_open:
        raise ShopNotActive(f"The shop is {listing.shop.status}; its listings cannot go on sale.")
    if not listing.skus.filter(is_active=True).exists():
        raise ValidationError({"skus": ["Add at least one SKU with a price before publishing."]})
    if reason := _prohibited_reason(listing):
        listing.status, listing.status_reason = Listing.Status.DRAFT, reason
        listing.save(update_fields=["status", "status_reason", "updated_at"])
        shop_event_record(
            shop=listing.shop, listing=listing, type="listing_held", actor=actor, reason=reason
        )
        return listing
    listing.status, listing.status_reason = target, ""
    listing.published_at = listing.published_at or timezone.now()
    listing.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
    shop_event_record(shop=listing.shop, listing=listing, type="listing_published", actor=actor)
    return listing


@transaction.atomic
def listing_delist(*, listing: Listing, actor: User) -> Listing:
    listing = listing_qs_select_for_update().get(pk=listing.pk)
    if (target := _transition(listing, "delist")) is None:
        return listing
    listing.status = target
    listing.save(update_fields=["status", "updated_at"])
    shop_event_record(shop=listing.shop, listing=listing, type="listing_delisted", actor=actor)
    return listing


@transaction.atomic
def listing_take_down(*, listing: Listing, actor: User, reason: str) -> Listing:
    """Staff take a listing down for breaking a rule; the seller sees the reason."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say which rule the listing breaks."]})
    listing = listing_qs_select_for_update().get(pk=listing.pk)
    if (target := _transition(listing, "take_down")) is None:
        return listing
    listing.status, listing.status_reason = target, reason.strip()
    listing.save(update_fields=["status", "status_reason", "updated_at"])
    shop_event_record(
        shop=listing.shop,
        listing=listing,
        type="listing_taken_down",
        actor=actor,
        reason=reason.strip(),
    )
    return listing


@transaction.atomic
def sku_set_stock(*, sku: SKU, actor: User, stock: Any) -> SKU:
    """The seller counts their stock again and sets it."""
    try:
        stock = int(stock)
    except (TypeError, ValueError, InvalidOperation) as error:
        raise ValidationError({"stock": ["Stock is a whole number."]}) from error
    if stock < 0:
        raise ValidationError({"stock": ["Stock cannot be negative."]})
    if stock > shops_setting("SKU_MAX_STOCK"):
        raise ValidationError({"stock": [f"Stock is at most {shops_setting('SKU_MAX_STOCK')}."]})
    listing = listing_qs_select_for_update().get(pk=sku.listing_id)
    _check_shop_can_edit(listing.shop)
    sku = sku_qs_select_for_update().get(pk=sku.pk)
    if not sku.is_active:
        raise ListingNotEditable("This SKU is no longer part of the listing.")
    previous, sku.stock = sku.stock, stock
    sku.save(update_fields=["stock"])
    listing_refresh_summary(listing=listing)
    shop_event_record(
        shop=listing.shop,
        listing=listing,
        type="sku_stock_set",
        actor=actor,
        sku=str(sku.public_id),
        previous=previous,
        stock=stock,
    )
    return sku
