"""Atom feed of the published voices: the same filters as /voices/, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from core.xmlsafe import SafeAtom1Feed

from .filters import VoiceFilter
from .models import Voice


class VoiceFeed(Feed):
    """/feeds/voices.atom?country=tz&role=miner…"""

    feed_type = SafeAtom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return VoiceFilter(request.GET, queryset=Voice.objects.for_listing())

    def title(self, filterset):
        return _("%(site)s: miners' voices") % {"site": settings.ASMHUB_SITE_NAME}

    def subtitle(self, filterset):
        return _("What miners and their communities want policy-makers to know.")

    def author_name(self, filterset):
        return settings.ASMHUB_SITE_NAME

    def _query(self):
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""

    def link(self, filterset):
        return reverse("voices:list") + self._query()

    def feed_url(self, filterset):
        return reverse("feeds:voices") + self._query()

    def feed_guid(self, filterset):
        return self.request.build_absolute_uri(self.feed_url(filterset))

    def items(self, filterset):
        return filterset.qs[: settings.ASMHUB_FEED_SIZE]

    def item_title(self, item):
        who = item.speaker or _("Anonymous")
        facts = [who, str(item.get_role_display()) if item.role else ""]
        facts.append(str(item.country.name) if item.country else "")
        return " · ".join(part for part in facts if part)

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


def voice_feed(request):
    """The feed view; a new Feed per request, since it keeps the request for absolute URLs."""
    return VoiceFeed()(request)
