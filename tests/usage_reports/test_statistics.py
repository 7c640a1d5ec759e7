"""The statistics pages: tables and charts equal to the aggregates, CSVs equal to the
tables, bad input answered with a note or a 400, a constant number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from lxml import html

from tests.factories import CountryFactory, OrganisationFactory, ResourceFactory, ThemeFactory
from usage.models import AggregatedDay, Baseline, DailyUsage

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def used():
    """Three resources used over a year, with machine use beside people's."""
    cache.clear()
    ghana, peru = CountryFactory(code="GH"), CountryFactory(code="PE")
    mercury = ThemeFactory(name="Mercury", slug="mercury")
    org = OrganisationFactory(name="Gold Partners", slug="gold-partners")
    first = ResourceFactory(title="First", countries=[ghana], themes=[mercury], owner=org)
    second = ResourceFactory(title="Second", countries=[ghana, peru])
    third = ResourceFactory(title="Third", countries=[peru], resource_type="dataset")
    rows = []
    for month in range(1, 13):
        for n, resource in enumerate((first, second, third), start=1):
            rows.append(
                DailyUsage(
                    day=dt.date(YEAR, month, 3 + n),
                    item_kind="resource",
                    item_id=resource.pk,
                    views=month * n + 3,
                    unique_views=month * n,
                    downloads=n + 2,
                    unique_downloads=n * (month % 3),
                )
            )
        rows.append(
            DailyUsage(day=dt.date(YEAR, month, 9), item_kind="api", machine=True, requests=7)
        )
    DailyUsage.objects.bulk_create(rows)
    Baseline.objects.create(item_kind="resource", item_id=first.pk, downloads=40)
    AggregatedDay.objects.create(
        day=dt.date(YEAR, 12, 31), closed=True, aggregated_at=timezone.now()
    )
    return {"first": first, "second": second, "third": third, "org": org}


def table(page, table_id):
    """[(label, [numbers…])] of a table's body rows."""
    rows = []
    for tr in page.get_element_by_id(table_id).xpath("./tbody/tr[th]"):
        cells = [td.text_content().strip() for td in tr.xpath("./td")]
        rows.append((tr.xpath("./th")[0].text_content().strip(), [int(c) for c in cells]))
    return rows


def test_months_table_and_line_equal_the_aggregates(client, used):
    page = html.fromstring(client.get(f"/statistics/?year={YEAR}").content)
    months = table(page, "months-table")
    assert len(months) == 12
    for month, (label, numbers) in enumerate(months, start=1):
        sums = DailyUsage.objects.filter(day__year=YEAR, day__month=month, machine=False).aggregate(
            *[Sum(f) for f in ("views", "unique_views", "downloads", "unique_downloads")]
        )
        assert numbers == [
            sums["views__sum"],
            sums["unique_views__sum"],
            sums["downloads__sum"],
            sums["unique_downloads__sum"],
            7,  # the machine requests, apart
        ], label
    # The line: one point per month, and its text alternative names the same figures.
    desc = page.get_element_by_id("months-chart-desc").text_content()
    unique_views = ", ".join(str(numbers[1]) for _l, numbers in months)
    assert unique_views in desc
    lines = page.xpath("//figure[contains(@class,'usage-line')]//polyline")
    assert [len(line.get("points").split()) for line in lines] == [12, 12]
    # The highest point of the unique views' line is its largest month, on top (y=4).
    views_line = [p.split(",") for p in lines[0].get("points").split()]
    top_month = max(range(12), key=lambda i: months[i][1][1])
    top = max(months[i][1][1] for i in range(12))
    top_value = max(top, max(months[i][1][3] for i in range(12)))
    assert float(views_line[top_month][1]) == pytest.approx(100 - top / top_value * 96, abs=0.01)
    # The totals row adds up the months.
    foot = page.xpath("//table[@id='months-table']/tfoot/tr/td")
    assert int(foot[0].text_content()) == sum(n[0] for _l, n in months)
    assert "40 downloads" in page.text_content()  # the before-COUNTER total, said apart


def test_breakdowns_and_their_bars_equal_the_aggregates(client, used):
    page = html.fromstring(client.get(f"/statistics/?year={YEAR}").content)
    totals = {
        row["item_id"]: row
        for row in DailyUsage.objects.filter(machine=False, item_kind="resource")
        .values("item_id")
        .annotate(ud=Sum("unique_downloads"), uv=Sum("unique_views"))
    }
    first, second, third = (used[k].pk for k in ("first", "second", "third"))
    countries = dict((label, numbers[3]) for label, numbers in table(page, "country-table"))
    assert countries == {
        "Ghana": totals[first]["ud"] + totals[second]["ud"],
        "Peru": totals[second]["ud"] + totals[third]["ud"],
    }
    themes = table(page, "theme-table")
    assert [label for label, _numbers in themes] == ["Mercury"]
    assert themes[0][1][3] == totals[first]["ud"]
    organisations = dict(
        (label, numbers[3]) for label, numbers in table(page, "organisation-table")
    )
    assert organisations["Gold Partners"] == totals[first]["ud"]
    # The bars say the same numbers as the table.
    bars = page.xpath("//section[@aria-labelledby='country-heading']//text[@class='chart-value']")
    assert [int(b.text.replace(",", "")) for b in bars] == list(countries.values())
    # Most used of the year: by unique downloads.
    ranked = [label for label, _n in table(page, "top-year-table")]
    assert ranked == ["Third", "Second", "First"]


def test_each_table_is_a_csv_with_the_same_rows(client, used):
    page = html.fromstring(client.get(f"/statistics/?year={YEAR}").content)
    for name in ("months", "top-year", "country", "theme", "type", "language", "organisation"):
        response = client.get(f"/statistics/{name}.csv?year={YEAR}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:6] == [
            "label",
            "url",
            "views",
            "unique_views",
            "downloads",
            "unique_downloads",
        ]
        got = [(row[0], [int(v) for v in row[2:]]) for row in rows[1:]]
        assert got == table(page, f"{name}-table"), name


def test_organisation_report_page_and_csv(client, used):
    url = f"/statistics/organisations/gold-partners/{YEAR}/"
    page = html.fromstring(client.get(url).content)
    resources = table(page, "resources-table")
    ud = DailyUsage.objects.filter(item_id=used["first"].pk).aggregate(n=Sum("unique_downloads"))
    assert resources == [
        ("First", [resources[0][1][0], resources[0][1][1], resources[0][1][2], ud["n"]])
    ]
    assert "40 downloads" in page.text_content()
    months = table(page, "months-table")
    assert sum(n[3] for _l, n in months) == ud["n"]
    response = client.get(f"/statistics/organisations/gold-partners/{YEAR}.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 12 + 1 and rows[-1][0] == "First"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/statistics/?year=1999", 200),
        ("/statistics/?year=abc%00", 200),
        ("/statistics/months.csv?year=nope", 400),
        ("/statistics/nothing.csv", 404),
        ("/statistics/organisations/nobody/2025/", 404),
        ("/statistics/organisations/gold-partners/1850/", 404),
        ("/statistics/organisations/gold-partners/99999999999999999999/", 404),
    ],
)
def test_bad_input_is_a_note_a_400_or_a_404(client, used, url, status):
    response = client.get(url)
    assert response.status_code == status
    if url.startswith("/statistics/?"):
        assert "There are no figures for the year" in response.content.decode()


@pytest.mark.parametrize("language", ["", "/es", "/fr", "/pt", "/sw"])
def test_the_page_exists_in_every_language(client, used, language):
    response = client.get(f"{language}/statistics/?year={YEAR}")
    assert response.status_code == 200
    assert f'lang="{language.strip("/") or "en"}"' in response.content.decode()


def test_query_count_is_constant(client, used, django_assert_max_num_queries):
    client.get(f"/statistics/?year={YEAR}")  # computes and caches the tables
    for n in range(5):
        ResourceFactory(countries=[CountryFactory(code=f"Z{chr(65 + n)}")])
    # The years with figures and the last aggregation's time (the cache key): 2.
    with django_assert_max_num_queries(2):
        assert client.get(f"/statistics/?year={YEAR}").status_code == 200
