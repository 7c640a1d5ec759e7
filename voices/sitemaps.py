"""Sitemap of the published voices and their list page."""

from django.urls import reverse

from core.sitemaps import LanguageAlternatesSitemap

from .models import Voice


class VoiceSitemap(LanguageAlternatesSitemap):
    """The voice list, then every published voice (never one waiting, rejected or
    withdrawn), last modified when last saved."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return ["voices:list", *Voice.objects.published().only("pk", "updated_at").order_by("pk")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at
