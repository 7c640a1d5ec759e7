"""The library's filters, and their facet counts labelled for a page.

The valid filters become a state of the search backend's library (index()), which counts
each facet with every filter but its own (disjunctive faceting: the count beside a value
is what that value gives combined with the other active filters) and gives the count and
the pages; every filter also narrows a queryset (qs) by a subquery on the resource's
primary key, so filters compose without duplicate rows, for the feed and the alerts.
"""

from collections import OrderedDict

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from core.filters import (
    LenientMultipleChoiceField,
    LenientMultipleChoiceFilter,
    SearchFilter,
    canonical_params,
    ignored_notes,
)
from core.i18n import collation_key
from resources import labels, listing
from resources.models import (
    LANGUAGE_CHOICES,
    MAX_YEAR,
    MIN_YEAR,
    Commodity,
    Organisation,
    Resource,
    Theme,
)
from resources.querysets import with_narrower
from resources.search.backends import backend
from resources.search.highlight import Marker
from resources.search.version import per_version, per_version_lookup
from resources.sorts import LATEST_PUBLISHED

MAX_QUERY_LENGTH = 200
TOP_TAGS = 15
# A search matching at most this many documents is read by their ids (latest_published).
FEW_MATCHES = 5_000


class PublishedTagField(LenientMultipleChoiceField):
    """Tag slugs, known only when a published resource carries one: a tag used only on
    drafts is as unknown as one that does not exist, or guessing could confirm its name.
    Looks up the values asked for, in one query, rather than reading every tag."""

    def validate(self, value):
        # A NUL is in no tag, and PostgreSQL refuses it in a query: unknown, not looked up.
        asked = [v for v in value if "\x00" not in v]
        known = set(published_tag_slugs(asked)) if asked else set()
        self.rejected = [v for v in value if v not in known]


class PublishedTagFilter(django_filters.MultipleChoiceFilter):
    field_class = PublishedTagField


class YearFilter(django_filters.NumberFilter):
    """A whole year within the range the library accepts."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


def country_choices():
    """Every ISO country, named in the active language; read once per language. A list
    given as choices is deep-copied with every FilterSet and every form made from it:
    for 249 countries that was a visible part of a library page's time."""
    return list(labels.country_names().items())


def vocabulary_choices(model):
    """(slug, name) of every theme, commodity or organisation, in the model's order: read
    once per content version (every change to them bumps it)."""
    return per_version(
        f"choices:{model._meta.label}", lambda: list(model.objects.values_list("slug", "name"))
    )


def vocabulary_names(model):
    """{slug: name} of every theme, commodity or organisation (vocabulary_choices), kept
    alike."""
    return per_version(f"names:{model._meta.label}", lambda: dict(vocabulary_choices(model)))


def published_tag_slugs(slugs):
    """Those of slugs that tag at least one published resource: from the backend where it
    knows them without a query (the facet index: a varied load spent 5 % of the app's
    time in this lookup, a query per tag first met by each process and content version,
    docs/performance.md), else looked up and kept under the content version. An EXISTS
    per tag stops at its first published resource: joining all of a common tag's items to
    the published ids made the tag state several times slower (docs/performance.md)."""
    known = backend().published_values("tag", slugs)
    if known is not None:
        return known

    def read(asked):
        published = Resource.objects.published().filter(pk=OuterRef("object_id"))
        items = TaggedItem.objects.filter(
            tag_id=OuterRef("pk"), content_type=ContentType.objects.get_for_model(Resource)
        ).filter(Exists(published))
        used = Tag.objects.filter(slug__in=asked).filter(Exists(items))
        return dict.fromkeys(used.values_list("slug", flat=True), True)

    known = per_version_lookup("published tags", slugs, read)
    return [slug for slug in slugs if known[slug]]


def tag_names(slugs):
    """{slug: name} of the tags among slugs, kept under the content version like the
    other vocabularies' names."""
    names = per_version_lookup(
        "tag names",
        slugs,
        lambda asked: dict(Tag.objects.filter(slug__in=asked).values_list("slug", "name")),
    )
    return {slug: name for slug, name in names.items() if name is not None}


class ResourceFilter(django_filters.FilterSet):
    """Filters of /resources/, the Atom feed and the API: all plain GET parameters."""

    SORT_CHOICES = [
        ("relevance", _("Relevance")),
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
        ("title", _("Title A–Z")),
    ]

    q = SearchFilter(label=_("Search"), method="filter_q", max_length=MAX_QUERY_LENGTH, strip=True)
    country = LenientMultipleChoiceFilter(
        label=_("Country"),
        choices=country_choices,
        known=labels.country_names,
        method="filter_country",
        normalise=str.upper,
    )
    theme = LenientMultipleChoiceFilter(
        label=_("Theme"),
        choices=lambda: vocabulary_choices(Theme),
        known=lambda: vocabulary_names(Theme),
        method="filter_theme",
    )
    commodity = LenientMultipleChoiceFilter(
        label=_("Commodity"),
        choices=lambda: vocabulary_choices(Commodity),
        known=lambda: vocabulary_names(Commodity),
        method="filter_commodity",
    )
    type = LenientMultipleChoiceFilter(
        label=_("Type"),
        choices=lambda: Resource.Type.choices,
        known=labels.type_labels,
        field_name="resource_type",
    )
    language = LenientMultipleChoiceFilter(
        label=_("Language"),
        choices=lambda: LANGUAGE_CHOICES,
        known=labels.language_labels,
        field_name="language",
    )
    tag = PublishedTagFilter(label=_("Tag"), method="filter_tag", normalise=str.lower)
    organisation = LenientMultipleChoiceFilter(
        label=_("Organisation"),
        choices=lambda: vocabulary_choices(Organisation),
        known=lambda: vocabulary_names(Organisation),
        method="filter_organisation",
    )
    year_from = YearFilter(label=_("From year"), field_name="year", lookup_expr="gte")
    year_to = YearFilter(label=_("To year"), field_name="year", lookup_expr="lte")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Resource
        fields = []

    def get_form_class(self):
        """The form of these filters, made once per process and class: its fields depend on
        the declarations alone (choices and labels are read when used), where django-filter
        made a form class of eleven fields for every request (docs/performance.md). Each
        form still has its own copies of the fields."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_q(self, queryset, name, value):
        """Full-text search: the backend's (the index's words on PostgreSQL; every word
        anywhere in the title, summary, publisher, authors or tags on SQLite)."""
        return backend().matching(queryset, value)

    def filter_country(self, queryset, name, value: list[str]):
        return queryset.in_countries(value) if value else queryset

    def filter_theme(self, queryset, name, value: list[str]):
        return queryset.in_themes(value) if value else queryset

    def filter_commodity(self, queryset, name, value: list[str]):
        return queryset.in_commodities(self.commodities) if value else queryset

    def filter_tag(self, queryset, name, value: list[str]):
        return queryset.tagged(value) if value else queryset

    def filter_organisation(self, queryset, name, value: list[str]):
        return queryset.by_organisations(value) if value else queryset

    def filter_sort(self, queryset, name, value):
        # Ordering is applied by sorted_queryset(), after every filter.
        return queryset

    # -- results -----------------------------------------------------------------------

    @property
    def cleaned(self):
        """The valid part of the query string (invalid fields are left out)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - cleans the form
        return self.form.cleaned_data

    @property
    def sort_order(self):
        """The order in force: the requested one, else relevance for a search, else newest."""
        query = self.search_query
        value = self.cleaned.get("sort")
        if value == "relevance" and not query:
            value = None
        return value or ("relevance" if query else "newest")

    @cached_property
    def commodities(self):
        """The commodities asked for and those filed under them: a broader commodity also
        finds what is filed under the narrower ones."""
        return with_narrower(self.cleaned.get("commodity") or [])

    @property
    def search_query(self):
        return self.cleaned.get("q") or ""

    def sorted_queryset(self, count_with_facets=False, listed=False):
        """The filtered resources in the requested order, as a sequence a Paginator pages
        (Results). listed: a result list's page is ListedResources, not Resources
        (listing.py)."""
        return Results(self, self.sort_order, count_with_facets=count_with_facets, listed=listed)

    def latest_published(self):
        """The filtered resources, the latest published first (feeds). A search matching
        few documents is read by their ids, which the facet index knows: left to itself,
        PostgreSQL cannot tell how rare a word is across the nine readings of a search,
        and walks the publication-date index testing each document's text until it has
        a feed's worth, which for a rare word is most of the index (docs/performance.md)."""
        if self.search_query:
            index = self.index()
            if index.in_memory and index.count() <= FEW_MATCHES:
                ids = index.page_ids("newest", 0, FEW_MATCHES)
                return self.queryset.filter(pk__in=ids).order_by(*LATEST_PUBLISHED.order_by)
        return self.qs.order_by(*LATEST_PUBLISHED.order_by)

    def canonical_params(self):
        """The valid filters and search as sorted (name, value) pairs, without sort or page:
        one spelling per result set, for canonical links, feeds and saved alerts."""
        return canonical_params(self, skip=("sort",))

    # -- notes on what was ignored ------------------------------------------------------

    def ignored_notes(self):
        """What in the query string was ignored, and why, for a visible note."""
        return ignored_notes(self)

    # -- cached index reads ------------------------------------------------------------

    def cached(self, kind, compute):
        """compute(), kept by the backend under this page state while the library's
        content holds (where the backend keeps answers)."""
        return backend().cached(self.index(), kind, compute)

    def index(self):
        """The active filters as a state of the backend's library (one per request, so
        what it has computed is shared by the facets, the count and the page)."""
        if not hasattr(self, "_index"):
            self._index = self._build_index()
        return self._index

    def _build_index(self, without=None):
        data = self.cleaned
        filters = {
            name: data.get(name) or [] for name in ("country", "theme", "tag", "organisation")
        }
        filters["type"] = data.get("type") or []
        filters["language"] = data.get("language") or []
        filters["commodity"] = data.get("commodity") or []
        years = {name: data.get(name) for name in ("year_from", "year_to")}
        if without:
            name, value = without
            if name in years:
                years[name] = None
            else:
                filters[name] = [v for v in filters[name] if v != value]
        filters["commodity"] = with_narrower(filters["commodity"]) if without else self.commodities
        return backend().library(filters, q=self.search_query, top_tags=TOP_TAGS, **years)

    def count_without(self, name, value=None):
        """How many resources the page would list without one filter's value (or, for
        year_from and year_to, without the year): kept like the page's own count."""
        index = self._build_index(without=(name, value))
        return backend().cached(index, "count", index.count)

    def index_facets(self):
        """({facet: [(value, count)]}, total) from the backend, kept."""
        if not hasattr(self, "_index_facets"):
            self._index_facets = self.cached("facets", self.index().facet_counts)
        return self._index_facets

    def facet_counts(self):
        """Every facet's values with exact counts and labels, most frequent first: one
        statement, whichever the backend (kept under the content version on PostgreSQL)."""
        rows, _total = self.index_facets()
        labels = dict(self.value_labels)
        names = tag_names([value for value, _n in rows["tag"]])
        labels["tag"] = names.get
        facets = OrderedDict()
        for name in ("country", "theme", "commodity", "organisation", "type", "language"):
            items = [(value, labels[name](value) or value, n) for value, n in rows[name]]
            # Most frequent first; equal counts in the order of their labels in the
            # reader's language ("Estados Unidos" before "Tanzania" in Spanish).
            facets[name] = sorted(items, key=lambda item: (-item[2], collation_key(item[1])))
        facets["year"] = [
            (int(decade), _("%(decade)ss") % {"decade": decade}, n)
            for decade, n in sorted(rows["year"], key=lambda row: -int(row[0]))
        ]
        facets["tag"] = sorted(
            ((value, names.get(value, value), n) for value, n in rows["tag"]),
            key=lambda item: (-item[2], item[1]),
        )
        return facets

    @cached_property
    def value_labels(self):
        """{filter: function from a value to its label or None}, for facets and chips:
        the theme and commodity names read once per request."""
        return {
            "country": labels.country_names().get,
            "theme": vocabulary_names(Theme).get,
            "commodity": vocabulary_names(Commodity).get,
            "type": labels.type_labels().get,
            "language": labels.language_labels().get,
            "organisation": lambda value: self.organisation_names.get(value),
        }

    @cached_property
    def organisation_names(self):
        """{slug: name} of every organisation, read when a chip first needs one."""
        return vocabulary_names(Organisation)


class Results:
    """The sorted results of the library as a sequence a Paginator pages: the count comes
    with the facet statement when the page shows facets, a slice is a page of primary
    keys from the backend (kept), then the resources themselves (as the filterset's
    queryset gives them, or as a result list shows them) and, for a search, a
    highlighted snippet where the backend has them."""

    def __init__(self, filterset, sort, *, count_with_facets=False, listed=False):
        self.filterset = filterset
        self.sort = sort
        self.count_with_facets = count_with_facets
        self.listed = listed

    def count(self):
        """The number of results: from the facet statement when the page shows facets
        anyway, else from a count of its own."""
        if self.count_with_facets:
            return self.filterset.index_facets()[1]
        if not hasattr(self, "_count"):
            self._count = self.filterset.cached("count", self.filterset.index().count)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        offset = key.start or 0
        stop = key.stop if key.stop is not None else self.count()
        limit = max(stop - offset, 0)
        index = self.filterset.index()
        ids = self.filterset.cached(
            ["page", self.sort, offset, limit],
            lambda: index.page_ids(self.sort, offset, limit),
        )
        if self.listed:
            resources = listing.listed(ids, per_version("listed rows", OrderedDict))
        else:
            # The document text can weigh a megabyte per resource and no listing shows it.
            found = self.filterset.queryset.defer("full_text").in_bulk(ids)
            resources = [found[pk] for pk in ids if pk in found]
        query = self.filterset.search_query
        if query and resources:
            snippets = self.filterset.cached(
                ["snippets", ids], lambda: backend().snippets(ids, query)
            )
            marker = Marker(query)
            for resource in resources:
                resource.snippet = snippets.get(resource.pk, "")
                # Why it matched: the words found in its title and the themes they name.
                if marker.spans(resource.title, None):
                    resource.marked_title = marker.mark(resource.title, None)
                if self.listed:
                    resource.matched_themes = [
                        name for name in resource.theme_names if marker.spans(name, None)
                    ]
        return resources
