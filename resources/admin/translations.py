"""The texts of a record in other languages, edited in a table beside the original:
one inline for every translatable record (resources, countries, learning groups,
Outlooks, dialogues, news), its fields read from the translation model."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from .forms import LabelledRowsFormSet


class TranslationInline(admin.TabularInline):
    """The rows of a core.translations.Translation subclass: the language, then every
    text the model translates (derived ones, such as news' HTML, left out)."""

    extra = 0
    formset = LabelledRowsFormSet
    verbose_name = gettext_lazy("translation")
    verbose_name_plural = gettext_lazy(
        "Translations: these texts in other languages (the original stays above)"
    )

    def get_fields(self, request, obj=None):
        return ["language", *self.model.translated_fields()]
