"""Uploaded pictures: checked with Pillow, re-encoded (which drops EXIF data such as GPS position),
scaled down and given a square-ish thumbnail. Files go through Django's storage API, so S3-style
storage is a settings change."""

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.accounts.models import User
from shops.conf import shops_setting
from shops.exceptions import TooManyImages
from shops.models import Listing, ListingImage
from shops.services.events import shop_event_record

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class PreparedImage:
    image: "ContentFile[bytes]"
    thumbnail: "ContentFile[bytes]"
    width: int
    height: int
    fingerprint: str


def image_fingerprint(picture: Image.Image) -> str:
    """A 64-bit difference hash of the picture, in hex: shrunk to 9 × 8 grey pixels, one bit
    per neighbouring pair, set where the left one is brighter. Re-encoding, scaling and small
    edits keep it; so does a change of colour alone (the red and the blue version of one item,
    photographed alike), but another composition does not."""
    grey = picture.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()  # one byte a pixel, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = bits << 1 | (left > right)
    return f"{bits:016x}"


def _jpeg(picture: Image.Image) -> "ContentFile[bytes]":
    buffer = BytesIO()
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


def image_prepare(*, upload: UploadedFile, max_side: int | None = None) -> PreparedImage:
    """Validate an upload and return the stored image and its thumbnail as JPEG."""
    max_bytes = shops_setting("IMAGE_MAX_BYTES")
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"The picture is {upload.size / 1048576:.1f} MB; the limit is "
            f"{max_bytes / 1048576:.0f} MB."
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
        upload.seek(0)
        Image.MAX_IMAGE_PIXELS = shops_setting("IMAGE_MAX_PIXELS")
        with Image.open(upload) as opened:
            opened.load()
            picture = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This file is not a picture we can read (use JPEG or PNG)."
        ) from error
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError("Use a JPEG, PNG, WebP or GIF picture.")
    min_side = shops_setting("IMAGE_MIN_SIDE")
    if min(picture.size) < min_side:
        raise ValidationError(f"The picture is too small; each side needs {min_side} pixels.")
    side = max_side or shops_setting("IMAGE_MAX_SIDE")
    picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    thumb_side = shops_setting("THUMBNAIL_SIDE")
    thumbnail = ImageOps.fit(picture, (thumb_side, thumb_side), Image.Resampling.LANCZOS)
    return PreparedImage(
        _jpeg(picture),
        _jpeg(thumbnail),
        picture.width,
        picture.height,
        image_fingerprint(picture),
    )


def _listing_for_update(listing: Listing) -> Listing:
    return Listing.objects.select_for_update(of=("self",)).select_related("shop").get(pk=listing.pk)


@transaction.atomic
def listing_image_add(*, listing: Listing, actor: User, upload: UploadedFile) -> ListingImage:
    listing = _listing_for_update(listing)
    limit = shops_setting("LISTING_MAX_IMAGES")
    count = listing.images.count()
    if count >= limit:
        raise TooManyImages(f"A listing has at most {limit} pictures.", extra={"limit": limit})
    prepared = image_prepare(upload=upload)
    image = ListingImage(
        listing=listing,
        width=prepared.width,
        height=prepared.height,
        position=count,
        fingerprint=prepared.fingerprint,
    )
    image.image.save("image.jpg", prepared.image, save=False)
    image.thumbnail.save("thumb.jpg", prepared.thumbnail, save=False)
    image.save()
    shop_event_record(shop=listing.shop, listing=listing, type="listing_image_added", actor=actor)
    return image


@transaction.atomic
def listing_image_delete(*, image: ListingImage, actor: User) -> None:
    listing = _listing_for_update(image.listing)
    image.image.delete(save=False)
    image.thumbnail.delete(save=False)
    image.delete()
    _renumber(listing, list(listing.images.values_list("pk", flat=True)))
    shop_event_record(shop=listing.shop, listing=listing, type="listing_image_deleted", actor=actor)


@transaction.atomic
def listing_images_reorder(*, listing: Listing, actor: User, image_ids: list[int]) -> None:
    """Put the listing's pictures in the given order; the first becomes the cover."""
    listing = _listing_for_update(listing)
    current = set(listing.images.values_list("pk", flat=True))
    if set(image_ids) != current or len(image_ids) != len(current):
        raise ValidationError({"images": ["Name each picture of the listing exactly once."]})
    _renumber(listing, image_ids)
    shop_event_record(
        shop=listing.shop, listing=listing, type="listing_images_reordered", actor=actor
    )


def _renumber(listing: Listing, image_ids: list[int]) -> None:
    images = {image.pk: image for image in listing.images.all()}
    for position, pk in enumerate(image_ids):
        images[pk].position = position
    ListingImage.objects.bulk_update(images.values(), ["position"])
