"""Querysets of the library, named for what the caller wants."""

from django.db import models
from django.db.models import Count, F, Prefetch, Q

NEWEST_FIRST = (F("year").desc(nulls_last=True), F("date").desc(nulls_last=True), "title", "pk")


def ordered_authors():
    """A resource's authors in their order, prefetched."""
    from resources.models import ResourceAuthor

    return Prefetch("authors", queryset=ResourceAuthor.objects.order_by("position", "pk"))


class ResourceQuerySet(models.QuerySet):
    def newest_first(self):
        """Latest publication year first; undated resources last."""
        return self.order_by(*NEWEST_FIRST)

    def published(self):
        """Resources the public may see: published ones only."""
        return self.filter(status="published")

    def for_listing(self):
        """Published resources with everything a result list shows, fetched in a fixed
        number of queries whatever the page size; not their documents' text, which can
        weigh 200 KB a resource and no list shows, nor their tags (with_tag_lists)."""
        return (
            self.published()
            .defer("full_text")
            .select_related("owner")
            .prefetch_related(ordered_authors(), "countries", "themes")
        )

    def with_tag_lists(self):
        """These resources with their tags read as a plain list each (tag_list, which
        Resource.listed_tags returns): a prefetch into taggit's manager builds a query
        per resource, which cost as much as the rest of a page of results."""
        return self.prefetch_related(Prefetch("tags", to_attr="tag_list"))

    def for_detail(self):
        """Published resources with every relation the detail page shows, their language
        versions included."""
        return self.for_listing().prefetch_related("tags", "commodities", "versions")

    def withdrawn(self):
        """Resources taken out of the library: their URLs answer 410 Gone."""
        return self.filter(status="withdrawn")

    def for_citation(self):
        """Withdrawn resources with what their 410 page cites."""
        return self.withdrawn().prefetch_related(ordered_authors())

    def featured(self):
        """Published resources curators chose to feature."""
        return self.published().filter(is_featured=True)

    def related_to(self, resource, limit=5):
        """Other published resources sharing the most countries, themes and tags with
        resource, newest first among equals."""
        country_ids = [c.pk for c in resource.countries.all()]
        theme_ids = [t.pk for t in resource.themes.all()]
        tag_ids = [t.pk for t in resource.tags.all()]
        shared = (
            Count("countries", filter=Q(countries__in=country_ids), distinct=True)
            + Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
            + Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
        )
        candidates = self.model.objects.filter(
            Q(countries__in=country_ids) | Q(themes__in=theme_ids) | Q(tags__in=tag_ids)
        ).values("pk")
        return (
            self.published()
            .exclude(pk=resource.pk)
            .filter(pk__in=candidates)
            .annotate(shared=shared)
            .order_by("-shared", *NEWEST_FIRST)
            .only("slug", "title", "year", "resource_type")[:limit]
        )
