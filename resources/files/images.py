"""Organisation logos: core.images' cleaning with a logo's rules (PNG, JPEG, WebP or GIF
in; a small WebP out, at twice the size a page shows it).

``LogoField`` does it where every path to the database passes (admin, shell, import): a
new file is replaced, on save, by its cleaned copy.
"""

from django.utils.translation import gettext_lazy as _

from core import images

LOGO = images.Picture(
    formats=frozenset({"PNG", "JPEG", "WEBP", "GIF"}),
    box=(240, 120),
    max_pixels=25_000_000,
    max_bytes=5 * 1024 * 1024,
    store_as="WEBP",
    quality=90,
    wrong_type=_("A logo must be a PNG, JPEG, WebP or GIF picture."),
    too_many_pixels=_("This picture has too many pixels."),
    unreadable=_("This file is not a picture that can be read."),
)


def validate_logo(file):
    """A PNG, JPEG, WebP or GIF picture that decodes, of a sane size; else a message."""
    images.validate(file, LOGO)


class LogoField(images.CleanImageField):
    """An ImageField whose new files are checked (validate_logo) and stored cleaned."""

    kind = LOGO

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("upload_to", "logos/")
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("validators", [validate_logo])
        super().__init__(*args, **kwargs)
