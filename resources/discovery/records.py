"""Records for harvesters and feed readers, as plain rows.

An OAI-PMH page holds 100 records and an Atom feed 50 entries, each with its authors,
countries, themes, commodities and tags. Read as model instances, those were a thousand
objects a page for the ORM to build, half of OAI-PMH's time, and reference cycles (an
author pointing back at its resource, a file field at its instance) that left the
garbage collector thousands of objects a request to walk. Read as tuples into a slotted
Record, they are neither.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from taggit.models import TaggedItem

from core.byids import ByIds
from resources.discovery.citations import distinct_words
from resources.listing import AUTHORS, COUNTRIES, TRANSLATED_TITLES, attach
from resources.models import (
    Resource,
    ResultFields,
    content_type_of,
)

COLUMNS = (
    "pk",
    "slug",
    "status",
    "title",
    "summary",
    "publisher",
    "year",
    "date",
    "resource_type",
    "language",
    "licence",
    "doi",
    "isbn",
    "external_url",
    "file",
    "file_size",
    "published_at",
    "updated_at",
)


@dataclass(slots=True)
class Record(ResultFields):
    pk: int
    slug: str
    status: str
    title: str
    summary: str
    publisher: str
    year: int | None
    date: dt.date | None
    resource_type: str
    language: str
    licence: str
    doi: str
    isbn: str
    external_url: str
    file: str
    file_size: int | None
    published_at: dt.datetime | None
    updated_at: dt.datetime
    author_names: list = field(default_factory=list)
    country_codes: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    commodities: list = field(default_factory=list)
    tag_names: list = field(default_factory=list)
    translated_titles: list = field(default_factory=list)

    @property
    def is_published(self):
        return self.status == Resource.Status.PUBLISHED

    @property
    def keywords(self):
        """Themes, commodities and tags, each once, in that order (citations.keywords of
        a Resource)."""
        return distinct_words(
            [name for _slug, name in self.themes],
            [name for _slug, name in self.commodities],
            self.tag_names,
        )

    @property
    def content_type(self):
        return content_type_of(self.file)

    def get_download_url(self):
        return reverse("resources:download", args=[self.slug])


def _terms(attribute, term):
    return ByIds(
        getattr(Resource, attribute)
        .through.objects.order_by(f"{term}__name")
        .values_list("resource_id", f"{term}__slug", f"{term}__name"),
        "resource_id",
    )


# A record's relations, each statement compiled once (core/byids.py).
_THEMES = _terms("themes", "theme")
_COMMODITIES = _terms("commodities", "commodity")
_TAGS = ByIds(
    TaggedItem.objects.filter(content_type__app_label="resources", content_type__model="resource")
    .order_by("tag__name")
    .values_list("object_id", "tag__name"),
    "object_id",
)


def records(queryset, *, metadata=True):
    """The resources of queryset (ordered and sliced: a page) as Records, in its order, in
    four queries, or seven with metadata (authors, tags and translated titles, which a
    header does not name).
    Relations come in their models' order (authors by position, countries by code,
    themes and commodities by name), tags by name."""
    rows = {row[0]: Record(*row) for row in queryset.values_list(*COLUMNS)}
    if not rows:
        return []
    attach(rows, "country_codes", COUNTRIES)
    attach(rows, "themes", _THEMES)
    attach(rows, "commodities", _COMMODITIES)
    if metadata:
        attach(rows, "author_names", AUTHORS)
        attach(rows, "tag_names", _TAGS)
        attach(rows, "translated_titles", TRANSLATED_TITLES)
    return list(rows.values())
