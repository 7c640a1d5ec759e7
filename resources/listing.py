"""A page of results as plain rows.

A result list shows a resource's title, authors, year, type, publisher, summary,
language, its file's format and size or its external link, countries and themes. Read
as model instances with their prefetched relations, twenty of them cost the ORM most of
a page's Python time; read as tuples, a fraction of it (docs/performance.md).
ListedResource shares with Resource the names the result template reads (ResultFields),
so the template lists either.
"""

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

from core.byids import ByIds
from resources.models import Resource, ResourceAuthor, ResourceTranslation, ResultFields

# Rows a process keeps under the content version (about a kilobyte each), the least
# recently listed going first: little beside the facet index.
KEPT_ROWS = 5_000
_kept_lock = threading.Lock()

COLUMNS = (
    "pk",
    "slug",
    "title",
    "year",
    "resource_type",
    "publisher",
    "summary",
    "language",
    "file",
    "file_size",
    "external_url",
    "thumbnail",
    "thumbnail_source",
    "thumbnail_width",
    "thumbnail_height",
)


class TitleTranslation(NamedTuple):
    """A resource's title in another language, as a row keeps it."""

    language: str
    title: str


class KeptTranslations(list):
    """A row's TitleTranslations, read like a prefetched `resource.translations`, so that
    core.translations.in_language chooses a row's title as it does a Resource's: the row
    keeps every language and the language is chosen when the row is shown."""

    def all(self):
        return self


@dataclass(slots=True)
class ListedResource(ResultFields):
    pk: int
    slug: str
    title: str
    year: int | None
    resource_type: str
    publisher: str
    summary: str
    language: str
    file: str
    file_size: int | None
    external_url: str
    thumbnail: str
    thumbnail_source: str
    thumbnail_width: int | None
    thumbnail_height: int | None
    author_names: list = field(default_factory=list)
    country_codes: list = field(default_factory=list)
    theme_names: list = field(default_factory=list)
    translations: KeptTranslations = field(default_factory=KeptTranslations)
    snippet: str = ""
    marked_title: str = ""
    matched_themes: list = field(default_factory=list)


def listed(ids, kept=None):
    """The published resources among ids as ListedResources, in the order of ids: five
    queries whatever their number (the fifth, their titles' translations, every language
    kept: the reader's is chosen when a row is shown). Relations come in the order their
    models give (authors by position, countries by code, themes by name).

    kept: an OrderedDict the caller keeps while the rows cannot change (the library's
    content version: filters.Results): rows found there cost no query, and each is given
    as a copy, since a search marks its words on the rows it lists."""
    if kept is None:
        kept = OrderedDict()
    with _kept_lock:
        rows = {pk: kept[pk] for pk in ids if pk in kept}
        for pk in rows:
            kept.move_to_end(pk)
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        rows.update(read(missing))
        with _kept_lock:
            kept.update((pk, rows[pk]) for pk in missing)
            while len(kept) > KEPT_ROWS:
                kept.popitem(last=False)
    return [copy.copy(rows[pk]) for pk in ids if rows[pk] is not None]


# What a page of rows reads, each statement compiled once (core/byids.py).
_ROWS = ByIds(Resource.objects.published().values_list(*COLUMNS), "pk")
AUTHORS = ByIds(
    ResourceAuthor.objects.order_by("position", "pk").values_list("resource_id", "name"),
    "resource_id",
)
COUNTRIES = ByIds(
    Resource.countries.through.objects.order_by("country_id").values_list(
        "resource_id", "country_id"
    ),
    "resource_id",
)
_THEMES = ByIds(
    Resource.themes.through.objects.order_by("theme__name").values_list(
        "resource_id", "theme__name"
    ),
    "resource_id",
)
TRANSLATED_TITLES = ByIds(
    ResourceTranslation.objects.order_by("language").values_list(
        "resource_id", "language", "title"
    ),
    "resource_id",
)


def read(ids):
    """{id: ListedResource or None} of ids, None for one that is not published."""
    rows = {row[0]: ListedResource(*row) for row in _ROWS.rows(ids)}
    attach(rows, "author_names", AUTHORS)
    attach(rows, "country_codes", COUNTRIES)
    attach(rows, "theme_names", _THEMES)
    for resource_id, language, title in TRANSLATED_TITLES.rows(rows):
        rows[resource_id].translations.append(TitleTranslation(language, title))
    return {pk: rows.get(pk) for pk in ids}


def attach(rows, attribute, links):
    """Append to the list `attribute` of each row in rows ({resource id: row}) what links
    (a core.byids.ByIds of a relation's rows, the resource's id first) reads for them: one
    value a link, or a tuple of several. One query."""
    for resource_id, *values in links.rows(rows):
        getattr(rows[resource_id], attribute).append(
            values[0] if len(values) == 1 else tuple(values)
        )
