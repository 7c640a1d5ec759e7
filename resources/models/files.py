"""The files a resource holds: where uploads are stored, the facts read from a stored
file, language versions and previous versions."""

import mimetypes
import os
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from resources.files.uploads import validate_upload

from .common import LANGUAGE_CHOICES


def safe_extension(filename):
    """The lower-cased extension of filename if it is one we keep, else nothing."""
    extension = os.path.splitext(filename or "")[1].lower()
    return extension if extension[1:].isalnum() and len(extension) <= 6 else ""


def content_type_of(filename):
    """The media type a file's name gives, else application/octet-stream."""
    guessed, _encoding = mimetypes.guess_type(filename) if filename else (None, None)
    return guessed or "application/octet-stream"


def resource_upload_to(instance, filename):
    """Files live under a path the uploader cannot choose:
    resources/<year>/<slug>-<random>.<ext>. The random part means a replacement never
    overwrites the earlier file, which stays in storage as a previous version."""
    token = secrets.token_hex(4)
    return (
        f"resources/{instance.year or 'undated'}/{instance.slug}-{token}{safe_extension(filename)}"
    )


class StoredFileFacts:
    """What Resource and ResourceFile derive alike from the file they hold: its size and
    page count (kept in their columns by save()), its extension, media type and download
    name. Needs file, file_size, page_count and download_stem (the download's name
    without its extension)."""

    __slots__ = ()

    def update_file_facts(self):
        """Size and page count of a newly attached file, and the size of a stored file
        whose size is not known yet."""
        new_file = self.file and not getattr(self.file, "_committed", True)
        if self.file and (new_file or self.file_size is None):
            try:
                self.file_size = self.file.size
            except OSError:
                self.file_size = None
            if new_file:
                self.page_count = pdf_page_count(self.file)

    @property
    def file_name(self):
        """A clean name for the downloaded file: its stem and the stored extension."""
        return f"{self.download_stem}{safe_extension(self.file.name)}"

    @property
    def file_extension(self):
        return safe_extension(self.file.name).lstrip(".").upper()

    @property
    def content_type(self):
        return content_type_of(self.file.name)


def pdf_page_count(field_file):
    """The page count of a PDF file, or None when it is no PDF or cannot be read."""
    if safe_extension(field_file.name) != ".pdf":
        return None
    from resources.files.uploads import inspect_pdf

    return inspect_pdf(field_file).page_count


def language_version_upload_to(instance, filename):
    """resources/<year>/<slug>.<language>-<random>.<ext>: not chosen by the uploader."""
    resource = instance.resource
    token = secrets.token_hex(4)
    return (
        f"resources/{resource.year or 'undated'}/{resource.slug}.{instance.language}-{token}"
        f"{safe_extension(filename)}"
    )


class ResourceFile(StoredFileFacts, models.Model):
    """A language version of a resource's file (e.g. the French edition of a report)."""

    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    file = models.FileField(
        _("file"),
        upload_to=language_version_upload_to,
        max_length=300,
        validators=[validate_upload],
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["resource", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"],
                name="resource_file_one_per_language",
                violation_error_message=_("This resource already has a file in that language."),
            ),
        ]

    def __str__(self):
        return f"{self.resource} ({self.get_language_display()})"

    def save(self, *args, **kwargs):
        self.update_file_facts()
        super().save(*args, **kwargs)

    def get_download_url(self):
        return reverse("resources:download-version", args=[self.resource.slug, self.language])

    @property
    def download_stem(self):
        return f"{self.resource.slug}.{self.language}"


class PreviousFile(models.Model):
    """A file that was replaced or removed: kept in storage, downloadable by curators."""

    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="previous_files",
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True)
    file = models.FileField(_("file"), max_length=300)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("previous file")
        verbose_name_plural = _("previous files")
        ordering = ["resource", "-replaced_at", "-pk"]

    def __str__(self):
        return os.path.basename(self.file.name)
