"""Content in several languages: one rule for every record whose texts are entered in
more than one language (a resource's title and summary, a learning group's, a dialogue's,
an Outlook's, a country's and a news item's texts).

A translatable record keeps its texts in its own language (`original_language`) and
has a related set of rows, one per other language, each a subclass of `Translation`
(reached through `related_name="translations"`, prefetched by the record's querysets).
`in_language()` picks the text a reader of a language sees, and says when it is not in
that language, so a page can mark it with its `lang` and say so; `language_tagged()`
gives every version of a text as JSON-LD language-tagged values.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_choices():
    """The interface's languages: a reader can read a translation only in one of them.
    A callable, so adding a language to settings needs no migration."""
    return settings.LANGUAGES


class Translation(models.Model):
    """One language version of a record's texts. A subclass adds the foreign key to the
    record (named by `record_field`, with `related_name="translations"`), the text
    fields it translates, and `Meta = translation_meta(record_field, constraint name)`."""

    language = models.CharField(_("language"), max_length=5, choices=language_choices)

    record_field = None

    class Meta:
        abstract = True
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self):
        return f"{getattr(self, self.translated_fields()[0])} ({self.language})"

    @classmethod
    def translated_fields(cls):
        """The names of the texts a row translates, in their order on the model (derived
        ones, such as news' HTML, left out)."""
        return [
            field.name
            for field in cls._meta.fields
            if field.name != "language"
            and field.editable
            and isinstance(field, models.CharField | models.TextField)
        ]

    def clean(self):
        super().clean()
        try:
            record = getattr(self, self.record_field) if self.record_field else None
        except ObjectDoesNotExist:
            record = None
        if record is not None and self.language == original_language(record):
            raise ValidationError(
                {"language": _("This is the original's own language: edit the original instead.")}
            )


def translation_meta(record_field, constraint_name):
    """A Translation subclass's Meta: its rows in the record's then the language's order,
    one per record and language (`Meta = translation_meta("group", "…")` in the class)."""

    class Meta(Translation.Meta):
        ordering = [record_field, "language"]
        constraints = [
            models.UniqueConstraint(fields=[record_field, "language"], name=constraint_name),
        ]

    return Meta


def original_language(record):
    """The language a record's own texts are written in: its `language` field where it
    has one, else the site's default (the programme writes its pages in English)."""
    return getattr(record, "language", None) or settings.LANGUAGE_CODE


def pick(translations, language):
    """The translation in language among translations (prefetched rows), or None."""
    return next((each for each in translations if each.language == language), None)


@dataclass(frozen=True)
class Text:
    """A text as a page shows it: its value, the language it is in, and whether that is
    the reader's language (when not, the page says which language it shows)."""

    value: str
    language: str
    in_reader_language: bool

    def __str__(self):
        return self.value

    def __bool__(self):
        return bool(self.value)


def in_language(record, field, language=None):
    """record's text field in language (the active one by default): the translation
    where one holds that field, else the original in its own language."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    original = original_language(record)
    value = getattr(record, field)
    if language != original:
        translated = pick(record.translations.all(), language)
        if translated is not None and getattr(translated, field, ""):
            return Text(getattr(translated, field), language, True)
    return Text(value, original, language == original)


def translations_json(record):
    """record's translations as plain rows for the API: the language and each
    translated text."""
    return [
        {
            "language": each.language,
            **{name: getattr(each, name) for name in each.translated_fields()},
        }
        for each in record.translations.all()
    ]


def language_tagged(record, field):
    """Every version of record's text field: the plain value when there is only the
    original, else JSON-LD value objects, each tagged with its language."""
    value = getattr(record, field)
    versions = [each for each in record.translations.all() if getattr(each, field, "")]
    if not versions:
        return value
    return [
        {"@value": value, "@language": original_language(record)},
        *({"@value": getattr(each, field), "@language": each.language} for each in versions),
    ]
