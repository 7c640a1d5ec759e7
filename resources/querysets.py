"""Querysets of the library, named for what the caller wants."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from resources.sorts import NEWEST

# A search reads at most this many of its words.
MAX_WORDS = 20


def with_narrower(commodities):
    """The commodity slugs and those of the commodities filed directly under them, sorted:
    a broader commodity includes the narrower ones."""
    from resources.models import Commodity

    if not commodities:
        return []
    narrower = Commodity.objects.filter(parent__slug__in=commodities).values_list("slug", flat=True)
    return sorted(set(commodities) | set(narrower))


def ordered_authors():
    """A resource's authors in their order, prefetched."""
    from resources.models import ResourceAuthor

    return Prefetch("authors", queryset=ResourceAuthor.objects.order_by("position", "pk"))


class ResourceQuerySet(models.QuerySet):
    def newest_first(self):
        """Latest publication year first; undated resources last."""
        return self.order_by(*NEWEST.order_by)

    def in_countries(self, codes):
        """Resources in any of the countries codes."""
        through = self.model.countries.through
        return self.filter(
            pk__in=through.objects.filter(country_id__in=codes).values("resource_id")
        )

    def in_themes(self, slugs):
        """Resources on any of the themes slugs."""
        through = self.model.themes.through
        return self.filter(
            pk__in=through.objects.filter(theme__slug__in=slugs).values("resource_id")
        )

    def in_commodities(self, slugs):
        """Resources filed under any of the commodities slugs, these exactly (a broader
        commodity's narrower ones come from with_narrower)."""
        through = self.model.commodities.through
        return self.filter(
            pk__in=through.objects.filter(commodity__slug__in=slugs).values("resource_id")
        )

    def tagged(self, slugs):
        """Resources carrying any of the tags slugs."""
        from taggit.models import TaggedItem

        return self.filter(
            pk__in=TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), tag__slug__in=slugs
            ).values("object_id")
        )

    def by_organisations(self, slugs):
        """Resources owned by, or published under the name of, any of the organisations
        slugs (the library's organisation facet)."""
        from resources.models import Organisation

        chosen = Organisation.objects.filter(slug__in=slugs)
        return self.filter(
            models.Q(owner__in=chosen.values("pk")) | models.Q(publisher__in=chosen.values("name"))
        )

    def with_words(self, text):
        """Resources with every word of text (its first MAX_WORDS) somewhere in the title,
        summary (or a translation of either), publisher, document text, an author's name
        or a tag: the search of a database with no index table."""
        from taggit.models import TaggedItem

        queryset = self
        for word in text.split()[:MAX_WORDS]:
            matches_author = self.model.authors.rel.related_model.objects.filter(
                name__icontains=word
            ).values("resource_id")
            matches_tag = TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                tag__name__icontains=word,
            ).values("object_id")
            matches_translation = self.model.translations.rel.related_model.objects.filter(
                Q(title__icontains=word) | Q(summary__icontains=word)
            ).values("resource_id")
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(publisher__icontains=word)
                | Q(full_text__icontains=word)
                | Q(pk__in=matches_author)
                | Q(pk__in=matches_tag)
                | Q(pk__in=matches_translation)
            )
        return queryset

    def published(self):
        """Resources the public may see: published ones only."""
        return self.filter(status="published")

    def for_listing(self):
        """Published resources with everything a result list shows, fetched in a fixed
        number of queries whatever the page size; not their documents' text, which can
        weigh 200 KB a resource and no list shows, nor their tags (with_tag_lists)."""
        return (
            self.published()
            .defer("full_text")
            .select_related("owner")
            .prefetch_related(ordered_authors(), "countries", "themes")
        )

    def with_translations(self):
        """These resources with their titles' translations, for a list that shows each
        title in the reader's language (templatetags/library.py, listed_title): one query."""
        return self.prefetch_related("translations")

    def with_tag_lists(self):
        """These resources with their tags read as a plain list each (tag_list, which
        Resource.listed_tags returns): a prefetch into taggit's manager builds a query
        per resource, which cost as much as the rest of a page of results."""
        return self.prefetch_related(Prefetch("tags", to_attr="tag_list"))

    def for_detail(self):
        """Published resources with every relation the detail page shows, their language
        versions and translated titles included."""
        return self.for_listing().prefetch_related(
            "tags", "commodities", "versions", "translations"
        )

    def withdrawn(self):
        """Resources taken out of the library: their URLs answer 410 Gone."""
        return self.filter(status="withdrawn")

    def for_citation(self):
        """Withdrawn resources with what their 410 page cites."""
        return self.withdrawn().prefetch_related(ordered_authors())

    def featured(self):
        """Published resources curators chose to feature."""
        return self.published().filter(is_featured=True)


class OrganisationQuerySet(models.QuerySet):
    def with_resource_count(self):
        """Organisations with resource_count: how many published resources each owns or
        has published under its name, each resource once (the rule of the library's
        organisation facet, by_organisations). The organisations' pages and the API both
        read it."""
        from resources.models import Resource

        count = (
            Resource.objects.published()
            .filter(Q(owner=OuterRef("pk")) | Q(publisher=OuterRef("name")))
            .order_by()
            .values(one=Value(1))
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            resource_count=Coalesce(Subquery(count, output_field=models.IntegerField()), 0)
        )
