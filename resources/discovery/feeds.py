"""Atom feed of the library: the newest published resources matching the same filters and
search as /resources/."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from core.xmlsafe import SafeAtom1Feed
from resources.discovery.records import records
from resources.filters import ResourceFilter
from resources.models import Resource
from resources.search.pagecache import version_cached_page


class ResourceFeed(Feed):
    """/feeds/resources.atom?country=gh&q=mercury…: newest published first."""

    feed_type = SafeAtom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return ResourceFilter(request.GET, queryset=Resource.objects.published())

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

    def link(self, filterset):
        query = self.request.GET.urlencode()
        return reverse("resources:list") + (f"?{query}" if query else "")

    def feed_url(self, filterset):
        query = self.request.GET.urlencode()
        return reverse("feeds:resources") + (f"?{query}" if query else "")

    def feed_guid(self, filterset):
        return self.request.build_absolute_uri(self.feed_url(filterset))

    def items(self, filterset):
        return records(filterset.latest_published()[: settings.ASMHUB_FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

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


@version_cached_page
def resource_feed(request):
    """The feed view; a new Feed per request, since it keeps the request for absolute URLs.
    Readers poll the same feed over and over: it is kept, like a library page, while the
    content version holds."""
    return ResourceFeed()(request)
