"""Pictures made with Pillow for upload tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(
    size: tuple[int, int] = (640, 480), color: str = "orange", fmt: str = "PNG"
) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name: str = "photo.png", **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/png")  # type: ignore[arg-type]


def photo_bytes(
    composition: int, size: tuple[int, int] = (640, 480), color: str = "red", fmt: str = "PNG"
) -> bytes:
    """A picture of a few shapes in ``color`` on white, placed by ``composition``: the same
    composition is the same photo, whatever its colour, size or format."""
    import random

    from PIL import ImageDraw

    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    place = random.Random(composition)
    width, height = size
    for _ in range(4):
        left, top = place.uniform(0, 0.7) * width, place.uniform(0, 0.7) * height
        draw.rectangle(
            (
                left,
                top,
                left + place.uniform(0.1, 0.3) * width,
                top + place.uniform(0.1, 0.3) * height,
            ),
            fill=color,
        )
    buffer = BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


def photo_upload(composition: int, **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "photo.png",
        photo_bytes(composition, **kwargs),  # type: ignore[arg-type]
        content_type="image/png",
    )
