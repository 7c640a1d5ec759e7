"""The filters and facet counts of /voices/ (the feed and the API take the same)."""

from urllib.parse import urlencode

import django_filters
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries

from core.filters import LenientMultipleChoiceFilter, canonical_params
from resources.labels import country_name
from resources.models import Commodity, Theme

from .models import Voice


def _slug_choices(model):
    """Only the terms some published voice carries."""
    return lambda: list(
        model.objects.filter(voices__status=Voice.Status.PUBLISHED)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )


class VoiceFilter(django_filters.FilterSet):
    """Country (ISO2, any case), commodity, theme (slugs), role, learning group and
    dialogue (slugs), each repeatable; unknown values are dropped and reported."""

    country = LenientMultipleChoiceFilter(
        label=_("Country"), choices=list(iso_countries), field_name="country", normalise=str.upper
    )
    commodity = LenientMultipleChoiceFilter(
        label=_("Commodity"),
        choices=_slug_choices(Commodity),
        field_name="commodity__slug",
        normalise=str.lower,
    )
    theme = LenientMultipleChoiceFilter(
        label=_("Theme"), choices=_slug_choices(Theme), method="filter_theme", normalise=str.lower
    )
    role = LenientMultipleChoiceFilter(
        label=_("Role"), choices=Voice.Role.choices, field_name="role"
    )
    learning_group = django_filters.CharFilter(
        label=_("Learning group"), field_name="learning_group__slug", max_length=200
    )
    dialogue = django_filters.CharFilter(
        label=_("Dialogue"), field_name="dialogue__slug", max_length=200
    )

    class Meta:
        model = Voice
        fields = []

    def filter_theme(self, queryset, name, value: list[str]):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Voice.themes.through.objects.filter(theme__slug__in=value).values("voice_id")
        )

    def filtered_except(self, skip):
        """The voices every filter but skip selects: what a facet counts over."""
        self.errors  # noqa: B018 - cleans the form
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facets(self, base_path):
        """Country, commodity, theme and role facets: each value with the number of
        voices it would select under the other filters, and a link that toggles it. Four
        queries whatever the data."""
        params = canonical_params(self)
        selected = {(name, value.lower()) for name, value in params}

        def link(name, value):
            value = value.lower() if name == "country" else value
            key = (name, value.lower())
            pairs = [p for p in params if (p[0], p[1].lower()) != key]
            if key not in selected:
                pairs.append((name, value))
            pairs.sort()
            return base_path + (f"?{urlencode(pairs)}" if pairs else "")

        def items(name, rows, label):
            found = [
                {
                    "label": label(row),
                    "count": row["n"],
                    "url": link(name, str(row["value"])),
                    "selected": (name, str(row["value"]).lower()) in selected,
                }
                for row in rows
                if row["value"]
            ]
            return sorted(found, key=lambda item: (-item["count"], str(item["label"])))

        def counted(name, field, *extra):
            return (
                self.filtered_except(name)
                .values(value=F(field), **{f"extra{i}": F(e) for i, e in enumerate(extra)})
                .annotate(n=Count("pk", distinct=True))
                .order_by()
            )

        roles = dict(Voice.Role.choices)
        return [
            {
                "name": "country",
                "title": _("Country"),
                "items": items(
                    "country",
                    counted("country", "country_id"),
                    lambda row: country_name(row["value"]),
                ),
            },
            {
                "name": "commodity",
                "title": _("Commodity"),
                "items": items(
                    "commodity",
                    counted("commodity", "commodity__slug", "commodity__name"),
                    lambda row: row["extra0"],
                ),
            },
            {
                "name": "theme",
                "title": _("Theme"),
                "items": items(
                    "theme",
                    counted("theme", "themes__slug", "themes__name"),
                    lambda row: row["extra0"],
                ),
            },
            {
                "name": "role",
                "title": _("Role"),
                "items": items("role", counted("role", "role"), lambda row: roles[row["value"]]),
            },
        ]
