"""An upload under way: a file sent in parts (the tus protocol's resumable uploads), whose
parts wait in the media storage's temporary area until the last one arrives."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUploadQuerySet(models.QuerySet):
    def of(self, user):
        """The uploads user started: nobody else may read, continue or attach them."""
        return self.filter(owner=user) if user and user.is_authenticated else self.none()


class PendingUpload(models.Model):
    """A file being uploaded in parts by one user; `offset` bytes have arrived so far,
    `stored_name` names the whole file once it is complete and checked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE
    )
    filename = models.CharField(_("file name"), max_length=255)
    length = models.PositiveBigIntegerField(_("length (bytes)"))
    offset = models.PositiveBigIntegerField(_("bytes received"), default=0)
    stored_name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PendingUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("upload under way")
        verbose_name_plural = _("uploads under way")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offset__lte=models.F("length")),
                name="pending_upload_offset_within_length",
            ),
        ]

    def __str__(self):
        return self.filename

    @property
    def folder(self):
        """Where its parts and the whole file wait, in the media storage."""
        return f"uploads-tmp/{self.pk}"

    @property
    def is_complete(self):
        return bool(self.stored_name)
