"""What a PDF says of itself in its document information: title, authors and date, read
to prefill a draft. A broken or encrypted PDF, or one that says nothing, gives empty
values, never an error."""

import datetime
import logging
import re
import warnings
from dataclasses import dataclass, field

from resources.files.uploads import open_pdf

logger = logging.getLogger(__name__)

# Titles some programs write in place of one.
NOT_TITLES = re.compile(r"^(untitled|microsoft word - .*|document\d*|.*\.(docx?|pdf|odt))$", re.I)


@dataclass
class PdfInfo:
    title: str = ""
    authors: list = field(default_factory=list)
    date: datetime.date | None = None


def _text(value, limit):
    return " ".join(str(value or "").split())[:limit]


def _date(value):
    """A PDF date (D:YYYYMMDDHHmmSS…) as a date, or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", str(value or ""))
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


def pdf_info(handle):
    """The title, authors (split on semicolons) and creation date an open PDF names."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            meta = open_pdf(handle).metadata or {}
            title = _text(meta.get("/Title"), 400)
            authors = [_text(name, 300) for name in str(meta.get("/Author") or "").split(";")]
            when = _date(meta.get("/CreationDate"))
    except Exception as error:  # noqa: BLE001 — encrypted, or any of pypdf's many errors
        logger.info("PDF information not read: %s", error)
        return PdfInfo()
    finally:
        handle.seek(0)
    return PdfInfo(
        title="" if NOT_TITLES.match(title) else title,
        authors=[name for name in authors if name],
        date=when,
    )
