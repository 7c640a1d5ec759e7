"""A resource's title and summary in the languages it was not written in."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import LANGUAGE_CHOICES


class ResourceTranslation(models.Model):
    """The title and summary of a resource in another language, entered beside the
    original by its partner or a curator. The resource keeps its own title and summary in
    its own language: a citation always names the original."""

    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["resource", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"], name="one_translation_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def clean(self):
        if self.resource_id and self.language == self.resource.language:
            raise ValidationError(
                {"language": _("This is the resource's own language: edit its title instead.")}
            )
