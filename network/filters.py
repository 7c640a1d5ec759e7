"""The filters of /organisations/ (with facet counts like the library's) and /news/."""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.filters import LenientMultipleChoiceFilter, SearchFilter
from resources.filters import country_choices
from resources.models import Organisation, Theme

from .models import News

PARTNER_CHOICES = [("yes", _("Programme partners")), ("no", _("Other organisations"))]
MAX_QUERY_LENGTH = 200


class OrganisationFilter(django_filters.FilterSet):
    """Narrow organisations by a search of name and acronym, country (ISO2, any case),
    kind and whether they are programme partners; each repeatable (OR within, AND across)."""

    q = SearchFilter(label=_("Search"), method="filter_q", max_length=MAX_QUERY_LENGTH, strip=True)
    country = LenientMultipleChoiceFilter(
        label=_("Country"), choices=country_choices, field_name="country", normalise=str.upper
    )
    kind = LenientMultipleChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, field_name="kind"
    )
    partner = LenientMultipleChoiceFilter(
        label=_("Partner"), choices=PARTNER_CHOICES, method="filter_partner"
    )

    FACETS = {"country": "country_id", "kind": "kind", "partner": "is_partner"}

    class Meta:
        model = Organisation
        fields = []

    def filter_q(self, queryset, name, value):
        condition = Q()
        for word in value.split()[:10]:
            condition &= Q(name__icontains=word) | Q(acronym__icontains=word)
        return queryset.filter(condition)

    def filter_partner(self, queryset, name, value):
        if not value or set(value) == {"yes", "no"}:
            return queryset
        return queryset.filter(is_partner=value[0] == "yes")

    def facet_counts(self):
        """{facet: [(value, count)]}: each facet counted with every filter but its own,
        one grouped statement a facet."""
        self.errors  # noqa: B018 - cleans the form
        data = self.form.cleaned_data
        counts = {}
        for facet, column in self.FACETS.items():
            queryset = Organisation.objects.all()
            for name, value in data.items():
                if name != facet and value:
                    queryset = self.filters[name].filter(queryset, value)
            rows = (
                queryset.exclude(**{f"{column}__isnull": True})
                .exclude(**{column: ""} if column != "is_partner" else {})
                .values_list(column)
                .annotate(n=Count("pk"))
                .order_by()
            )
            if facet == "partner":
                rows = [("yes" if value else "no", n) for value, n in rows]
            elif facet == "country":
                rows = [(value.lower(), n) for value, n in rows]
            counts[facet] = sorted(rows, key=lambda row: (-row[1], row[0]))
        return counts


class NewsFilter(django_filters.FilterSet):
    """Narrow published news by country (ISO2, any case) and theme, each repeatable."""

    country = LenientMultipleChoiceFilter(
        label=_("Country"), choices=country_choices, method="filter_country", normalise=str.upper
    )
    theme = LenientMultipleChoiceFilter(
        label=_("Theme"),
        choices=lambda: list(Theme.objects.values_list("slug", "name")),
        method="filter_theme",
    )

    class Meta:
        model = News
        fields = []

    def filter_country(self, queryset, name, value: list[str]):
        if not value:
            return queryset
        through = News.countries.through
        return queryset.filter(
            pk__in=through.objects.filter(country_id__in=value).values("news_id")
        )

    def filter_theme(self, queryset, name, value: list[str]):
        if not value:
            return queryset
        through = News.themes.through
        return queryset.filter(
            pk__in=through.objects.filter(theme__slug__in=value).values("news_id")
        )
