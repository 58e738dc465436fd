"""Fingerprints of the pictures uploaded before they were taken, read from the stored files (a
file that cannot be read keeps an empty fingerprint, which matches no other picture). The hash is
written out here as ``shops.services.images.image_fingerprint`` computes it."""

from typing import Any

from django.db import migrations
from PIL import Image


def fingerprint(picture: Image.Image) -> str:
    grey = picture.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()  # one byte a pixel, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            bits = bits << 1 | (pixels[row * 9 + column] > pixels[row * 9 + column + 1])
    return f"{bits:016x}"


def backfill(apps: Any, schema_editor: Any) -> None:
    ListingImage = apps.get_model("shops", "ListingImage")
    for image in ListingImage.objects.filter(fingerprint="").iterator():
        try:
            with image.image.open("rb") as stored, Image.open(stored) as picture:
                image.fingerprint = fingerprint(picture)
        except (OSError, ValueError):
            continue
        image.save(update_fields=["fingerprint"])


class Migration(migrations.Migration):
    dependencies = [("shops", "0005_listing_image_fingerprint")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
