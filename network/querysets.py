"""Querysets of the network's pages, each carrying the relations its page shows."""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q


def _published_resources():
    """Published resources, newest first, with what a list of them reads (their language
    too, which says whether a translated title is shown)."""
    from resources.models import Resource

    return (
        Resource.objects.published()
        .newest_first()
        .only("slug", "title", "language", "year", "date", "resource_type")
    )


class NewsQuerySet(models.QuerySet):
    def published(self):
        """News anyone may read."""
        return self.filter(status="published")

    def newest(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """Published news, newest first, with their organisation, countries and texts
        in other languages."""
        return (
            self.published()
            .newest()
            .select_related("organisation")
            .prefetch_related("countries", "translations")
            .defer("body")
        )

    def for_detail(self):
        """Published news with everything they link to (only published resources), and
        their own texts and their dialogues' and groups' in other languages."""
        return (
            self.published()
            .select_related("organisation")
            .prefetch_related(
                "translations",
                "countries",
                "themes",
                "dialogues__translations",
                "learning_groups__translations",
                Prefetch("resources", queryset=_published_resources(), to_attr="public_resources"),
            )
        )

    def for_page(self):
        """for_detail() with the translations of its resources' titles, which the page
        shows in the reader's language: one query the API, which names none, does without."""
        return self.for_detail().prefetch_related("public_resources__translations")

    def about(self, *, country=None, group=None, organisation=None):
        """Published news linked to a country, a learning group or an organisation."""
        queryset = self.for_listing()
        if country is not None:
            queryset = queryset.filter(countries=country)
        if group is not None:
            queryset = queryset.filter(learning_groups=group)
        if organisation is not None:
            queryset = queryset.filter(organisation=organisation)
        return queryset


def organisations_for_listing():
    """Every organisation with its country and how many published resources it owns or
    published (resource_count: the organisation facet's rule)."""
    from resources.models import Organisation

    return Organisation.objects.select_related("country").with_resource_count().order_by("name")


def organisation_resources(organisation):
    """Published resources owned or published by organisation, newest first, with their
    titles' translations."""
    return _published_resources().by_organisations([organisation.slug]).with_translations()


def organisation_groups(organisation):
    """Learning groups organisation convenes or is a member of, with their names in
    other languages."""
    from learning_groups.models import LearningGroup, Membership

    member = Membership.objects.filter(group=OuterRef("pk"), organisation=organisation)
    return (
        LearningGroup.objects.filter(Q(convenors=organisation) | Exists(member))
        .select_related("country")
        .prefetch_related("translations")
        .distinct()
        .order_by("name")
    )


def organisation_dialogues(organisation):
    """Dialogues organisation organised or convened, newest first, with their titles in
    other languages."""
    from dialogues.models import Dialogue

    return (
        Dialogue.objects.filter(Q(organisers=organisation) | Q(convenors=organisation))
        .select_related("country")
        .prefetch_related("translations")
        .distinct()
        .order_by("-starts_at", "title")
    )
