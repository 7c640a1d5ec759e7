"""Atom feed of the library: the newest published resources matching the same filters and
search as /resources/."""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.feeds import FilteredFeed
from resources.discovery.records import records
from resources.filters import ResourceFilter
from resources.models import Resource
from resources.search.pagecache import version_cached_page


class ResourceFeed(FilteredFeed):
    """/feeds/resources.atom?country=gh&q=mercury…: newest published first."""

    queryset = Resource.objects.published()
    filterset_class = ResourceFilter
    page_url_name = "resources:list"
    feed_url_name = "feeds:resources"

    def title(self, filterset):
        query = filterset.search_query
        if query:
            return _("%(site)s: “%(query)s” in the library") % {
                "site": settings.ASMHUB_SITE_NAME,
                "query": query,
            }
        return _("%(site)s: new resources") % {"site": settings.ASMHUB_SITE_NAME}

    def subtitle(self, filterset):
        return _("Resources on artisanal and small-scale mining, newest first.")

    def items(self, filterset):
        return records(filterset.latest_published()[: settings.ASMHUB_FEED_SIZE])

    def item_title(self, item):
        # In the language of the feed's link where the title is translated into it (a
        # translation is never in the resource's own language: ResourceTranslation.clean).
        return dict(item.translated_titles).get(get_language()) or item.title

    def item_description(self, item):
        return item.summary

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return "; ".join(item.author_names) or item.publisher or None

    def item_categories(self, item):
        return item.keywords

    def item_enclosure_url(self, item):
        return self.request.build_absolute_uri(item.get_download_url()) if item.file else None

    def item_enclosure_length(self, item):
        return item.file_size or 0

    def item_enclosure_mime_type(self, item):
        return item.content_type


# Readers poll the same feed over and over: it is kept, like a library page, while the
# content version holds.
resource_feed = version_cached_page(ResourceFeed.view())
