"""Atom feed of the news: the same filters as /news/, the latest published first."""

import html

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from core.xmlsafe import SafeAtom1Feed

from .filters import NewsFilter
from .models import News


class NewsFeed(Feed):
    """/feeds/news.atom?country=tz&theme=mercury…"""

    feed_type = SafeAtom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return NewsFilter(request.GET, queryset=News.objects.for_listing())

    def title(self, filterset):
        return _("%(site)s: news") % {"site": settings.ASMHUB_SITE_NAME}

    def subtitle(self, filterset):
        return _("News from the network on artisanal and small-scale mining.")

    def author_name(self, filterset):
        return settings.ASMHUB_SITE_NAME

    def _query(self):
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""

    def link(self, filterset):
        return reverse("network:news-list") + self._query()

    def feed_url(self, filterset):
        return reverse("feeds:news") + self._query()

    def feed_guid(self, filterset):
        return self.request.build_absolute_uri(self.feed_url(filterset))

    def items(self, filterset):
        return filterset.qs.defer(None)[: settings.ASMHUB_FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The sanitised text without its markup: the feed's summaries are plain text.
        return html.unescape(nh3.clean(item.body_html, tags=set())).strip()

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name if item.organisation else None


def news_feed(request):
    """The feed view; a new Feed per request, since it keeps the request for absolute URLs."""
    return NewsFeed()(request)
