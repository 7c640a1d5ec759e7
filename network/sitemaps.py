"""Sitemaps of the organisations and the published news."""

from core.sitemaps import LanguageAlternatesSitemap
from resources.models import Organisation

from .models import News


class OrganisationSitemap(LanguageAlternatesSitemap):
    """Every organisation (all are public)."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Organisation.objects.only("slug").order_by("pk")


class NewsSitemap(LanguageAlternatesSitemap):
    """Every published news item, last modified when last saved."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return News.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
