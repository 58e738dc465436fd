"""A listing's cover picture is part of its search document (near-duplicates need alike
covers): adding, deleting or reordering pictures, or a new fingerprint, marks the listing dirty,
like the triggers of migration 0002 (and with their function for rows that name a listing)."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER search_image_added_or_deleted AFTER INSERT OR DELETE ON shops_listingimage
FOR EACH ROW EXECUTE FUNCTION search_mark_sku_listing();

CREATE TRIGGER search_image_changed AFTER UPDATE ON shops_listingimage FOR EACH ROW
WHEN (
    OLD.position IS DISTINCT FROM NEW.position
    OR OLD.fingerprint IS DISTINCT FROM NEW.fingerprint
    OR OLD.listing_id IS DISTINCT FROM NEW.listing_id
) EXECUTE FUNCTION search_mark_sku_listing();
"""

REVERSE = """
DROP TRIGGER search_image_changed ON shops_listingimage;
DROP TRIGGER search_image_added_or_deleted ON shops_listingimage;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_document_cover_fingerprint"),
        ("shops", "0006_listing_image_fingerprints_backfill"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
