"""Display labels of codes, read once per language.

Every reading of a lazy label goes through the translation machinery, and Django's
get_FOO_display() hashes all the choices' lazy labels again on every call: on a page of
results that was a noticeable part of its time (docs/performance.md). These are plain
dicts, made once per language and process (the translations do not change while it
runs).

Each reader takes the language: a caller naming many labels (a page of result rows)
reads the active language once and passes it, since every read of it goes through
asgiref's Local and its lock, which the threads of a worker contend for
(docs/performance.md); without it, the active language is read.
"""

import functools

from django.utils.translation import get_language
from django_countries import countries as iso_countries


@functools.lru_cache(maxsize=32)
def _country_names(language):
    # In the order of the names in that language, as django-countries sorts them.
    return {code: str(name) for code, name in iso_countries}


def country_names(language=None):
    """{ISO code: country name} in the active language, ordered by name."""
    return _country_names(language or get_language())


def country_name(code, language=None):
    return country_names(language).get(code) or code


@functools.lru_cache(maxsize=32)
def _type_labels(language):
    from resources.models import Resource

    return {value: str(label) for value, label in Resource.Type.choices}


def type_labels(language=None):
    """{resource type: its label} in the active language."""
    return _type_labels(language or get_language())


def type_label(value, language=None):
    return type_labels(language).get(value, value)


@functools.lru_cache(maxsize=32)
def _language_labels(language):
    from resources.models import LANGUAGE_CHOICES

    return {value: str(label) for value, label in LANGUAGE_CHOICES}


def language_labels(language=None):
    """{resource language: its name} in the active language."""
    return _language_labels(language or get_language())


def language_label(value, language=None):
    """The name of a resource's language (a LANGUAGE_CHOICES code) in the active language."""
    return language_labels(language).get(value, value)
