"""Listing pictures keep a fingerprint of what they show (search compares covers by it)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shops", "0004_stock_reserve_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="listingimage",
            name="fingerprint",
            field=models.CharField(blank=True, max_length=16),
        ),
    ]
