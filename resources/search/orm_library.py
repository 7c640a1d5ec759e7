"""One state of the library page answered by the ORM from the library's own tables, where
there is no index table (SQLite): its count, its facet counts in one statement and its
pages, as library.LibraryIndex answers them from the index."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from resources.querysets import MAX_WORDS
from resources.sorts import NEWEST, SORTS

from .state import LibraryState

# The queryset method that narrows to the resources with any of a facet's values.
NARROW = {
    "country": "in_countries",
    "theme": "in_themes",
    "commodity": "in_commodities",
    "tag": "tagged",
    "organisation": "by_organisations",
}


class OrmLibrary(LibraryState):
    """A library state (see LibraryState) read with querysets."""

    def resources(self, without=None):
        """Published resources matching every filter but facet without's."""
        from resources.models import Resource

        queryset = Resource.objects.published()
        for name, values in self.filters.items():
            if name == without:
                continue
            if name in NARROW:
                queryset = getattr(queryset, NARROW[name])(values)
            elif name == "type":
                queryset = queryset.filter(resource_type__in=values)
            else:
                queryset = queryset.filter(language__in=values)
        if without != "year":
            if self.year_from is not None:
                queryset = queryset.filter(year__gte=self.year_from)
            if self.year_to is not None:
                queryset = queryset.filter(year__lte=self.year_to)
        if self.q:
            queryset = self.matching(queryset)
        return queryset

    def matching(self, queryset):
        """The resources of queryset the search finds: each word somewhere (with_words)."""
        return queryset.with_words(self.q)

    def count(self):
        return self.resources().count()

    def facet_counts(self):
        """{facet: [(value, count), …]} and the total, from one statement (a UNION ALL of
        a grouped count per facet); the top tags chosen as the SQL chooses them."""
        from resources.models import Resource

        def ids(without):
            return self.resources(without).values("pk")

        def counted(queryset, name, value, counted_field):
            return (
                queryset.annotate(
                    facet=Value(name, output_field=CharField()),
                    value=Cast(value, output_field=CharField()),
                )
                .values("facet", "value")
                .annotate(n=Count(counted_field, distinct=True))
                .values_list("facet", "value", "n")
                .order_by()
            )

        through = {
            "country": (Resource.countries.through, F("country_id")),
            "theme": (Resource.themes.through, F("theme__slug")),
            "commodity": (Resource.commodities.through, F("commodity__slug")),
        }
        parts = [
            counted(model.objects.filter(resource_id__in=ids(name)), name, value, "resource_id")
            for name, (model, value) in through.items()
        ]
        parts.append(organisation_counts(ids("organisation")))
        from taggit.models import TaggedItem

        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Resource), object_id__in=ids("tag")
        )
        parts.append(counted(tagged, "tag", F("tag__slug"), "object_id"))
        for name, column in (("type", "resource_type"), ("language", "language")):
            parts.append(counted(Resource.objects.filter(pk__in=ids(name)), name, F(column), "pk"))
        dated = Resource.objects.filter(pk__in=ids("year"), year__isnull=False)
        parts.append(counted(dated, "year", F("year") / 10 * 10, "pk"))
        everything = Resource.objects.filter(pk__in=ids(None))
        parts.append(counted(everything, "total", Value(""), "pk"))
        facets = {
            name: [] for name in (*through, "tag", "organisation", "type", "language", "year")
        }
        total = 0
        for name, value, n in parts[0].union(*parts[1:], all=True):
            if name == "total":
                total = n
            else:
                facets[name].append((value, n))
        top = sorted(facets["tag"], key=lambda item: (-item[1], item[0]))
        facets["tag"] = top[: self.top_tags]
        return facets, total

    def page_ids(self, sort, offset, limit):
        """Primary keys of one page of results in the order sort asks for; relevance:
        the resources with every word in their title first, then the newest."""
        queryset = self.resources()
        if sort == "relevance" and self.q:
            in_title = Q()
            for word in self.q.split()[:MAX_WORDS]:
                in_title &= Q(title__icontains=word)
            queryset = queryset.alias(
                in_title=Case(When(in_title, then=Value(1)), default=Value(0))
            ).order_by("-in_title", *NEWEST.order_by)
        else:
            queryset = queryset.order_by(*SORTS.get(sort, NEWEST).order_by)
        return list(queryset.values_list("pk", flat=True)[offset : offset + limit])


def organisation_counts(ids):
    """(facet, organisation slug, count) rows: the resources among ids each organisation
    owns or published, each resource counted once however it is linked."""
    from resources.models import Organisation, Resource

    linked = (
        Resource.objects.filter(pk__in=ids)
        .filter(Q(owner=OuterRef("pk")) | Q(publisher=OuterRef("name")))
        .order_by()
        .values(one=Value(1))
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Organisation.objects.annotate(
            facet=Value("organisation", output_field=CharField()),
            value=F("slug"),
            n=Subquery(linked, output_field=IntegerField()),
        )
        .filter(n__gt=0)
        .values_list("facet", "value", "n")
        .order_by()
    )
