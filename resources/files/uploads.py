"""What may be uploaded: an allowlist of file types checked by content, never by the name
or the browser's claim alone, and the page count of PDFs.

A file is identified from its first bytes; its name must then end in an extension of that
type, so a web page named report.pdf or a program named data.zip is refused with a message
saying why. Only a file's first kilobytes are read, except for ZIP-based containers (ZIP,
Office, OpenDocument, EPUB), whose members containers.inspect_container reads through.
"""

import logging
import os
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from resources.files.containers import PROGRAM_MAGIC, inspect_container

logger = logging.getLogger(__name__)

HEAD_SIZE = 8192

# kind: (extensions, label)
ALLOWED = {
    "pdf": ({".pdf"}, "PDF"),
    "docx": ({".docx"}, "Word (DOCX)"),
    "xlsx": ({".xlsx"}, "Excel (XLSX)"),
    "pptx": ({".pptx"}, "PowerPoint (PPTX)"),
    "odt": ({".odt"}, "OpenDocument text (ODT)"),
    "ods": ({".ods"}, "OpenDocument spreadsheet (ODS)"),
    "odp": ({".odp"}, "OpenDocument presentation (ODP)"),
    "epub": ({".epub"}, "EPUB"),
    "png": ({".png"}, "PNG"),
    "jpeg": ({".jpg", ".jpeg"}, "JPEG"),
    "text": ({".csv", ".txt"}, _("plain text (CSV or TXT)")),
    "zip": ({".zip"}, "ZIP"),
}
MARKUP_SIGNS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body")


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams uploads to a temporary file, but stops writing once a file passes
    ASMHUB_MAX_UPLOAD_SIZE: an oversized upload costs no more disk than the limit. The
    file still reports its full size, so validate_upload refuses it saying how large it
    was."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ASMHUB_MAX_UPLOAD_SIZE:
            return None
        return super().receive_data_chunk(raw_data, start)


def allowed_extensions():
    return sorted(ext for extensions, _label in ALLOWED.values() for ext in extensions)


def _read_head(handle):
    handle.seek(0)
    head = handle.read(HEAD_SIZE)
    handle.seek(0)
    return head


def _refuse_program(head, name):
    if head.startswith(PROGRAM_MAGIC):
        raise ValidationError(
            _("“%(name)s” is a program or script; programs are never accepted."),
            code="program",
            params={"name": name},
        )


def _refuse_markup(head, name):
    """Raise when head is a web page, SVG or other markup, whatever the name says."""
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") or any(sign in lowered for sign in MARKUP_SIGNS):
        raise ValidationError(
            _(
                "“%(name)s” is a web page, SVG or other markup; these can carry scripts and "
                "are not accepted. Upload a PDF instead."
            ),
            code="markup",
            params={"name": name},
        )


def _looks_like_text(head):
    if b"\x00" in head:
        return False
    try:
        # The head may end inside a multi-byte character: allow that one cut.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls == 0


def _identify_bytes(head, name):
    """The kind of a file from its first bytes: one of ALLOWED's keys, or refusal."""
    _refuse_program(head, name)
    # Binary formats first: their metadata (XMP in PDFs and JPEGs) may hold "<?xml".
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    _refuse_markup(head, name)
    guess = filetype.guess(head)
    if guess is not None:
        raise ValidationError(
            _("“%(name)s” is a %(type)s file (%(mime)s), which is not accepted."),
            code="type",
            params={"name": name, "type": guess.extension.upper(), "mime": guess.mime},
        )
    if head and _looks_like_text(head):
        return "text"
    raise ValidationError(
        _("The type of “%(name)s” could not be recognised, so it is not accepted."),
        code="unknown",
        params={"name": name},
    )


def _check_extension(kind, name):
    extension = os.path.splitext(name)[1].lower()
    extensions, label = ALLOWED[kind]
    if extension not in extensions:
        raise ValidationError(
            _(
                "“%(name)s” is named as a %(extension)s file but its content is %(label)s; "
                "a file disguised as another type is not accepted."
            ),
            code="disguised",
            params={"name": name, "extension": extension or _("extension-less"), "label": label},
        )


def _check_loose_file(head, label, inner):
    """A member of a plain ZIP is judged as the file would be on its own."""
    kind = _identify_bytes(head, label)
    if kind == "zip":
        raise ValidationError(
            _("“%(name)s” is a ZIP inside a ZIP; upload the files in one ZIP."),
            code="zip",
            params={"name": label},
        )
    _check_extension(kind, inner)


@dataclass
class Identification:
    kind: str
    label: str


def identify(handle, name):
    """Identify an open binary file by its content; raise ValidationError with the reason
    when it is not on the allowlist or its name disguises it."""
    head = _read_head(handle)
    kind = _identify_bytes(head, name)
    if kind == "zip":
        kind = inspect_container(handle, name, check_loose_file=_check_loose_file)
        handle.seek(0)
    _check_extension(kind, name)
    return Identification(kind=kind, label=str(ALLOWED[kind][1]))


def _open_upload(value):
    """The readable file behind a FieldFile or an UploadedFile."""
    inner = getattr(value, "file", None)
    handle = inner if inner is not None and hasattr(inner, "seek") else value
    return handle


def validate_upload(value):
    """Model field validator: size limit, allowlisted type by content, honest name.

    A file already in storage (a form saved again without a new upload) is not read
    again: it was checked when it came in."""
    if not value or getattr(value, "_committed", False):
        return
    limit = settings.ASMHUB_MAX_UPLOAD_SIZE
    size = value.size
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    name = os.path.basename(value.name or "")
    identify(_open_upload(value), name)


@dataclass
class PdfInspection:
    page_count: int | None
    warning: str = ""


def inspect_pdf(value):
    """Count the pages of a PDF. A broken or encrypted PDF gives a warning, never an error:
    the file is still accepted, only its page count is unknown."""
    if getattr(value, "_committed", False):
        # Already stored: read it through the storage (local disk or S3 alike).
        with value.storage.open(value.name, "rb") as handle:
            return _count_pages(handle, value.name)
    handle = _open_upload(value)
    try:
        return _count_pages(handle, getattr(value, "name", "?"))
    finally:
        handle.seek(0)


class EncryptedPdf(Exception):
    """A PDF that opens only with a password."""


def open_pdf(handle):
    """A pypdf reader of the open PDF handle from its start, decrypted when no password
    is needed; raises EncryptedPdf when one is (and pypdf's own errors on a broken file).
    Call it inside warnings.catch_warnings: pypdf warns about every flaw it forgives."""
    from pypdf import PdfReader

    handle.seek(0)
    reader = PdfReader(handle)
    if reader.is_encrypted and not reader.decrypt(""):
        raise EncryptedPdf
    return reader


def _count_pages(handle, name):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return PdfInspection(len(open_pdf(handle).pages))
    except EncryptedPdf:
        return PdfInspection(None, str(_("The PDF is encrypted: its pages were not counted.")))
    except Exception as error:  # noqa: BLE001 — pypdf raises many kinds on broken files
        logger.info("Could not read PDF %s: %s", name, error)
        return PdfInspection(
            None,
            str(_("The PDF could not be read (it may be damaged): its pages were not counted.")),
        )
