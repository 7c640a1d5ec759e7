"""The statistics pages: the hub's use by the COUNTER rules, a CSV of each table, and an
organisation's yearly report (a printable page and a CSV)."""

import csv
import datetime as dt

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from resources.models import Organisation, Resource
from usage_reports import charts, figures

CACHE_SECONDS = 3600

DIMENSION_TITLES = {
    "country": gettext_lazy("By country"),
    "theme": gettext_lazy("By theme"),
    "commodity": gettext_lazy("By commodity"),
    "type": gettext_lazy("By type"),
    "language": gettext_lazy("By language"),
    "organisation": gettext_lazy("By organisation"),
}
TABLES = ("months", "top-month", "top-year", "top-all", *figures.DIMENSIONS)


def _tables(year):
    """Every table of the statistics page for year, cached until the next aggregation."""
    key = f"usage:statistics:{figures.version()}:{year}:{get_language()}"
    tables = cache.get(key)
    if tables is None:
        start, end = figures.year_bounds(year)
        today = timezone.now().date()
        this_month = today.replace(day=1)
        year_totals = figures.resource_totals(start, end)
        tables = {
            "months": figures.months(start, end),
            "top-month": figures.most_used(figures.resource_totals(this_month, today)),
            "top-year": figures.most_used(year_totals),
            "top-all": figures.most_used(
                figures.resource_totals(dt.date(2000, 1, 1), dt.date(9999, 12, 31))
            ),
        }
        for dimension in figures.DIMENSIONS:
            tables[dimension] = figures.breakdown(dimension, year_totals, year=year)
        tables["before"] = figures.baseline_total()
        cache.set(key, tables, CACHE_SECONDS)
    return tables


def _year(request, years):
    """The year asked for, or the latest; a note when the one asked for is unknown."""
    asked = request.GET.get("year")
    if asked is None or asked == "":
        return years[0], None
    if asked.isdigit() and int(asked) in years:
        return int(asked), None
    return years[0], _("There are no figures for the year “%(year)s”: showing %(shown)s.") % {
        "year": asked[:20],
        "shown": years[0],
    }


def _described(row):
    return _("%(downloads)s unique downloads, %(views)s unique views") % {
        "downloads": f"{row.unique_downloads:,}",
        "views": f"{row.unique_views:,}",
    }


@require_safe
def statistics(request):
    """The hub's use in a year: a line of months, the most used resources, and bars by
    the resources' country, theme, commodity, type, language and organisation."""
    years = figures.years()
    year, note = _year(request, years)
    tables = _tables(year)
    breakdowns = [
        {
            "name": name,
            "title": DIMENSION_TITLES[name],
            "rows": tables[name],
            "chart": charts.bars(tables[name], "unique_downloads", _described)
            if tables[name]
            else None,
        }
        for name in figures.DIMENSIONS
    ]
    months = tables["months"]
    return render(
        request,
        "usage_reports/statistics.html",
        {
            "year": year,
            "year_str": str(year),
            "years": years,
            "note": note,
            "months": months,
            "line": charts.line_chart(
                months,
                [
                    ("unique_views", _("Unique views"), "line-views"),
                    ("unique_downloads", _("Unique downloads"), "line-downloads"),
                ],
            ),
            "year_total": _sum_rows(months),
            "top_month": tables["top-month"],
            "top_year": tables["top-year"],
            "top_all": tables["top-all"],
            "breakdowns": breakdowns,
            "before": tables["before"],
        },
    )


def _sum_rows(rows):
    total = figures.Row(label=_("Total"), url="")
    for row in rows:
        total.add([getattr(row, name) for name in figures.FIGURES])
        total.requests += row.requests
    return total


CSV_COLUMNS = ["label", "url", *figures.FIGURES]


def _csv(rows, filename, *, requests=False):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS + (["machine_requests"] if requests else []))
    for row in rows:
        values = [row.label, row.url] + [getattr(row, name) for name in figures.FIGURES]
        # A label that a spreadsheet would run as a formula is written as text.
        if values[0][:1] in ("=", "+", "-", "@"):
            values[0] = "'" + values[0]
        writer.writerow(values + ([row.requests] if requests else []))
    return response


@require_safe
def table_csv(request, table):
    """One table of the statistics page as CSV; takes the page's `year`."""
    if table not in TABLES:
        raise Http404(_("No such table."))
    years = figures.years()
    asked = request.GET.get("year", "")
    if asked and not (asked.isdigit() and int(asked) in years):
        return HttpResponse(
            _("year must be one of: %s") % ", ".join(map(str, years)),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    year = int(asked) if asked else years[0]
    rows = _tables(year)[table]
    return _csv(rows, f"asm-hub-usage-{table}-{year}.csv", requests=table == "months")


def _organisation_figures(organisation, year):
    ids = list(Resource.objects.published().filter(owner=organisation).values_list("pk", flat=True))
    start, end = figures.year_bounds(year)
    months = figures.months(start, end, item_ids=ids)
    totals = figures.resource_totals(start, end, item_ids=ids)
    titles = Resource.objects.filter(pk__in=ids).order_by("title").only("title", "slug")
    resources = []
    for resource in titles:
        row = figures.Row(label=resource.title, url=resource.get_absolute_url())
        row.add(totals.get(resource.pk, [0, 0, 0, 0]))
        resources.append(row)
    resources.sort(key=lambda r: (-r.unique_downloads, -r.unique_views, r.label))
    return months, resources, figures.baseline_total(ids)


def _organisation(slug, year):
    if not 2000 <= year <= 2100:
        raise Http404(_("No figures for that year."))
    return get_object_or_404(Organisation, slug=slug)


@require_safe
def organisation_report(request, slug, year):
    """An organisation's yearly report: its published resources' use month by month and
    one by one, printable, for its own funders."""
    organisation = _organisation(slug, year)
    months, resources, before = _organisation_figures(organisation, year)
    return render(
        request,
        "usage_reports/organisation_report.html",
        {
            "organisation": organisation,
            "year": year,
            "months": months,
            "resources": resources,
            "total": _sum_rows(months),
            "before": before,
            "years": figures.years(),
        },
    )


@require_safe
def organisation_csv(request, slug, year):
    """The organisation's yearly report as CSV: the months, then its resources."""
    organisation = _organisation(slug, year)
    months, resources, _before = _organisation_figures(organisation, year)
    return _csv(
        [*months, *resources], f"asm-hub-usage-{organisation.slug}-{year}.csv", requests=False
    )
