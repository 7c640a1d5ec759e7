"""Site-wide search: one page, results grouped by kind.

Each kind registers a function that takes the visitor's text and a limit and returns a
SearchGroup; the resources of the library are one kind. Learning groups, dialogues and
outlooks plug in with one ``register(...)`` line each (see the bottom of this module).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

KINDS = {}


@dataclass
class SearchGroup:
    """The first hits of one kind, how many there are, and where to see them all."""

    title: str
    count: int
    items: list = field(default_factory=list)
    more_url: str = ""
    template: str = "includes/_search_hit.html"


def register(key, searcher):
    """Add a kind to the site-wide search: searcher(text, limit) -> SearchGroup."""
    KINDS[key] = searcher


def search_all(text, limit=5):
    """Every registered kind's group for text, in registration order, empty ones too."""
    return [(key, searcher(text, limit)) for key, searcher in KINDS.items()]


def search_resources(text, limit):
    """Published resources, in the library's own relevance order, with snippets."""
    from resources.filters import ResourceFilter
    from resources.models import Resource

    filterset = ResourceFilter({"q": text}, queryset=Resource.objects.for_listing())
    results = filterset.sorted_queryset()
    return SearchGroup(
        title=_("Library resources"),
        count=results.count(),
        items=list(results[:limit]),
        more_url=reverse("resources:list") + "?" + urlencode({"q": text}),
        template="includes/_resource_item.html",
    )


register("resources", search_resources)
# At merge: register("dialogues", …), register("learning_groups", …), register("outlooks", …)
