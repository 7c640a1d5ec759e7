"""A page of results as plain rows.

A result list shows a resource's title, authors, year, type, publisher, summary,
countries and themes. Read as model instances with their prefetched relations, twenty of
them cost the ORM 15–20 ms of Python a page; read as tuples, a quarter of that.
ListedResource shares with Resource the names the result template reads (ResultFields),
so the template lists either.
"""

from dataclasses import dataclass, field

from .models import Resource, ResourceAuthor, ResultFields

COLUMNS = ("pk", "slug", "title", "year", "resource_type", "publisher", "summary")


@dataclass(slots=True)
class ListedResource(ResultFields):
    pk: int
    slug: str
    title: str
    year: int | None
    resource_type: str
    publisher: str
    summary: str
    author_names: list = field(default_factory=list)
    country_codes: list = field(default_factory=list)
    theme_names: list = field(default_factory=list)
    snippet: str = ""


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
    found = list(rows)
    authors = ResourceAuthor.objects.filter(resource_id__in=found).order_by(
        "resource_id", "position", "pk"
    )
    for resource_id, name in authors.values_list("resource_id", "name"):
        rows[resource_id].author_names.append(name)
    countries = Resource.countries.through.objects.filter(resource_id__in=found)
    for resource_id, code in countries.order_by("country_id").values_list(
        "resource_id", "country_id"
    ):
        rows[resource_id].country_codes.append(code)
    themes = Resource.themes.through.objects.filter(resource_id__in=found)
    for resource_id, name in themes.order_by("theme__name").values_list(
        "resource_id", "theme__name"
    ):
        rows[resource_id].theme_names.append(name)
    return [rows[pk] for pk in ids if pk in rows]
