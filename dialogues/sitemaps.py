"""Sitemap of the dialogues."""

from core.sitemaps import SavedRecordSitemap

from .models import Dialogue


class DialogueSitemap(SavedRecordSitemap):
    """Every dialogue (all are public), last modified when last saved."""

    model = Dialogue
    changefreq = "weekly"
    priority = 0.6
