"""Atom feed of the published voices: the same filters as /voices/, newest first."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.feeds import FilteredFeed

from .filters import VoiceFilter
from .models import Voice


class VoiceFeed(FilteredFeed):
    """/feeds/voices.atom?country=tz&role=miner…"""

    queryset = Voice.objects.for_listing()
    filterset_class = VoiceFilter
    page_url_name = "voices:list"
    feed_url_name = "feeds:voices"
    title_format = gettext_lazy("%(site)s: miners' voices")
    subtitle = gettext_lazy("What miners and their communities want policy-makers to know.")

    def author_name(self, filterset):
        return settings.ASMHUB_SITE_NAME

    def items(self, filterset):
        return filterset.qs[: settings.ASMHUB_FEED_SIZE]

    def item_title(self, item):
        who = item.speaker or _("Anonymous")
        facts = [who, str(item.get_role_display()) if item.role else ""]
        facts.append(str(item.country.name) if item.country else "")
        return " · ".join(part for part in facts if part)

    def item_description(self, item):
        return item.text

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


voice_feed = VoiceFeed.view()
