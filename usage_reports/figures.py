"""The hub's use as tables: month by month, most used resources, and use by the
resources' country, theme, commodity, type, language and organisation.

Read from the daily aggregates (usage.models.DailyUsage), people's use only except the
machine requests column. A table is a list of rows (label, link or "", views, unique
views, downloads, unique downloads), the same rows the charts, the page and the CSVs show.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Max, Min, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from resources import labels
from resources.models import LANGUAGE_CHOICES, Commodity, Organisation, Resource, Theme
from usage.models import AggregatedDay, Baseline, DailyUsage
from usage.recording import RESOURCE

FIGURES = ("views", "unique_views", "downloads", "unique_downloads")
TOP = 10
DIMENSIONS = ("country", "theme", "commodity", "type", "language", "organisation")


@dataclass
class Row:
    label: str
    url: str
    views: int = 0
    unique_views: int = 0
    downloads: int = 0
    unique_downloads: int = 0
    requests: int = 0

    def add(self, figures):
        for name, value in zip(FIGURES, figures, strict=True):
            setattr(self, name, getattr(self, name) + value)


def version():
    """Changes whenever an aggregation ran: the key of cached figures."""
    moment = AggregatedDay.objects.aggregate(last=Max("aggregated_at"))["last"]
    return moment.isoformat() if moment else "none"


def years():
    """The years with figures, newest first (at least the current one)."""
    span = DailyUsage.objects.aggregate(first=Min("day"), last=Max("day"))
    this_year = timezone.now().year
    first = span["first"].year if span["first"] else this_year
    last = max(span["last"].year if span["last"] else this_year, this_year)
    return list(range(last, first - 1, -1))


def year_bounds(year):
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def months(start, end, *, item_ids=None):
    """One row per month of [start, end]: people's views and downloads, and the
    machine requests, of every page (or only of the resources item_ids)."""
    rows = DailyUsage.objects.filter(day__range=(start, end))
    if item_ids is not None:
        rows = rows.filter(item_kind=RESOURCE, item_id__in=item_ids)
    sums = {
        (row["month"], row["machine"]): row
        for row in rows.annotate(month=ExtractMonth("day"))
        .values("month", "machine")
        .annotate(**{name: Sum(name) for name in (*FIGURES, "requests")})
    }
    table = []
    for month in range(start.month, end.month + 1):
        first = dt.date(start.year, month, 1)
        row = Row(label=date_format(first, "F Y"), url="")
        people = sums.get((month, False))
        if people:
            row.add([people[name] for name in FIGURES])
        machine = sums.get((month, True)) or {}
        row.requests = sum(machine.get(name) or 0 for name in ("views", "downloads", "requests"))
        table.append(row)
    return table


def resource_totals(start, end, *, item_ids=None):
    """{resource id: [views, unique views, downloads, unique downloads]} of people."""
    rows = DailyUsage.objects.filter(day__range=(start, end), item_kind=RESOURCE, machine=False)
    if item_ids is not None:
        rows = rows.filter(item_id__in=item_ids)
    return {
        row[0]: list(row[1:])
        for row in rows.values("item_id")
        .annotate(*[Sum(name) for name in FIGURES])
        .values_list("item_id", *[f"{name}__sum" for name in FIGURES])
    }


def most_used(totals, limit=TOP):
    """The published resources with the most unique downloads, then unique views."""
    ranked = sorted(totals.items(), key=lambda pair: (-pair[1][3], -pair[1][1], pair[0]))
    ids = [pk for pk, _figures in ranked]
    resources = Resource.objects.published().filter(pk__in=ids[: limit * 2]).only("title", "slug")
    by_id = {resource.pk: resource for resource in resources}
    table = []
    for pk in ids[: limit * 2]:
        if pk in by_id and len(table) < limit:
            row = Row(label=by_id[pk].title, url=by_id[pk].get_absolute_url())
            row.add(totals[pk])
            table.append(row)
    return table


def _pairs(dimension, ids):
    """(resource id, value) of each resource in ids for dimension, and value labels."""
    published = Resource.objects.published().filter(pk__in=ids)
    if dimension == "country":
        pairs = published.values_list("pk", "countries")
        return pairs, lambda code: labels.country_name(code) if code else None, "country"
    if dimension == "theme":
        names = dict(Theme.objects.values_list("pk", "name"))
        return published.values_list("pk", "themes"), names.get, "theme"
    if dimension == "commodity":
        names = dict(Commodity.objects.values_list("pk", "name"))
        return published.values_list("pk", "commodities"), names.get, "commodity"
    if dimension == "type":
        return published.values_list("pk", "resource_type"), labels.type_label, "type"
    if dimension == "language":
        names = {code: str(label) for code, label in LANGUAGE_CHOICES}
        return published.values_list("pk", "language"), names.get, "language"
    names = dict(Organisation.objects.values_list("pk", "name"))
    return published.values_list("pk", "owner"), names.get, None


def breakdown(dimension, totals, *, year):
    """Use by the resources' dimension, most used first: a resource with two countries
    counts for each. Resources without the dimension (global ones) are not a row. Each
    row links to the library filtered by it, or to the organisation's yearly report."""
    pairs, label_of, filter_name = _pairs(dimension, list(totals))
    keys = {}
    if dimension == "theme":
        keys = dict(Theme.objects.values_list("pk", "slug"))
    elif dimension == "commodity":
        keys = dict(Commodity.objects.values_list("pk", "slug"))
    elif dimension == "organisation":
        keys = dict(Organisation.objects.values_list("pk", "slug"))
    library = reverse("resources:list")
    rows = {}
    for pk, value in pairs:
        if value is None:
            continue
        row = rows.get(value)
        if row is None:
            key = keys.get(value, str(value).lower() if dimension == "country" else value)
            if filter_name:
                url = f"{library}?{urlencode({filter_name: key})}"
            else:
                url = reverse("statistics:organisation", args=[key, year])
            row = rows[value] = Row(label=label_of(value) or str(value), url=url)
        row.add(totals[pk])
    return sorted(rows.values(), key=lambda r: (-r.unique_downloads, -r.unique_views, r.label))


def baseline_total(item_ids=None):
    """Downloads counted before COUNTER, of all resources or of item_ids."""
    rows = Baseline.objects.filter(item_kind=RESOURCE)
    if item_ids is not None:
        rows = rows.filter(item_id__in=item_ids)
    return rows.aggregate(total=Sum("downloads"))["total"] or 0
