"""Search documents keep their cover picture's fingerprint: near-duplicates need alike covers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_quality_tiers"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="cover_fingerprint",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
