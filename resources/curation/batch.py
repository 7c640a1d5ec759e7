"""Several PDFs at once: each becomes a draft of its own, prefilled from the file's own
metadata (title, authors, date) and the language of its text, for the partner to
complete. Each file is all or nothing: a refused file leaves no draft and no stored file,
and says what to fix."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from resources.curation import services
from resources.files.extraction import extract_text
from resources.files.language import detect_language
from resources.files.pdfinfo import pdf_info
from resources.files.uploads import identify, validate_upload
from resources.models import LANGUAGE_CHOICES, MAX_YEAR, MIN_YEAR, Resource, ResourceAuthor

LANGUAGES = [code for code, _label in LANGUAGE_CHOICES if code != "other"]


def _check_pdf(upload):
    """The same check by content as any upload, then: a PDF, nothing else."""
    validate_upload(upload)
    if identify(upload.file, os.path.basename(upload.name)).kind != "pdf":
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF: this page makes drafts from PDFs only. Add it "
                "with “Add a resource” instead."
            ),
            code="not_pdf",
            params={"name": upload.name},
        )


def draft_from_pdf(*, upload, user, resource_type):
    """A new draft owned by user's organisation holding upload (a PDF), with the title,
    authors, date and language the file gives; raises ValidationError (nothing saved)
    when the file is refused."""
    _check_pdf(upload)
    info = pdf_info(upload.file)
    text = extract_text(upload)
    stem = os.path.splitext(os.path.basename(upload.name))[0].replace("_", " ").strip()
    year = info.date.year if info.date and MIN_YEAR <= info.date.year <= MAX_YEAR else None
    resource = Resource(
        title=info.title or stem or upload.name,
        resource_type=resource_type,
        year=year,
        date=info.date if year else None,
        language=detect_language(text, LANGUAGES) or "en",
        full_text=text,
        file=upload,
    )
    try:
        with transaction.atomic():
            services.resource_save(resource=resource, user=user, created=True)
            for position, name in enumerate(info.authors):
                ResourceAuthor.objects.create(resource=resource, position=position, name=name)
    except Exception:
        # The row is rolled back; the stored file must go too.
        if resource.file and getattr(resource.file, "_committed", False):
            resource.file.storage.delete(resource.file.name)
        raise
    return resource


def drafts_from_pdfs(*, uploads, user, resource_type):
    """One draft per PDF of uploads: (the drafts made, (file name, why refused) pairs)."""
    made, refused = [], []
    for upload in uploads:
        try:
            made.append(draft_from_pdf(upload=upload, user=user, resource_type=resource_type))
        except ValidationError as error:
            refused.append((upload.name, " ".join(error.messages)))
    return made, refused
