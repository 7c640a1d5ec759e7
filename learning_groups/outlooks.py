"""The Outlook comparisons: countries side by side for one year and indicator, and one
country's indicators over the years. Missing values stay missing (None), never 0."""

from dataclasses import dataclass

from resources.models import Country

from .models import TEXT_INDICATORS, Indicator, OutlookIndicator, OutlookReport


@dataclass
class ComparisonRow:
    country: Country
    report: OutlookReport | None
    indicator: OutlookIndicator | None


def comparison(*, year, indicator):
    """One row per programme country and per country with an Outlook that year, by name;
    a country without the figure has indicator None."""
    reports = {
        r.country_id: r for r in OutlookReport.objects.filter(year=year).select_related("country")
    }
    values = {
        i.report.country_id: i
        for i in OutlookIndicator.objects.for_comparison(year=year, indicator=indicator)
    }
    countries = {r.country_id: r.country for r in reports.values()}
    for country in Country.objects.filter(is_programme_country=True):
        countries.setdefault(country.pk, country)
    rows = [
        ComparisonRow(country=c, report=reports.get(code), indicator=values.get(code))
        for code, c in countries.items()
    ]
    return sorted(rows, key=lambda row: str(row.country.name))


def chart_rows(rows):
    """The comparison as rows for charts.bar_chart."""
    from .templatetags.outlooks import indicator_short, indicator_value

    result = []
    for row in rows:
        ind = row.indicator
        missing = ind is None or ind.is_missing
        result.append(
            (
                str(row.country.name),
                None if missing else ind.value,
                None if missing else ind.low,
                None if missing else ind.high,
                indicator_short(ind),
                indicator_value(ind),
            )
        )
    return result


def is_chartable(indicator):
    return indicator not in TEXT_INDICATORS


@dataclass
class HistoryRow:
    indicator: str
    label: str
    cells: list


def history(reports):
    """A country's Outlooks (oldest first) as one row per indicator reported in any of
    them, with one cell per Outlook: the indicator or None where it is missing; and
    whether any figure is a sample one."""
    reports = sorted(reports, key=lambda r: r.year)
    by_report = [{i.indicator: i for i in r.indicators.all()} for r in reports]
    rows = []
    for value, label in Indicator.choices:
        cells = [values.get(value) for values in by_report]
        if any(cell is not None for cell in cells):
            rows.append(HistoryRow(indicator=value, label=label, cells=cells))
    any_sample = any(i.is_sample for values in by_report for i in values.values())
    return reports, rows, any_sample
