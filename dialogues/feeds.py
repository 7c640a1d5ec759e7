"""Atom feed of the dialogues: the same filters as /dialogues/, latest start first (planned
dialogues lead), so a reader learns of new and changed dialogues."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.feeds import FilteredFeed
from core.translations import in_language

from .filters import DialogueFilter
from .models import Dialogue
from .templatetags.dialogues import date_span


class DialogueFeed(FilteredFeed):
    """/feeds/dialogues.atom?country=gh&scope=national…"""

    queryset = Dialogue.objects.for_listing()
    filterset_class = DialogueFilter
    page_url_name = "dialogues:list"
    feed_url_name = "feeds:dialogues"
    title_format = gettext_lazy("%(site)s: dialogues")
    subtitle = gettext_lazy("Multi-stakeholder dialogues on artisanal and small-scale mining.")

    def author_name(self, filterset):
        return settings.ASMHUB_SITE_NAME

    def items(self, filterset):
        return filterset.qs.order_by("-starts_at", "-pk")[: settings.ASMHUB_FEED_SIZE]

    def item_title(self, item):
        # In the language of the feed's link where the dialogue is translated into it.
        title = str(in_language(item, "title"))
        if item.status == Dialogue.Status.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": title}
        return title

    def item_description(self, item):
        where = ", ".join(part for part in (item.place, str(item.country or "")) if part)
        facts = " · ".join(part for part in (date_span(item), where) if part)
        summary = str(in_language(item, "summary"))
        return f"{facts}\n\n{summary}" if summary else facts

    def item_guid(self, item):
        # The calendar UID: stable even if the slug changes.
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


dialogue_feed = DialogueFeed.view()
