"""The filters of /learning-groups/."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries

from core.filters import LenientMultipleChoiceFilter
from resources.filters import YearFilter

from .models import LearningGroup, OutlookReport


class LearningGroupFilter(django_filters.FilterSet):
    """Narrow the learning groups by country (ISO2, any case) and status."""

    country = LenientMultipleChoiceFilter(
        label=_("Country"), choices=list(iso_countries), field_name="country", normalise=str.upper
    )
    status = LenientMultipleChoiceFilter(
        label=_("Status"), choices=LearningGroup.Status.choices, field_name="status"
    )

    class Meta:
        model = LearningGroup
        fields = []


class OutlookFilter(django_filters.FilterSet):
    """Narrow the Outlooks by country (ISO2, any case, repeatable) and year (the API's)."""

    country = LenientMultipleChoiceFilter(
        label=_("Country"), choices=list(iso_countries), field_name="country", normalise=str.upper
    )
    year = YearFilter(label=_("Year"), field_name="year")

    class Meta:
        model = OutlookReport
        fields = []
