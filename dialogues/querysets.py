"""Querysets of dialogues, each carrying the relations its page shows."""

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone


class DialogueQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Dialogues not yet over (a cancelled one too, marked so), soonest first."""
        now = now or timezone.now()
        return self.filter(ends_at__gte=now).order_by("starts_at", "title")

    def past(self, now=None):
        """Dialogues that are over, latest first."""
        now = now or timezone.now()
        return self.filter(ends_at__lt=now).order_by("-starts_at", "title")

    def for_listing(self):
        """Dialogues with their country, learning group, themes and texts in other
        languages."""
        return self.select_related("country", "learning_group").prefetch_related(
            "themes", "translations"
        )

    def for_detail(self):
        """Dialogues with everything the detail page shows (their group's name in other
        languages too); documents are limited to published resources in the prefetch, so
        a draft can never appear."""
        from resources.models import ResourceAuthor

        from .models import DialogueDocument

        documents = (
            DialogueDocument.objects.filter(resource__status="published")
            .select_related("resource")
            .prefetch_related(
                Prefetch(
                    "resource__authors",
                    queryset=ResourceAuthor.objects.order_by("position", "pk"),
                )
            )
            .order_by("position", "pk")
        )
        return self.for_listing().prefetch_related(
            "organisers",
            "convenors",
            "learning_group__translations",
            "participation",
            "stages",
            Prefetch("documents", queryset=documents, to_attr="public_documents"),
        )

    def for_page(self):
        """for_detail() with the translations of its documents' titles, which the page
        shows in the reader's language: one query the API, which names none, does without."""
        return self.for_detail().prefetch_related("public_documents__resource__translations")
