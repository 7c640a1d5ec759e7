"""The library's texts in the languages they were not written in: a resource's title and
summary, a country's description (the rule for all of them is core.translations)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.translations import Translation, translation_meta

from .common import LANGUAGE_CHOICES


class ResourceTranslation(Translation):
    """The title and summary of a resource in another language, entered beside the
    original by its partner or a curator. The resource keeps its own title and summary in
    its own language: a citation always names the original."""

    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    # Any language a resource may be written in, not only the interface's.
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    record_field = "resource"

    Meta = translation_meta("resource", "one_translation_per_language")

    def clean(self):
        if self.resource_id and self.language == self.resource.language:
            raise ValidationError(
                {"language": _("This is the resource's own language: edit its title instead.")}
            )


class CountryTranslation(Translation):
    """A country's description in another language of the interface."""

    country = models.ForeignKey(
        "resources.Country",
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    description = models.TextField(_("description"))

    history = HistoricalRecords()

    record_field = "country"

    Meta = translation_meta("country", "one_country_translation_per_language")
