"""Atom feed of the news: the same filters as /news/, the latest published first."""

import html

import nh3
from django.conf import settings
from django.utils.translation import gettext_lazy

from core.feeds import FilteredFeed
from core.translations import in_language

from .filters import NewsFilter
from .models import News


class NewsFeed(FilteredFeed):
    """/feeds/news.atom?country=tz&theme=mercury…"""

    queryset = News.objects.for_listing()
    filterset_class = NewsFilter
    page_url_name = "network:news-list"
    feed_url_name = "feeds:news"
    title_format = gettext_lazy("%(site)s: news")
    subtitle = gettext_lazy("News from the network on artisanal and small-scale mining.")

    def author_name(self, filterset):
        return settings.ASMHUB_SITE_NAME

    def items(self, filterset):
        return filterset.qs.defer(None)[: settings.ASMHUB_FEED_SIZE]

    def item_title(self, item):
        # In the language of the feed's link where the item is translated into it.
        return str(in_language(item, "title"))

    def item_description(self, item):
        # The sanitised text without its markup: the feed's summaries are plain text.
        body = str(in_language(item, "body_html"))
        return html.unescape(nh3.clean(body, tags=set())).strip()

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.organisation.name if item.organisation else None


news_feed = NewsFeed.view()
