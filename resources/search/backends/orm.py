"""The backend of a database with no index table (SQLite, the embedded database of small
libraries): library states, searches and related resources answered with querysets of
the library's own tables, counted afresh every time; no snippets, no suggestions."""

from django.db.models import Count, Q

from resources.sorts import NEWEST

from ..orm_library import OrmLibrary
from .base import SearchBackend


class OrmBackend(SearchBackend):
    def library(self, filters, **options):
        return OrmLibrary(filters, **options)

    def matching(self, queryset, text):
        return queryset.with_words(text)

    def related(self, resource, limit=5):
        """Scored among every published resource sharing a country, theme or tag: a small
        library has few."""
        from resources.models import Resource

        country_ids = [c.pk for c in resource.countries.all()]
        theme_ids = [t.pk for t in resource.themes.all()]
        tag_ids = [t.pk for t in resource.tags.all()]
        shared = (
            Count("countries", filter=Q(countries__in=country_ids), distinct=True)
            + Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
            + Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
        )
        candidates = Resource.objects.filter(
            Q(countries__in=country_ids) | Q(themes__in=theme_ids) | Q(tags__in=tag_ids)
        ).values("pk")
        return (
            Resource.objects.published()
            .exclude(pk=resource.pk)
            .filter(pk__in=candidates)
            .annotate(shared=shared)
            .order_by("-shared", *NEWEST.order_by)
            .only("slug", "title", "language", "year", "resource_type")
            .with_translations()[:limit]
        )
