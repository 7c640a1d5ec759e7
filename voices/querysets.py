"""Querysets of voices, each carrying the relations its page shows."""

from django.db import models


class VoiceQuerySet(models.QuerySet):
    def published(self):
        """Only what curators published: the one gate of every public page, feed and API."""
        return self.filter(status="published")

    def for_listing(self):
        """Published voices with their country, commodity, group, dialogue and themes,
        newest first."""
        return (
            self.published()
            .select_related("country", "commodity", "learning_group", "dialogue")
            .prefetch_related("themes")
            .order_by("-published_at", "-pk")
        )

    def for_detail(self):
        """Published voices with everything the detail page shows, their group's and
        dialogue's names in other languages too."""
        return (
            self.for_listing()
            .select_related("meeting")
            .prefetch_related("learning_group__translations", "dialogue__translations")
        )
