"""Give orders paid or shipped before deadlines were stored the deadlines they would have had,
so settlement finds them (DOMAIN §4: ship within 72 hours; auto-confirm 10/30/3 days)."""

from datetime import timedelta

from django.db import migrations
from django.db.models import F

AUTO_CONFIRM_DAYS = {"express": 10, "post": 30, "virtual": 3}


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Order = apps.get_model("escrow", "Order")
    Order.objects.filter(paid_at__isnull=False, ship_deadline__isnull=True).update(
        ship_deadline=F("paid_at") + timedelta(hours=72)
    )
    for method, days in AUTO_CONFIRM_DAYS.items():
        Order.objects.filter(
            status="shipped", shipping_method=method, confirm_deadline__isnull=True
        ).update(confirm_deadline=F("shipped_at") + timedelta(days=days))


class Migration(migrations.Migration):
    dependencies = [("escrow", "0004_after_sale_and_payouts")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
