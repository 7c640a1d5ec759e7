"""The words of the fixed vocabularies in every interface language: a resource's
countries and type count as its words by their names in English, Spanish, French,
Portuguese and Swahili (both indexes, indexing.py and fts_index.py)."""

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django_countries import countries as iso_countries


def _in_every_language(labels):
    """{key: the distinct labels of key in every interface language, joined}."""
    words = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, label in labels():
                words.setdefault(key, {})[str(label)] = None
    return {key: " ".join(names) for key, names in words.items()}


@lru_cache(maxsize=1)
def country_words():
    """{ISO code: its names in every interface language}."""
    return _in_every_language(lambda: list(iso_countries))


@lru_cache(maxsize=1)
def type_words():
    """{resource type: its labels in every interface language}."""
    from ..models import Resource

    return _in_every_language(lambda: Resource.Type.choices)
