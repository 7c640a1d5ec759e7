"""The filters of /dialogues/ (and of the calendar, which takes the same parameters)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries

from core.filters import LenientMultipleChoiceFilter
from resources.filters import YearFilter
from resources.models import Theme

from .models import Dialogue


def theme_choices():
    """Only the themes some dialogue is about."""
    return list(
        Theme.objects.filter(dialogues__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )


class DialogueFilter(django_filters.FilterSet):
    """Scope, country (ISO2, any case), theme (slug) and year of the start, each repeatable
    but year; unknown values are dropped and reported, never an error page."""

    scope = LenientMultipleChoiceFilter(
        label=_("Scope"), choices=Dialogue.Scope.choices, field_name="scope"
    )
    country = LenientMultipleChoiceFilter(
        label=_("Country"), choices=list(iso_countries), field_name="country", normalise=str.upper
    )
    theme = LenientMultipleChoiceFilter(
        label=_("Theme"), choices=theme_choices, method="filter_theme", normalise=str.lower
    )
    year = YearFilter(label=_("Year"), field_name="starts_at", lookup_expr="year")

    class Meta:
        model = Dialogue
        fields = []

    def filter_theme(self, queryset, name, value: list[str]):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Dialogue.themes.through.objects.filter(theme__slug__in=value).values(
                "dialogue_id"
            )
        )
