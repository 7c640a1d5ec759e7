"""Sitemaps of the learning groups and of each country's Outlook page."""

from django.db.models import Max
from django.urls import reverse

from core.sitemaps import LanguageAlternatesSitemap, SavedRecordSitemap
from resources.models import Country

from .models import LearningGroup


class LearningGroupSitemap(SavedRecordSitemap):
    """Every learning group (all are public), last modified when last saved."""

    model = LearningGroup
    changefreq = "monthly"
    priority = 0.6


class OutlookSitemap(LanguageAlternatesSitemap):
    """/outlooks/<iso2>/ of every country with an Outlook, as fresh as its newest change."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Country.objects.filter(outlooks__isnull=False)
            .annotate(last_outlook=Max("outlooks__updated_at"))
            .order_by("code")
        )

    def location(self, item):
        return reverse("learning_groups:outlook-country", args=[item.slug])

    def lastmod(self, item):
        return item.last_outlook
