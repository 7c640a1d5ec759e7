"""Uploaded pictures (news pictures, organisation logos, the photos of miners' voices):
checked by content, turned upright, made small and stripped of every piece of metadata.

An upload is opened with Pillow, never trusted by its name: only the formats a kind of
picture accepts are kept, one with too many pixels is refused before it is decoded, and
what is stored is a re-encoding of the pixels alone (no EXIF, so no GPS position or
camera; no XMP, ICC profile or comments; nothing hidden after the image data), fitted
into the kind's box. A ``Picture`` names what differs between kinds (formats, size
limits, box, the format stored, its quality and the messages); the rest is written once
here.
"""

import dataclasses
import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The formats a picture may be stored in, and the extension of each.
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


@dataclasses.dataclass(frozen=True)
class Picture:
    """What one kind of uploaded picture may be and how it is stored."""

    formats: frozenset  # Pillow's names of the formats accepted
    box: tuple  # (width, height) the stored picture fits into
    max_pixels: int  # refused before decoding past this (a decompression bomb)
    max_bytes: int | None = None  # None: the caller checks the size (check_size)
    store_as: str | None = None  # a key of EXTENSIONS; None keeps the upload's format
    quality: int = 85  # of JPEG and WebP
    wrong_type: str = _("Upload a JPEG, PNG or WebP picture.")
    too_many_pixels: str = _("This picture has too many pixels: make it smaller and try again.")
    unreadable: str = _("This file is not a picture that can be read: upload a JPEG, PNG or WebP.")


# A news item's picture: kept in its own format, at most 1200 pixels on its longer side.
NEWS_PICTURE = Picture(
    formats=frozenset(EXTENSIONS),
    box=(1200, 1200),
    max_pixels=40_000_000,
    max_bytes=10 * 1024 * 1024,
)


def check_size(upload, limit):
    """Refuse an upload larger than limit bytes, saying both sizes."""
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the most we accept is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def opened(upload, kind):
    """The upload as a decoded Pillow image of one of kind's formats; ValidationError
    saying what to fix."""
    if kind.max_bytes is not None:
        check_size(upload, kind.max_bytes)
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in kind.formats:
            raise ValidationError(kind.wrong_type, code="wrong_type")
        if image.width * image.height > kind.max_pixels:
            raise ValidationError(kind.too_many_pixels, code="too_many_pixels")
        image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(kind.unreadable, code="unreadable") from error
    finally:
        upload.seek(0)
    return image


def _storable(image, store_as):
    """image in a mode store_as can hold; transparency over white where it cannot."""
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if store_as == "JPEG":
        if transparent:
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            return background
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if store_as == "WEBP":
        mode = "RGBA" if transparent else "RGB"
        return image if image.mode == mode else image.convert(mode)
    return image if image.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else image.convert("RGBA")


def _bare(image):
    """A new image of image's pixels (and palette) only: none of its info or EXIF."""
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        bare.putpalette(image.getpalette())
        if "transparency" in image.info:
            bare.info["transparency"] = image.info["transparency"]
    return bare


def cleaned(upload, kind, name):
    """A ContentFile of the upload's pixels only, upright, fitted into kind's box, in the
    format kind stores (name's stem with that format's extension)."""
    image = opened(upload, kind)
    store_as = kind.store_as or image.format
    image = _storable(ImageOps.exif_transpose(image), store_as)
    image.thumbnail(kind.box, Image.Resampling.LANCZOS)
    options = {"optimize": True}
    if store_as == "JPEG":
        options["quality"] = kind.quality
    elif store_as == "WEBP":
        options = {"quality": kind.quality, "method": 6}
    out = io.BytesIO()
    _bare(image).save(out, format=store_as, **options)
    stem = os.path.splitext(os.path.basename(name))[0][:80] or "image"
    return ContentFile(out.getvalue(), name=stem + EXTENSIONS[store_as])


def validate_image(upload):
    """Refuse what is not a readable news picture (NEWS_PICTURE)."""
    validate(upload, NEWS_PICTURE)


def validate(upload, kind):
    """Refuse a new upload that is not a readable picture of kind."""
    if upload and not getattr(upload, "_committed", True):
        opened(upload.file if hasattr(upload, "file") else upload, kind)


class CleanImageField(models.ImageField):
    """An ImageField whose new uploads are checked and stored cleaned (cleaned), whichever
    way they arrive: admin, API or import. A subclass names its kind of picture and a
    validator of it (a module-level function, which migrations can name)."""

    kind = NEWS_PICTURE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            picture = cleaned(file.file, self.kind, file.name)
            file.save(picture.name, picture, save=False)
            return file
        return super().pre_save(model_instance, add)
