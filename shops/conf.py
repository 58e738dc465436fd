"""Numbers behind the shop and catalogue rules; settings override each as ``SHOPS_<NAME>``."""

from datetime import timedelta
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "SHOP_NAME_MIN_LENGTH": 2,
    "SHOP_NAME_MAX_LENGTH": 40,
    "LISTING_TITLE_MAX_LENGTH": 60,
    "LISTING_MAX_IMAGES": 10,
    "LISTING_MAX_VARIANT_ATTRIBUTES": 3,
    "LISTING_MAX_VALUES_PER_ATTRIBUTE": 20,
    "LISTING_MAX_SKUS": 100,
    "SKU_MAX_PRICE": "1000000.00",
    "SKU_MAX_STOCK": 1_000_000,
    "IMAGE_MAX_BYTES": 5 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 40_000_000,
    "IMAGE_MIN_SIDE": 100,
    "IMAGE_MAX_SIDE": 1600,
    "THUMBNAIL_SIDE": 400,
    "CSV_MAX_BYTES": 2 * 1024 * 1024,
    "CSV_MAX_ROWS": 5000,
    # Violation points per calendar year (DOMAIN §2): at this many, the shop's listings are
    # hidden from search for SEARCH_PENALTY.
    "SEARCH_PENALTY_POINTS": 12,
    "SEARCH_PENALTY": timedelta(days=7),
}


def shops_setting(name: str) -> Any:
    return getattr(settings, f"SHOPS_{name}", DEFAULTS[name])
