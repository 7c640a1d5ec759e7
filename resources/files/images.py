"""Pictures curators upload (organisation logos): checked by their content, never their
name; re-encoded, which leaves behind every metadata block (GPS position, camera, author)
and anything hidden after the image data; made small.

``LogoField`` does it where every path to the database passes (admin, shell, import): a
new file is replaced, on save, by its cleaned copy.
"""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a decompression bomb is refused before it is decoded
FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
BOX = (240, 120)  # twice the size a page shows it at


def validate_logo(file):
    """A PNG, JPEG, WebP or GIF picture that decodes, of a sane size; else a message."""
    from PIL import Image, UnidentifiedImageError

    if file.size > MAX_BYTES:
        raise ValidationError(_("A logo may weigh at most 5 MB."), code="too_large")
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format not in FORMATS:
                raise ValidationError(
                    _("A logo must be a PNG, JPEG, WebP or GIF picture."), code="format"
                )
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This picture has too many pixels."), code="pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture that can be read."), code="invalid"
        ) from None
    finally:
        file.seek(0)


def cleaned_logo(file):
    """The picture in file fitted into BOX, upright, as WebP bytes without metadata."""
    from PIL import Image, ImageOps

    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        image.thumbnail(BOX, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "WEBP", quality=90, method=6)
    return out.getvalue()


class LogoField(models.ImageField):
    """An ImageField whose new files are checked (validate_logo) and stored cleaned."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("upload_to", "logos/")
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("validators", [validate_logo])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            validate_logo(file)
            stem = os.path.splitext(os.path.basename(file.name))[0][:80] or "logo"
            file.save(f"{stem}.webp", ContentFile(cleaned_logo(file)), save=False)
        return super().pre_save(model_instance, add)
