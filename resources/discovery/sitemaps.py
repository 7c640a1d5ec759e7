"""Sitemaps of the library: every published resource and every country profile."""

from django.db.models import Max, Q
from django.urls import reverse

from core.sitemaps import LanguageAlternatesSitemap
from resources.models import Country, Resource


class ResourceSitemap(LanguageAlternatesSitemap):
    """Published resources, last modified when their record last changed."""

    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class CountrySitemap(LanguageAlternatesSitemap):
    """Programme countries and every country the library holds resources about; a profile
    changes when one of its resources does."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        published = Q(resources__status=Resource.Status.PUBLISHED)
        return (
            Country.objects.annotate(last_resource=Max("resources__updated_at", filter=published))
            .filter(Q(is_programme_country=True) | Q(last_resource__isnull=False))
            .order_by("code")
        )

    def lastmod(self, item):
        return item.last_resource


class PageSitemap(LanguageAlternatesSitemap):
    """The hub's fixed pages, as fresh as the newest change in the library."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home", "resources:list", "country-list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if not hasattr(self, "_latest"):
            self._latest = Resource.objects.published().aggregate(latest=Max("updated_at"))[
                "latest"
            ]
        return self._latest
