"""Offline packs: one ZIP of a library state's files with an index page, built outside any
request (resources/discovery/packs.py) and recorded here with what it holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflinePack(models.Model):
    """The pack of one library state (its canonical query string) in one language: the
    content version it was last built or checked for, a fingerprint of what it holds (so a
    change elsewhere in the library does not rebuild it), and the stored ZIP's size."""

    key = models.CharField(max_length=40, unique=True)
    query = models.CharField(_("library query"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10)
    version = models.BigIntegerField(null=True, blank=True)
    fingerprint = models.CharField(max_length=40, blank=True)
    file = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    resource_count = models.PositiveIntegerField(_("resources"), default=0)
    requested_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("offline pack")
        verbose_name_plural = _("offline packs")

    def __str__(self):
        return f"{self.language} ?{self.query}"
