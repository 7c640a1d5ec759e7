"""Public pages of the learning groups and of the National ASM Outlooks."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from core.translations import in_language
from core.views import FilteredListPage
from resources.discovery import metadata
from resources.models import Country
from usage.mixins import CountedDetailMixin
from usage.recording import LEARNING_GROUP, OUTLOOK, Kind, country_item_id, record

from . import charts, outlooks
from .filters import LearningGroupFilter
from .forms import OutlookComparisonForm
from .models import Indicator, LearningGroup, OutlookReport


class LearningGroupListView(FilteredListPage):
    """Every country's learning group, with its convenors and size."""

    template_name = "learning_groups/learninggroup_list.html"
    context_object_name = "groups"
    filterset_class = LearningGroupFilter

    def listing(self):
        return LearningGroup.objects.for_listing()


class LearningGroupDetailView(CountedDetailMixin, DetailView):
    """A learning group: members (names only with consent), meetings, outputs, dialogues."""

    template_name = "learning_groups/learninggroup_detail.html"
    context_object_name = "group"
    usage_kind = LEARNING_GROUP

    def get_queryset(self):
        return LearningGroup.objects.for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.object
        context["dialogues"] = group.dialogues.for_listing().order_by("starts_at")
        context["outlooks"] = OutlookReport.objects.filter(country=group.country).order_by("-year")
        context["breadcrumbs"] = metadata.breadcrumbs_jsonld(
            [
                (_("Home"), reverse("home")),
                (_("Learning groups"), reverse("learning_groups:list")),
                *metadata.country_crumb(group.country),
                (in_language(group, "name"), group.get_absolute_url()),
            ],
            self.request.build_absolute_uri,
        )
        return context


def outlook_comparison(request):
    """Countries side by side for one year and one indicator: a table and an SVG chart."""
    form = OutlookComparisonForm(request.GET or None, years=OutlookReport.objects.years())
    year, indicator, notes = form.selection()
    rows = outlooks.comparison(year=year, indicator=indicator) if year else []
    record(request, Kind.VIEW, OUTLOOK)  # item 0: the comparison
    chart = None
    if rows and outlooks.is_chartable(indicator):
        chart = charts.bar_chart(outlooks.chart_rows(rows))
    return render(
        request,
        "learning_groups/outlook_comparison.html",
        {
            "form": form,
            "year": year,
            "indicator": indicator,
            "indicator_label": Indicator(indicator).label,
            "rows": rows,
            "chart": chart,
            "notes": notes,
            "canonical_query": form.canonical_query(),
            "countries": Country.objects.filter(outlooks__isnull=False).distinct(),
        },
    )


def outlook_country(request, iso2):
    """One country's Outlook indicators over the years."""
    if len(iso2) != 2 or not iso2.isalpha():
        raise Http404
    country = get_object_or_404(Country, code=iso2.upper())
    record(request, Kind.VIEW, OUTLOOK, country_item_id(country.code))
    reports, rows, any_sample = outlooks.history(
        OutlookReport.objects.filter(country=country).for_reading()
    )
    return render(
        request,
        "learning_groups/outlook_country.html",
        {"country": country, "reports": reports, "rows": rows, "any_sample": any_sample},
    )
