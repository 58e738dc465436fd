"""Triggers that mark search documents dirty in the same transaction as the change.

Raw SQL because every write path must be caught (services, admin, bulk updates, the nightly
credit rebuild's set-based SQL) without the catalogue, escrow or ratings importing ``search``.
Each trigger only inserts an id into ``search_dirtylisting`` / ``search_dirtyshop``; the drain
task does the work. ``WHEN`` clauses keep hot updates that do not change a document (a stock
decrement that leaves the listing in stock) free of any extra write.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION search_mark_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_dirtylisting (listing_id, marked_at)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, now())
    ON CONFLICT (listing_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION search_mark_sku_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_dirtylisting (listing_id, marked_at)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.listing_id ELSE NEW.listing_id END, now())
    ON CONFLICT (listing_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION search_mark_shop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_dirtyshop (shop_id, marked_at) VALUES (NEW.id, now())
    ON CONFLICT (shop_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION search_mark_credit_shop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_dirtyshop (shop_id, marked_at) VALUES (NEW.shop_id, now())
    ON CONFLICT (shop_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION search_mark_category_listings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_dirtylisting (listing_id, marked_at)
    SELECT listing.id, now()
    FROM shops_listing listing JOIN shops_category category ON category.id = listing.category_id
    WHERE category.path LIKE NEW.path || '%'
    ON CONFLICT (listing_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER search_listing_added_or_deleted AFTER INSERT OR DELETE ON shops_listing
FOR EACH ROW EXECUTE FUNCTION search_mark_listing();

CREATE TRIGGER search_listing_changed AFTER UPDATE ON shops_listing FOR EACH ROW
WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.title IS DISTINCT FROM NEW.title
    OR OLD.description IS DISTINCT FROM NEW.description
    OR OLD.category_id IS DISTINCT FROM NEW.category_id
    OR OLD.price_min IS DISTINCT FROM NEW.price_min
    OR OLD.price_max IS DISTINCT FROM NEW.price_max
    OR OLD.shipping_method IS DISTINCT FROM NEW.shipping_method
    OR OLD.variant_attributes IS DISTINCT FROM NEW.variant_attributes
    OR OLD.published_at IS DISTINCT FROM NEW.published_at
    OR (OLD.total_stock = 0) IS DISTINCT FROM (NEW.total_stock = 0)
) EXECUTE FUNCTION search_mark_listing();

CREATE TRIGGER search_sku_added_or_deleted AFTER INSERT OR DELETE ON shops_sku
FOR EACH ROW EXECUTE FUNCTION search_mark_sku_listing();

CREATE TRIGGER search_sku_changed AFTER UPDATE ON shops_sku FOR EACH ROW
WHEN (
    OLD.attributes IS DISTINCT FROM NEW.attributes
    OR OLD.is_active IS DISTINCT FROM NEW.is_active
    OR OLD.price IS DISTINCT FROM NEW.price
) EXECUTE FUNCTION search_mark_sku_listing();

CREATE TRIGGER search_shop_changed AFTER UPDATE ON shops_shop FOR EACH ROW
WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.province IS DISTINCT FROM NEW.province
    OR OLD.city IS DISTINCT FROM NEW.city
    OR OLD.credit_score IS DISTINCT FROM NEW.credit_score
    OR OLD.credit_level IS DISTINCT FROM NEW.credit_level
    OR OLD.good_rate IS DISTINCT FROM NEW.good_rate
    OR OLD.violation_points IS DISTINCT FROM NEW.violation_points
    OR OLD.search_hidden_until IS DISTINCT FROM NEW.search_hidden_until
) EXECUTE FUNCTION search_mark_shop();

CREATE TRIGGER search_seller_dsr_added AFTER INSERT ON ratings_sellercredit
FOR EACH ROW EXECUTE FUNCTION search_mark_credit_shop();

CREATE TRIGGER search_seller_dsr_changed AFTER UPDATE ON ratings_sellercredit FOR EACH ROW
WHEN (
    OLD.dsr_count IS DISTINCT FROM NEW.dsr_count
    OR OLD.dsr_described_sum IS DISTINCT FROM NEW.dsr_described_sum
    OR OLD.dsr_attitude_sum IS DISTINCT FROM NEW.dsr_attitude_sum
    OR OLD.dsr_shipping_sum IS DISTINCT FROM NEW.dsr_shipping_sum
) EXECUTE FUNCTION search_mark_credit_shop();

CREATE TRIGGER search_category_renamed AFTER UPDATE ON shops_category FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION search_mark_category_listings();
"""

BACKWARD = """
DROP TRIGGER search_category_renamed ON shops_category;
DROP TRIGGER search_seller_dsr_changed ON ratings_sellercredit;
DROP TRIGGER search_seller_dsr_added ON ratings_sellercredit;
DROP TRIGGER search_shop_changed ON shops_shop;
DROP TRIGGER search_sku_changed ON shops_sku;
DROP TRIGGER search_sku_added_or_deleted ON shops_sku;
DROP TRIGGER search_listing_changed ON shops_listing;
DROP TRIGGER search_listing_added_or_deleted ON shops_listing;
DROP FUNCTION search_mark_category_listings();
DROP FUNCTION search_mark_credit_shop();
DROP FUNCTION search_mark_shop();
DROP FUNCTION search_mark_sku_listing();
DROP FUNCTION search_mark_listing();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_documents"),
        ("shops", "0003_shop_violations"),
        ("ratings", "0001_ratings_and_credit"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
