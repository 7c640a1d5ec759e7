"""Uploaded pictures (logos, news images): checked by content, resized, stripped of metadata.

An upload is opened with Pillow, never trusted by its name: only JPEG, PNG and WebP are
kept, a picture with too many pixels is refused before it is decoded, and what is stored
is a re-encoding of the pixels alone (no EXIF, no GPS position, no comments), at most
MAX_SIDE pixels on its longer side.
"""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's formats kept, and the extension each is stored under.
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_SIDE = 1200
MAX_PIXELS = 40_000_000
MAX_BYTES = 10 * 1024 * 1024


def _opened(upload):
    """The upload as a Pillow image, checked; ValidationError saying what to fix."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("This picture is larger than 10 MB: make it smaller and try again."),
            code="too_large",
        )
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG or WebP picture."), code="wrong_type")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(
                _("This picture has too many pixels: make it smaller and try again."),
                code="too_many_pixels",
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as e:
        raise ValidationError(
            _("This file is not a picture that can be read: upload a JPEG, PNG or WebP."),
            code="unreadable",
        ) from e
    finally:
        upload.seek(0)
    return image


def validate_image(upload):
    """Refuse what is not a readable JPEG, PNG or WebP of a reasonable size."""
    if upload and not getattr(upload, "_committed", True):
        _opened(upload.file if hasattr(upload, "file") else upload)


def cleaned_image(upload, name):
    """A ContentFile of the upload's pixels only, turned upright, at most MAX_SIDE on its
    longer side, in its own format (name's stem with that format's extension)."""
    image = _opened(upload)
    kind = image.format
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh image holds the pixels and nothing of the original's info or EXIF.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    if image.mode == "P":
        bare.putpalette(image.getpalette())
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if kind in ("JPEG", "WEBP") else {"optimize": True}
    bare.save(out, format=kind, **options)
    stem = os.path.splitext(os.path.basename(name))[0] or "image"
    return ContentFile(out.getvalue(), name=stem + FORMATS[kind])


class CleanImageField(models.ImageField):
    """An ImageField whose new uploads are checked (validate_image) and stored cleaned
    (cleaned_image): whichever way they arrive, admin, API or import."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            cleaned = cleaned_image(file.file, file.name)
            file.save(cleaned.name, cleaned, save=False)
            return file
        return super().pre_save(model_instance, add)
