"""Querysets of learning groups and Outlooks, each carrying the relations its page shows.

Resources reached from here (outputs, meeting documents) are filtered to published ones in
the prefetch itself, so no template can show a draft by mistake.
"""

from django.db import models
from django.db.models import Count, Prefetch


def _published_resources():
    from resources.models import Resource

    return Resource.objects.published().newest_first()


class LearningGroupQuerySet(models.QuerySet):
    def for_listing(self):
        """Groups with their country, convenors, texts in other languages and member
        and meeting counts."""
        return (
            self.select_related("country")
            .prefetch_related("convenors", "translations")
            .annotate(
                member_count=Count("memberships", distinct=True),
                meeting_count=Count("meetings", distinct=True),
            )
            .order_by("name")
        )

    def for_detail(self):
        """Groups with members, meetings (and their published documents) and published
        outputs, and its texts in other languages, in a fixed number of queries."""
        from .models import Meeting, Membership

        return self.select_related("country").prefetch_related(
            "convenors",
            "translations",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation").order_by(
                    "role", "stakeholder_group", "organisation__name", "pk"
                ),
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.order_by("-date", "pk").prefetch_related(
                    Prefetch(
                        "documents", queryset=_published_resources(), to_attr="public_documents"
                    )
                ),
            ),
            Prefetch("outputs", queryset=_published_resources(), to_attr="public_outputs"),
        )

    def for_page(self):
        """for_detail() with the translations of the titles the page lists (its meetings'
        documents and its outputs, each shown in the reader's language): two queries the
        API, which names no translated title, does without."""
        return self.for_detail().prefetch_related(
            "meetings__public_documents__translations", "public_outputs__translations"
        )


class OutlookReportQuerySet(models.QuerySet):
    def with_indicators(self):
        """Outlooks with their country, document and indicators, newest first."""
        return (
            self.select_related("country", "document")
            .prefetch_related("indicators")
            .order_by("-year", "country")
        )

    def for_reading(self):
        """Outlooks as their pages and the API show them: with_indicators(), and their
        titles and summaries in other languages."""
        return self.with_indicators().prefetch_related("translations")

    def years(self):
        """The years some Outlook covers, newest first."""
        return list(self.order_by("-year").values_list("year", flat=True).distinct())


class OutlookIndicatorQuerySet(models.QuerySet):
    def for_comparison(self, *, year, indicator):
        """The given indicator of every Outlook of the given year, with its country."""
        return self.filter(report__year=year, indicator=indicator).select_related("report__country")
