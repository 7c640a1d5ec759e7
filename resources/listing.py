"""A page of results as plain rows.

A result list shows a resource's title, authors, year, type, publisher, summary,
language, its file's format and size or its external link, countries and themes. Read
as model instances with their prefetched relations, twenty of them cost the ORM most of
a page's Python time; read as tuples, a fraction of it (docs/performance.md).
ListedResource shares with Resource the names the result template reads (ResultFields),
so the template lists either.
"""

from dataclasses import dataclass, field

from resources.models import Resource, ResourceAuthor, ResultFields

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
    snippet: str = ""
    marked_title: str = ""
    matched_themes: list = field(default_factory=list)


def listed(ids):
    """The published resources among ids as ListedResources, in the order of ids: four
    queries whatever their number. Relations come in the order their models give
    (authors by position, countries by code, themes by name)."""
    if not ids:
        return []
    rows = {
        row[0]: ListedResource(*row)
        for row in Resource.objects.published().filter(pk__in=ids).values_list(*COLUMNS)
    }
    authors = ResourceAuthor.objects.order_by("position", "pk")
    countries = Resource.countries.through.objects.order_by("country_id")
    themes = Resource.themes.through.objects.order_by("theme__name")
    attach(rows, "author_names", authors, "name")
    attach(rows, "country_codes", countries, "country_id")
    attach(rows, "theme_names", themes, "theme__name")
    return [rows[pk] for pk in ids if pk in rows]


def attach(rows, attribute, links, *fields, key="resource_id"):
    """Append to the list `attribute` of each row in rows ({resource id: row}) the fields
    of its links (an ordered queryset of a relation's rows, which name the resource by
    key): one value a link, or a tuple of several fields. One query."""
    links = links.filter(**{f"{key}__in": list(rows)}).values_list(key, *fields)
    for resource_id, *values in links:
        getattr(rows[resource_id], attribute).append(
            values[0] if len(values) == 1 else tuple(values)
        )
