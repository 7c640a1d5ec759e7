"""Resumable uploads: a file arrives in parts, each appended at the offset the server
holds, so a dropped connection costs at most the part under way. The parts wait in the
media storage's temporary area (`uploads-tmp/<id>/`, on disk or S3 alike); once the last
one is in, the whole file is checked by content exactly as a plain upload is
(`validate_upload`), and either kept for the form to attach or refused and deleted.

Every function here takes the user: an upload belongs to the one who started it."""

import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from resources.files.uploads import validate_upload
from resources.models import PendingUpload


class OffsetMismatch(Exception):
    """A part sent for another offset than the one the server holds (tus: 409)."""


class TooLarge(Exception):
    """An upload or a part past the size limit (tus: 413)."""


def may_upload(user):
    """Partners and curators, who may add or change resources, may upload."""
    return bool(user and user.is_active) and (
        user.has_perm("resources.add_resource") or user.has_perm("resources.change_resource")
    )


def upload_start(*, user, filename, length):
    """Open an upload of length bytes named filename for user."""
    if not may_upload(user):
        raise PermissionDenied(_("Only partners and curators upload files."))
    if length > settings.ASMHUB_MAX_UPLOAD_SIZE:
        raise TooLarge(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {
                "size": filesizeformat(length),
                "limit": filesizeformat(settings.ASMHUB_MAX_UPLOAD_SIZE),
            }
        )
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[:255]
    if not name:
        raise ValidationError(_("The file has no name."))
    return PendingUpload.objects.create(owner=user, filename=name, length=length)


def _part_name(upload, offset):
    # Zero-padded, so the parts sort by their place in the file.
    return f"{upload.folder}/{offset:015d}.part"


def upload_append(*, upload, offset, data):
    """Append data at offset; return the upload with its new offset. Refuses a part for
    another offset (OffsetMismatch) or past the announced length (TooLarge). When the
    last byte arrives the file is assembled and checked (upload_finish)."""
    with transaction.atomic():
        locked = PendingUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.is_complete or offset != locked.offset:
            raise OffsetMismatch(locked.offset)
        if offset + len(data) > locked.length:
            raise TooLarge(_("More bytes were sent than the upload announced."))
        if data:
            # A part stored before a failure that kept the offset: replaced, not doubled.
            default_storage.delete(_part_name(locked, offset))
            default_storage.save(_part_name(locked, offset), ContentFile(data))
            locked.offset = offset + len(data)
            locked.save(update_fields=["offset", "updated_at"])
    if locked.offset == locked.length:
        upload_finish(upload=locked)
    return locked


def _parts(upload):
    _folders, files = default_storage.listdir(upload.folder)
    return sorted(name for name in files if name.endswith(".part"))


def _delete_folder(upload):
    try:
        _folders, files = default_storage.listdir(upload.folder)
    except (FileNotFoundError, OSError):
        return
    for name in files:
        default_storage.delete(f"{upload.folder}/{name}")


def upload_finish(*, upload):
    """Join the parts into the whole file and check it by content as a plain upload is.
    A refused file is deleted with its upload (nothing stays) and the ValidationError
    says why; an accepted one waits as `<folder>/whole` for the form to attach."""
    with tempfile.TemporaryFile() as whole:
        position = 0
        for name in _parts(upload):
            if int(name.split(".")[0]) != position:
                break
            with default_storage.open(f"{upload.folder}/{name}", "rb") as part:
                while chunk := part.read(1024 * 1024):
                    whole.write(chunk)
                    position += len(chunk)
        try:
            if position != upload.length:
                raise ValidationError(_("Parts of the file are missing; upload it again."))
            whole.seek(0)
            validate_upload(File(whole, name=upload.filename))
        except ValidationError:
            upload_discard(upload=upload)
            raise
        whole.seek(0)
        stored = default_storage.save(f"{upload.folder}/whole", File(whole))
    for name in _parts(upload):
        default_storage.delete(f"{upload.folder}/{name}")
    upload.stored_name = stored
    upload.save(update_fields=["stored_name", "updated_at"])
    return upload


def upload_discard(*, upload):
    """Delete an upload and everything it stored."""
    _delete_folder(upload)
    upload.delete()


def completed_upload(*, user, upload_id):
    """user's complete, checked upload called upload_id, or None."""
    try:
        return PendingUpload.objects.of(user).exclude(stored_name="").filter(pk=upload_id).first()
    except ValidationError:  # not a UUID
        return None


def upload_as_file(upload):
    """The whole file of a complete upload, open, under the name it was uploaded with."""
    return File(default_storage.open(upload.stored_name, "rb"), name=upload.filename)


def uploads_clear_expired(*, now=None):
    """Delete uploads untouched for ASMHUB_UPLOAD_EXPIRY_HOURS, with their parts; return
    how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.ASMHUB_UPLOAD_EXPIRY_HOURS)
    expired = list(PendingUpload.objects.filter(updated_at__lt=cutoff))
    for upload in expired:
        upload_discard(upload=upload)
    return len(expired)
