"""Stock reservation for orders, safe under any concurrency.

Each call is one conditional ``UPDATE`` per row (``stock >= n``), so stock is never negative and
never oversold, and no row is read and written back. Lock order as everywhere: the listing row,
then the SKU row. Callers run inside their own transaction; a failed reservation raises, so the
caller's transaction rolls back everything it reserved before.
"""

from django.db import connection
from django.db.models import Exists, F

from shops.exceptions import OutOfStock
from shops.models import SKU, Listing

# Plain SQL: these two statements run for every unit sold, and the conditions must stay on the
# updated row itself, where PostgreSQL re-checks them on the newest row version after waiting for
# a concurrent buyer's lock (a join would become a subquery it does not re-check).
TAKE_FROM_LISTING_SQL = """
    UPDATE shops_listing SET total_stock = total_stock - %(quantity)s
     WHERE id = %(listing)s AND status = 'active' AND total_stock >= %(quantity)s
"""
TAKE_FROM_SKU_SQL = """
    UPDATE shops_sku SET stock = stock - %(quantity)s
     WHERE id = %(sku)s AND is_active AND stock >= %(quantity)s
"""


def stock_reserve(*, sku: SKU, quantity: int) -> None:
    """Take ``quantity`` units of an active SKU of an active listing, or raise ``OutOfStock``."""
    params = {"quantity": quantity, "listing": sku.listing_id, "sku": sku.pk}
    with connection.cursor() as cursor:
        cursor.execute(TAKE_FROM_LISTING_SQL, params)
        taken = cursor.rowcount == 1
        if taken:
            cursor.execute(TAKE_FROM_SKU_SQL, params)
            taken = cursor.rowcount == 1
    if not taken:
        left = SKU.objects.filter(pk=sku.pk).values_list("stock", flat=True).first() or 0
        raise OutOfStock(
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
