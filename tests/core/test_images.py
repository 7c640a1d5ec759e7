"""core.images: one cleaner for every uploaded picture (news pictures here; logos in
tests/resources/files/test_images.py, voices' photos in tests/voices/test_media.py),
checked with an independent EXIF reader (exifread) and Pillow."""

import dataclasses
import io

import exifread
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images

GPS_IFD = 0x8825


def picture(kind="JPEG", size=(2400, 1600), mode="RGB", colour=(200, 120, 0), **extra):
    image = Image.new(mode, size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (5.0, 33.0, 0.0), 3: "W", 4: (0.0, 12.0, 0.0)}
    out = io.BytesIO()
    image.save(out, kind, exif=exif, **extra)
    return out.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("kind, extension", [("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp")])
def test_a_news_picture_keeps_its_format_loses_its_metadata_and_fits_its_box(kind, extension):
    original = picture(kind)
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD), "the upload carries a position"

    stored = images.cleaned(upload(original, "IMG 1.x"), images.NEWS_PICTURE, "IMG 1.x")

    assert stored.name == "IMG 1" + extension
    data = stored.read()
    assert b"PhoneMaker" not in data
    assert not [tag for tag in exifread.process_file(io.BytesIO(data)) if tag.startswith("GPS")]
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == kind and image.size == (1200, 800)
        assert not image.getexif() and "exif" not in image.info


def test_the_orientation_is_applied_before_the_exif_goes():
    image = Image.new("RGB", (100, 40), "blue")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    stored = images.cleaned(upload(out.getvalue()), images.NEWS_PICTURE, "x.jpg")
    with Image.open(stored) as cleaned:
        assert cleaned.size == (40, 100)


def test_a_format_without_transparency_gets_white_where_the_picture_had_none():
    transparent = picture("PNG", size=(30, 30), mode="RGBA", colour=(0, 0, 0, 0))
    as_jpeg = dataclasses.replace(images.NEWS_PICTURE, store_as="JPEG")
    with Image.open(images.cleaned(upload(transparent), as_jpeg, "a.png")) as image:
        assert image.format == "JPEG" and image.getpixel((5, 5)) == (255, 255, 255)
    as_webp = dataclasses.replace(images.NEWS_PICTURE, store_as="WEBP")
    with Image.open(images.cleaned(upload(transparent), as_webp, "a.png")) as image:
        assert image.format == "WEBP" and image.getpixel((5, 5))[3] == 0


def test_a_palette_png_keeps_its_palette_and_transparency():
    image = Image.new("P", (20, 20), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    with Image.open(images.cleaned(upload(out.getvalue()), images.NEWS_PICTURE, "p")) as cleaned:
        assert cleaned.mode == "P" and cleaned.info["transparency"] == 0
        assert cleaned.convert("RGB").getpixel((3, 3)) == (255, 0, 0)


@pytest.mark.parametrize(
    "data, code",
    [
        (b"<svg onload=alert(1)></svg>", "unreadable"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "unreadable"),  # a PNG's signature, then nothing
        (b"\xff\xd8\xff" + bytes(9), "unreadable"),
        (picture("GIF", size=(10, 10), mode="P", colour=1), "wrong_type"),
    ],
)
def test_what_is_not_a_readable_picture_of_its_kind_is_refused(data, code):
    with pytest.raises(ValidationError) as refused:
        images.cleaned(upload(data), images.NEWS_PICTURE, "x")
    assert refused.value.code == code


def test_too_many_pixels_are_refused_before_decoding():
    small = dataclasses.replace(images.NEWS_PICTURE, max_pixels=100)
    with pytest.raises(ValidationError) as refused:
        images.opened(upload(picture(size=(20, 20))), small)
    assert refused.value.code == "too_many_pixels"


def test_a_file_too_large_is_refused_saying_both_sizes():
    small = dataclasses.replace(images.NEWS_PICTURE, max_bytes=1000)
    with pytest.raises(ValidationError) as refused:
        images.opened(upload(picture(size=(400, 400))), small)
    message = refused.value.messages[0]
    assert refused.value.code == "too_large" and "1000" in message and "KB" in message
