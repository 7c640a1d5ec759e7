"""What the library's models share: year bounds, the DOI rule, languages, slugs."""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# Fields kept up to date by the system, not edited by people (see Resource.save).
BOOKKEEPING_FIELDS = {"download_count", "full_text", "search_vector", "file_size", "page_count"}

MIN_YEAR = 1900
MAX_YEAR = 2100

# "10." and a registrant code of four to nine digits (sub-codes after dots), "/" and a
# suffix (DOI Handbook 2.2; Crossref's recommended pattern, with any printable suffix).
DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")


def validate_doi(value):
    """Refuse what is not a bare DOI, such as 10.1234/abc-123: a prefix (doi:, a URL), a
    space, a line break or a character that does not print."""
    if not DOI_RE.fullmatch(value) or not value.isprintable():
        raise ValidationError(
            _("Enter a DOI such as 10.1234/abc-123, without “doi:” or https://doi.org/."),
            code="invalid_doi",
        )


LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("sw", _("Swahili")),
    ("am", _("Amharic")),
    ("mg", _("Malagasy")),
    ("hi", _("Hindi")),
    ("zh", _("Chinese")),
    ("id", _("Indonesian")),
    ("other", _("Other")),
]


def unique_slug(model, text, max_length=200):
    """A slug for text that no row of model uses yet (suffixes -2, -3… on clashes)."""
    base = slugify(text)[: max_length - 6].strip("-") or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
