"""An Atom feed of a list page: the page's FilterSet bound to the feed's query string."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from core.xmlsafe import SafeAtom1Feed


class FilteredFeed(Feed):
    """An Atom feed (xml_safe throughout) whose object is filterset_class bound to the
    request's query over queryset; the page it mirrors (page_url_name) and the feed
    itself (feed_url_name) are linked with the same query, the feed's id is its absolute
    URL, and each entry links to its record's page and says when it was last saved. Its
    title is title_format with the site's name. The request is kept, so a feed serves one
    request: view() is the view that makes one for each."""

    feed_type = SafeAtom1Feed
    queryset = filterset_class = None
    page_url_name = feed_url_name = None
    title_format = None  # a lazy "%(site)s: …"

    @classmethod
    def view(cls):
        """The feed's view: a new feed for each request."""

        def view(request):
            return cls()(request)

        return view

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.filterset_class(request.GET, queryset=self.queryset.all())

    def _with_query(self, url):
        query = self.request.GET.urlencode()
        return url + (f"?{query}" if query else "")

    def title(self, filterset):
        return self.title_format % {"site": settings.ASMHUB_SITE_NAME}

    def link(self, filterset):
        return self._with_query(reverse(self.page_url_name))

    def feed_url(self, filterset):
        return self._with_query(reverse(self.feed_url_name))

    def feed_guid(self, filterset):
        return self.request.build_absolute_uri(self.feed_url(filterset))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_updateddate(self, item):
        return item.updated_at
