"""Stock reservation for orders, safe under any concurrency.

Each call is one conditional ``UPDATE`` per row (``stock >= n``), so stock is never negative and
never oversold, and no row is read and written back. Lock order as everywhere: the listing row,
then the SKU row. Callers run inside their own transaction; a failed reservation raises, so the
caller's transaction rolls back everything it reserved before.
"""

from django.db.models import Exists, F

from shops.exceptions import OutOfStock
from shops.models import SKU, Listing


def stock_reserve(*, sku: SKU, quantity: int) -> None:
    """Take ``quantity`` units of an active SKU of an active listing, or raise ``OutOfStock``."""
    # Conditions on this row only: PostgreSQL re-checks them on the newest row version after
    # waiting for a concurrent buyer's lock (a join would turn them into a subquery it does not).
    listing_taken = Listing.objects.filter(
        pk=sku.listing_id, status=Listing.Status.ACTIVE, total_stock__gte=quantity
    ).update(total_stock=F("total_stock") - quantity)
    sku_taken = listing_taken and SKU.objects.filter(
        pk=sku.pk, is_active=True, stock__gte=quantity
    ).update(stock=F("stock") - quantity)
    if not sku_taken:
        raise OutOfStock(
            f"Only {SKU.objects.filter(pk=sku.pk).values_list('stock', flat=True).first() or 0}"
            f" left of “{sku.listing.title}”.",
            extra={"sku": str(sku.public_id)},
        )


def stock_release(*, sku: SKU, quantity: int) -> None:
    """Give back units reserved by an order that closed unpaid. A SKU the seller has removed
    from the grid since stays at 0."""
    still_sold = Exists(SKU.objects.filter(pk=sku.pk, is_active=True))
    if Listing.objects.filter(still_sold, pk=sku.listing_id).update(
        total_stock=F("total_stock") + quantity
    ):
        SKU.objects.filter(pk=sku.pk).update(stock=F("stock") + quantity)
