"""Numbers behind the order and escrow rules; settings override each as ``ESCROW_<NAME>``."""

from datetime import timedelta
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "PAYMENT_TIMEOUT": timedelta(hours=24),
    "SHIP_WITHIN": timedelta(hours=72),
    "AUTO_CONFIRM_AFTER": {
        "express": timedelta(days=10),
        "post": timedelta(days=30),
        "virtual": timedelta(days=3),
    },
    "MAX_UNPAID_ORDERS": 10,
    "MAX_UNPAID_UNITS_PER_SKU": 5,
    "MAX_QUANTITY_PER_LINE": 99,
    "MAX_CART_ITEMS": 100,
    "IDEMPOTENCY_KEY_TTL": timedelta(hours=24),
    "PAYMENT_PROVIDER": "sandbox",
    "WEBHOOK_TOLERANCE": timedelta(minutes=5),
    "SANDBOX_WEBHOOK_SECRET": "sandbox-webhook-secret-change-me",
    "SANDBOX_WEBHOOK_URL": "",  # default: SITE_URL + the webhook path
    "SANDBOX_DELAYED_SECONDS": 10,
}


def escrow_setting(name: str) -> Any:
    return getattr(settings, f"ESCROW_{name}", DEFAULTS[name])
