"""Stock reservation as a database function, so that checkout's single statement can call it.

The rule is the one ``shops.services.stock`` describes: a conditional decrement of the listing's
total, then of the SKU's stock, each re-checked by PostgreSQL on the newest row version after a
concurrent buyer's lock. ``false`` means too little stock (or the listing or SKU is no longer on
sale); the caller must then abort its transaction, as the listing may already have been
decremented.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION shops_stock_reserve(p_listing bigint, p_sku bigint, p_quantity integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_listing SET total_stock = total_stock - p_quantity
     WHERE id = p_listing AND status = 'active' AND total_stock >= p_quantity;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    UPDATE shops_sku SET stock = stock - p_quantity
     WHERE id = p_sku AND is_active AND stock >= p_quantity;
    RETURN FOUND;
END;
$$;
"""

REVERSE = "DROP FUNCTION shops_stock_reserve(bigint, bigint, integer);"


class Migration(migrations.Migration):
    dependencies = [("shops", "0003_shop_violations")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
