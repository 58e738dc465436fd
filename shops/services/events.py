"""The audit trail: every change to a shop or listing writes one ``ShopEvent``."""

from typing import Any

from marketplace.accounts.models import User
from shops.models import Listing, Shop, ShopEvent


def shop_event_record(
    *, shop: Shop, type: str, actor: User | None, listing: Listing | None = None, **data: Any
) -> ShopEvent:
    return ShopEvent.objects.create(shop=shop, listing=listing, type=type, actor=actor, data=data)
