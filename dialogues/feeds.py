"""Atom feed of the dialogues: the same filters as /dialogues/, latest start first (planned
dialogues lead), so a reader learns of new and changed dialogues."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from core.xmlsafe import SafeAtom1Feed

from .filters import DialogueFilter
from .models import Dialogue
from .templatetags.dialogues import date_span


class DialogueFeed(Feed):
    """/feeds/dialogues.atom?country=gh&scope=national…"""

    feed_type = SafeAtom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return DialogueFilter(request.GET, queryset=Dialogue.objects.for_listing())

    def title(self, filterset):
        return _("%(site)s: dialogues") % {"site": settings.ASMHUB_SITE_NAME}

    def subtitle(self, filterset):
        return _("Multi-stakeholder dialogues on artisanal and small-scale mining.")

    def author_name(self, filterset):
        return settings.ASMHUB_SITE_NAME

    def _query(self):
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""

    def link(self, filterset):
        return reverse("dialogues:list") + self._query()

    def feed_url(self, filterset):
        return reverse("feeds:dialogues") + self._query()

    def feed_guid(self, filterset):
        return self.request.build_absolute_uri(self.feed_url(filterset))

    def items(self, filterset):
        return filterset.qs.order_by("-starts_at", "-pk")[: settings.ASMHUB_FEED_SIZE]

    def item_title(self, item):
        if item.status == Dialogue.Status.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": item.title}
        return item.title

    def item_description(self, item):
        where = ", ".join(part for part in (item.place, str(item.country or "")) if part)
        facts = " · ".join(part for part in (date_span(item), where) if part)
        return f"{facts}\n\n{item.summary}" if item.summary else facts

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # The calendar UID: stable even if the slug changes.
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


def dialogue_feed(request):
    """The feed view; a new Feed per request, since it keeps the request for absolute URLs."""
    return DialogueFeed()(request)
