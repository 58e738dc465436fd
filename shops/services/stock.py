"""Stock reservation for orders, safe under any concurrency.

Reserving is the database function ``shops_stock_reserve`` (migration 0004), which checkout's
single statement calls: one conditional ``UPDATE`` per row (``stock >= n``), so stock is never
negative and never oversold, and no row is read and written back. Lock order as everywhere: the
listing row, then the SKU row. A failed reservation aborts the caller's transaction, which rolls
back everything it reserved before.
"""

from django.db.models import Exists, F

from shops.exceptions import OutOfStock
from shops.models import SKU, Listing


def out_of_stock(sku: SKU) -> OutOfStock:
    """The refusal of a reservation that found too little stock, with what is left now."""
    left = SKU.objects.filter(pk=sku.pk).values_list("stock", flat=True).first() or 0
    return OutOfStock(
        f"Only {left} left of “{sku.listing.title}”.", extra={"sku": str(sku.public_id)}
    )


def stock_release(*, sku: SKU, quantity: int) -> None:
    """Give back units reserved by an order that closed unpaid. A SKU the seller has removed
    from the grid since stays at 0."""
    still_sold = Exists(SKU.objects.filter(pk=sku.pk, is_active=True))
    if Listing.objects.filter(still_sold, pk=sku.listing_id).update(
        total_stock=F("total_stock") + quantity
    ):
        SKU.objects.filter(pk=sku.pk).update(stock=F("stock") + quantity)
