"""/sitemap.xml: one sitemap while every section fits the protocol's limit (50,000 URLs),
a sitemap index pointing to /sitemap-<section>.xml pages once one does not."""

from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max

from dialogues.models import Dialogue
from dialogues.sitemaps import DialogueSitemap
from learning_groups.models import LearningGroup, OutlookReport
from learning_groups.sitemaps import LearningGroupSitemap, OutlookSitemap
from network.models import News
from network.sitemaps import NewsSitemap, OrganisationSitemap
from resources.discovery.sitemaps import CountrySitemap, PageSitemap, ResourceSitemap
from voices.sitemaps import VoiceSitemap

# The programme's list pages, each as fresh as the newest change among the rows it lists.
PROGRAMME_PAGES = {
    "learning_groups:list": LearningGroup,
    "learning_groups:outlooks": OutlookReport,
    "dialogues:list": Dialogue,
    "network:news-list": News,
}


class HubPageSitemap(PageSitemap):
    """The library's fixed pages and the programme's list pages."""

    def items(self):
        return [*super().items(), *PROGRAMME_PAGES]

    def lastmod(self, item):
        model = PROGRAMME_PAGES.get(item)
        if model is None:
            return super().lastmod(item)
        return model.objects.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "pages": HubPageSitemap,
    "resources": ResourceSitemap,
    "countries": CountrySitemap,
    "learning-groups": LearningGroupSitemap,
    "outlooks": OutlookSitemap,
    "dialogues": DialogueSitemap,
    "voices": VoiceSitemap,
    "organisations": OrganisationSitemap,
    "news": NewsSitemap,
}


def sitemap(request):
    """The sitemap, or the sitemap index when a section needs more than one page."""
    if any(section().paginator.num_pages > 1 for section in SITEMAPS.values()):
        return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
    return sitemap_views.sitemap(request, SITEMAPS)


def section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
