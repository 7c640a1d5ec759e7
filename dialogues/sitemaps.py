"""Sitemap of the dialogues."""

from core.sitemaps import LanguageAlternatesSitemap

from .models import Dialogue


class DialogueSitemap(LanguageAlternatesSitemap):
    """Every dialogue (all are public), last modified when last saved."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Dialogue.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
