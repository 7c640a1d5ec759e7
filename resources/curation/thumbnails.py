"""Thumbnails of resources' PDFs: made outside any request (``manage.py
make_thumbnails`` on a timer, and after ``import_resources`` and ``reindex``), stored
beside the file in the same storage (local disk or the S3 bucket).

A thumbnail remembers the file it was made from (``thumbnail_source``); a replaced file
makes it stale, and the next run makes a new one. A file that cannot be rendered is
remembered too (no thumbnail, its name as the source), so it is not tried again.
"""

import logging
import os
import time

from django.core.files.base import ContentFile
from django.db.models import F

from resources.files.thumbnails import MAX_FILE_BYTES, render_thumbnail
from resources.models import Resource
from resources.search.version import bump_version

logger = logging.getLogger(__name__)


def needing_thumbnails():
    """Resources with a PDF whose thumbnail was not made from their current file."""
    return (
        Resource.objects.filter(file__iendswith=".pdf")
        .exclude(thumbnail_source=F("file"))
        .only("pk", "file", "thumbnail", "thumbnail_source")
        .order_by("pk")
    )


def thumbnail_name(file_name):
    """resources/2020/report-ab12.pdf -> resources/2020/report-ab12.thumb.webp"""
    return f"{os.path.splitext(file_name)[0]}.thumb.webp"


def resource_make_thumbnail(*, resource):
    """Render, store and record the thumbnail of resource's current PDF; True if made.
    Neither a broken file nor an unreachable storage raises: both are logged."""
    source = resource.file.name
    storage = resource.file.storage
    try:
        with storage.open(source, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        logger.warning("No thumbnail of %s: cannot read it (%s)", source, error)
        return False
    made = render_thumbnail(data, source)
    fields = {"thumbnail": "", "thumbnail_width": None, "thumbnail_height": None}
    if made is not None:
        try:
            name = storage.save(thumbnail_name(source), ContentFile(made.data))
        except OSError as error:
            logger.warning("Thumbnail of %s not stored (%s)", source, error)
            return False
        fields = {"thumbnail": name, "thumbnail_width": made.width, "thumbnail_height": made.height}
    # An update, not save(): a derived picture is no edit of the record (no history row,
    # no new edit version), and the file may have been replaced meanwhile.
    updated = Resource.objects.filter(pk=resource.pk, file=source).update(
        thumbnail_source=source, **fields
    )
    old = resource.thumbnail
    if updated and old and old != fields["thumbnail"]:
        try:
            storage.delete(old)
        except OSError:
            logger.warning("Stale thumbnail %s not deleted", old)
    return bool(updated) and made is not None


def make_thumbnails(*, limit=None, seconds=None):
    """Make the thumbnails that are missing or stale, at most limit of them or for about
    seconds (a timer's run stays short); returns (made, tried). Cached library pages are
    made stale once at the end, not per picture."""
    started = time.monotonic()
    made = tried = 0
    for resource in needing_thumbnails().iterator(chunk_size=100):
        if limit is not None and tried >= limit:
            break
        if seconds is not None and time.monotonic() - started > seconds:
            break
        tried += 1
        made += resource_make_thumbnail(resource=resource)
    if tried:
        bump_version()
    return made, tried
