"""Order indexes for the hottest paths: the buyer's and the shop's single-column indexes go (the
(buyer, status) and (shop, status, created_at) indexes lead with them, and every index costs each
checkout an insert), and the unpaid orders' payment deadline is indexed only where it matters,
like the shipped orders' confirm deadline (an index led by status alone tempted the planner into
scanning every unpaid order to count one buyer's)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("escrow", "0005_backfill_order_deadlines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="order",
            name="escrow_orde_status_b44a4b_idx",
        ),
        migrations.AlterField(
            model_name="order",
            name="buyer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="shop",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="shops.shop",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                condition=models.Q(("status", "awaiting_payment")),
                fields=["payment_deadline"],
                name="escrow_order_payment_due",
            ),
        ),
    ]
