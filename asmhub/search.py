"""Site-wide search: one page, results grouped by kind.

Each kind registers a function that takes the visitor's text and a limit and returns a
SearchGroup; the resources of the library are one kind. Learning groups, dialogues and
outlooks plug in with one ``register(...)`` line each (see the bottom of this module).
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_countries import countries

KINDS = {}


@dataclass
class SearchGroup:
    """The first hits of one kind, how many there are, and where to see them all (a
    hit's title is its title_field, in the reader's language where it is translated)."""

    title: str
    count: int
    items: list = field(default_factory=list)
    more_url: str = ""
    template: str = "includes/_search_hit.html"
    title_field: str = "title"


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
    results = filterset.sorted_queryset(listed=True)
    return SearchGroup(
        title=_("Library resources"),
        count=results.count(),
        items=list(results[:limit]),
        more_url=reverse("resources:list") + "?" + urlencode({"q": text}),
        template="includes/_resource_item.html",
    )


def _matching(queryset, text, fields, country_field):
    """Rows where every word is in one of fields, in its translation into any language,
    or in the name of the row's country (country names live in django-countries, not in
    the database)."""
    translations = queryset.model.translations.rel.related_model
    for word in text.split()[:10]:
        codes = [code for code, name in countries if word.lower() in name.lower()]
        condition = Q(**{f"{country_field}__in": codes})
        translated = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
            if name in translations.translated_fields():
                translated |= Q(**{f"{name}__icontains": word})
        if translated:
            record_ids = translations.objects.filter(translated).values(translations.record_field)
            condition |= Q(pk__in=record_ids)
        queryset = queryset.filter(condition)
    return queryset


def _group(title, queryset, limit, more_url, title_field="title"):
    return SearchGroup(
        title=title,
        count=queryset.count(),
        items=list(queryset.prefetch_related("translations")[:limit]),
        more_url=more_url,
        title_field=title_field,
    )


def search_dialogues(text, limit):
    from dialogues.models import Dialogue

    found = _matching(Dialogue.objects.all(), text, ["title", "place", "summary"], "country")
    return _group(_("Dialogues"), found.order_by("-starts_at"), limit, reverse("dialogues:list"))


def search_learning_groups(text, limit):
    from learning_groups.models import LearningGroup

    found = _matching(LearningGroup.objects.all(), text, ["name", "description"], "country")
    return _group(
        _("Learning groups"),
        found.order_by("name"),
        limit,
        reverse("learning_groups:list"),
        title_field="name",
    )


def search_outlooks(text, limit):
    from learning_groups.models import OutlookReport

    found = _matching(OutlookReport.objects.select_related("country"), text, ["title"], "country")
    return _group(
        _("National ASM Outlooks"),
        found.order_by("-year", "country"),
        limit,
        reverse("learning_groups:outlooks"),
    )


register("resources", search_resources)
register("dialogues", search_dialogues)
register("learning_groups", search_learning_groups)
register("outlooks", search_outlooks)
