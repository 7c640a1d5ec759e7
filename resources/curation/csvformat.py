"""The library's CSV column layout (that of the demo data set), read into plain values.

Shared by the demo loader, the bulk import and the export, so that a round trip
through a file loses nothing.
"""

import re

COLUMNS = [
    "title",
    "authors",
    "year",
    "publisher",
    "resource_type",
    "countries",
    "commodities",
    "themes",
    "language",
    "url",
    "identifier",
    "source_note",
]

# Optional: a resource's title and summary in each interface language other than its
# own (title_es, summary_es, ...). A file without them leaves translations as they are.
TRANSLATED_LANGUAGES = ["en", "es", "fr", "pt", "sw"]
TRANSLATION_COLUMNS = [
    f"{field}_{code}" for code in TRANSLATED_LANGUAGES for field in ("title", "summary")
]

# Types as the data set names them, mapped onto Resource.Type where the names differ.
TYPE_ALIASES = {"guidance": "toolkit"}

ISBN_RE = re.compile(r"^isbn[:\s]*", re.IGNORECASE)
DOI_RE = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def split_list(value):
    """'a; b;c' -> ['a', 'b', 'c'], empty parts dropped."""
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def parse_authors(value):
    """Authors in order as (name, is_organisation): a name without a comma is taken to be
    an organisation ("UNEP", "Alliance for Responsible Mining (ARM)")."""
    return [(name, "," not in name) for name in split_list(value)]


def parse_identifiers(value):
    """Split the identifier column into DOI, ISBN and publisher code."""
    doi = isbn = ""
    codes = []
    for part in split_list(value):
        if DOI_RE.match(part):
            doi = DOI_RE.sub("", part)
        elif ISBN_RE.match(part):
            isbn = ISBN_RE.sub("", part)
        else:
            codes.append(part)
    return {"doi": doi, "isbn": isbn, "publisher_code": "; ".join(codes)}


def format_identifiers(*, doi, isbn, publisher_code):
    parts = [publisher_code] if publisher_code else []
    if isbn:
        parts.append(f"ISBN {isbn}")
    if doi:
        parts.append(f"doi:{doi}")
    return "; ".join(parts)
