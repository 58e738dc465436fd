"""Listing pictures: checked, re-encoded, thumbnailed, at most ten, ordered."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shops.conf import shops_setting
from shops.exceptions import TooManyImages
from shops.models import ListingImage
from shops.services.images import (
    listing_image_add,
    listing_image_delete,
    listing_images_reorder,
)
from tests.factories import make_listing
from tests.images import image_bytes, image_upload, photo_upload

pytestmark = pytest.mark.django_db


def test_an_upload_is_stored_scaled_down_with_a_square_thumbnail() -> None:
    listing = make_listing()

    image = listing_image_add(
        listing=listing, actor=listing.shop.owner, upload=image_upload(size=(3200, 1600))
    )

    assert (image.width, image.height) == (1600, 800)
    with Image.open(image.thumbnail.path) as thumbnail:
        side = shops_setting("THUMBNAIL_SIDE")
        assert thumbnail.size == (side, side)
        assert thumbnail.format == "JPEG"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", "image/png"), "not a picture"),
        (image_upload(size=(50, 50)), "too small"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    upload: SimpleUploadedFile, message: str
) -> None:
    listing = make_listing()

    with pytest.raises(ValidationError) as error:
        listing_image_add(listing=listing, actor=listing.shop.owner, upload=upload)

    assert message in error.value.messages[0]
    assert not ListingImage.objects.exists()


def test_an_oversized_upload_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHOPS_IMAGE_MAX_BYTES = 1000
    listing = make_listing()
    upload = SimpleUploadedFile("big.jpg", image_bytes(size=(800, 800), fmt="BMP"), "image/jpeg")

    with pytest.raises(ValidationError) as error:
        listing_image_add(listing=listing, actor=listing.shop.owner, upload=upload)

    assert "the limit is" in error.value.messages[0]


def test_at_most_ten_pictures(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHOPS_LISTING_MAX_IMAGES = 2
    listing = make_listing()
    for _ in range(2):
        listing_image_add(listing=listing, actor=listing.shop.owner, upload=image_upload())

    with pytest.raises(TooManyImages):
        listing_image_add(listing=listing, actor=listing.shop.owner, upload=image_upload())
    assert listing.images.count() == 2


def test_reordering_makes_another_picture_the_cover_and_delete_closes_the_gap() -> None:
    listing = make_listing()
    first, second, third = (
        listing_image_add(listing=listing, actor=listing.shop.owner, upload=image_upload())
        for _ in range(3)
    )

    listing_images_reorder(
        listing=listing, actor=listing.shop.owner, image_ids=[third.pk, first.pk, second.pk]
    )
    listing_image_delete(image=first, actor=listing.shop.owner)

    assert list(listing.images.values_list("pk", "position")) == [(third.pk, 0), (second.pk, 1)]


def test_reordering_must_name_every_picture_once() -> None:
    listing = make_listing()
    image = listing_image_add(listing=listing, actor=listing.shop.owner, upload=image_upload())

    with pytest.raises(ValidationError):
        listing_images_reorder(
            listing=listing, actor=listing.shop.owner, image_ids=[image.pk, image.pk]
        )


@pytest.mark.parametrize(
    ("again", "same"),
    [
        ({"size": (1200, 900), "fmt": "JPEG"}, True),  # the same photo, re-encoded and larger
        ({"color": "navy"}, True),  # the same shot of the item in another colour
        ({"composition": 2}, False),  # another photo
    ],
)
def test_a_pictures_fingerprint_tells_whether_it_shows_the_same(
    again: dict[str, object], same: bool
) -> None:
    listing = make_listing()
    owner = listing.shop.owner
    first = listing_image_add(listing=listing, actor=owner, upload=photo_upload(1))
    kwargs: dict[str, object] = {"composition": 1, **again}
    composition = kwargs.pop("composition")
    second = listing_image_add(
        listing=listing,
        actor=owner,
        upload=photo_upload(composition, **kwargs),  # type: ignore[arg-type]
    )

    assert len(first.fingerprint) == 16
    assert (first.fingerprint == second.fingerprint) is same
