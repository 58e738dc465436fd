"""Numbers behind the order and escrow rules; settings override each as ``ESCROW_<NAME>``."""

from datetime import timedelta
from decimal import Decimal
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
    "BUYER_EXTENSION_DAYS": 3,  # once per order
    "SELLER_EXTENSION_DAYS": (3, 5, 7, 10),  # once per order, one of these
    "REFUND_ANSWER_WITHIN": timedelta(days=5),  # seller silent: the refund is agreed
    "RETURN_SHIP_WITHIN": timedelta(days=7),  # buyer silent: the request closes
    "RETURN_CONFIRM_WITHIN": timedelta(days=10),  # seller silent: the money goes back
    "SETTLEMENT_BATCH": 100,  # due rows a settlement worker takes at a time
    "SETTLEMENT_LEASE": timedelta(minutes=2),  # how long a taken row waits for its worker
    "SETTLEMENT_DRAIN_SECONDS": 50,  # one drain task works at most this long, then ends
    "SETTLEMENT_PARALLEL_DRAINS": 2,  # drain tasks each sweep starts (one per worker process)
    "BANK_CHECK_MAX_ATTEMPTS": 3,
    "MIN_PAYOUT": Decimal("1.00"),
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


def auto_confirm_after(shipping_method: str) -> timedelta:
    return escrow_setting("AUTO_CONFIRM_AFTER")[shipping_method]  # type: ignore[no-any-return]
