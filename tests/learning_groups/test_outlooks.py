"""The Outlook comparison: values side by side, missing values shown as missing (never
as zero), a server-drawn chart with a text alternative, and each country over the years."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from resources.models import Resource
from tests.factories import (
    CountryFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("learning_groups:outlooks")


@pytest.fixture
def outlooks():
    """2018: Ghana reports miners with a range and women; Tanzania reports miners only;
    Ethiopia has an Outlook without the miners figure; Colombia (a programme country)
    has no 2018 Outlook. 2017: Ghana only."""
    gh, tz, et = (CountryFactory(code=c, is_programme_country=True) for c in ("GH", "TZ", "ET"))
    CountryFactory(code="CO", is_programme_country=True)
    CountryFactory(code="CN", is_programme_country=False)
    gh18 = OutlookReportFactory(country=gh, year=2018, is_sample=True)
    OutlookIndicatorFactory(
        report=gh18, value=1_100_000, low=1_000_000, high=1_200_000, source="Delve"
    )
    OutlookIndicatorFactory(report=gh18, indicator="women_share", value=Decimal("32.5"))
    OutlookIndicatorFactory(
        report=gh18, indicator="main_commodities", value=None, text_value="Gold"
    )
    tz18 = OutlookReportFactory(country=tz, year=2018)
    OutlookIndicatorFactory(report=tz18, value=1_000_000, source="Delve Tanzania")
    et18 = OutlookReportFactory(country=et, year=2018)
    OutlookIndicatorFactory(report=et18, indicator="gold_output", value=12)
    gh17 = OutlookReportFactory(country=gh, year=2017)
    OutlookIndicatorFactory(report=gh17, value=1_000_000, source="Older survey")
    return {"gh18": gh18, "tz18": tz18, "et18": et18, "gh17": gh17}


def table_rows(response):
    tree = lxml_html.fromstring(response.content)
    rows = tree.xpath('//table[@id="comparison-table"]/tbody/tr')
    return {row.xpath("string(th/a)").strip(): row.xpath("string(td[1])").strip() for row in rows}


def test_defaults_to_the_latest_year_and_estimated_miners(client, outlooks):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["year"] == 2018
    assert table_rows(response) == {
        "Colombia": "No Outlook for 2018",
        "Ethiopia": "Not reported",
        "Ghana": "1,100,000 people (range 1,000,000–1,200,000)",
        "Tanzania": "1,000,000 people",
    }


def test_missing_values_are_shown_as_missing_never_as_zero(client, outlooks):
    response = client.get(URL, {"year": "2018", "indicator": "women_share"})
    rows = table_rows(response)
    assert rows["Ghana"] == "32.5%"
    assert rows["Tanzania"] == rows["Ethiopia"] == "Not reported"
    assert rows["Colombia"] == "No Outlook for 2018"
    assert not any(re.search(r"\b0\b", value) for value in rows.values())
    # The chart draws one bar only: the missing countries get a label, not a zero bar.
    svg = lxml_html.fromstring(response.content).xpath("//figure/svg")[0]
    assert len(svg.xpath(".//rect")) == 1
    assert svg.xpath("string(.//desc)").count("Not reported") == 3


def test_chart_is_an_accessible_inline_svg_with_ranges(client, outlooks):
    response = client.get(URL, {"year": "2018", "indicator": "asm_miners"})
    tree = lxml_html.fromstring(response.content)
    (svg,) = tree.xpath("//figure/svg")
    assert svg.get("role") == "img"
    labelled_by = svg.get("aria-labelledby").split()
    assert [tree.get_element_by_id(i).tag for i in labelled_by] == ["title", "desc"]
    assert "Ghana: 1,100,000 people (range 1,000,000–1,200,000)" in svg.xpath("string(.//desc)")
    assert len(svg.xpath(".//rect")) == 2
    # One whisker (three lines) for Ghana's range; Tanzania's value has none.
    assert len(svg.xpath(".//line")) == 3
    widths = [float(rect.get("width")) for rect in svg.xpath(".//rect")]
    assert widths[0] > widths[1]  # Ghana's 1.1 million drawn longer than Tanzania's 1 million
    assert b"<script" not in response.content


def test_text_indicators_are_tabulated_not_charted(client, outlooks):
    response = client.get(URL, {"year": "2018", "indicator": "main_commodities"})
    assert table_rows(response)["Ghana"] == "Gold"
    # No chart (the header's logo is the page's only picture).
    assert not lxml_html.fromstring(response.content).xpath("//figure/svg")


def test_another_year(client, outlooks):
    rows = table_rows(client.get(URL, {"year": "2017"}))
    assert rows["Ghana"] == "1,000,000 people"
    assert rows["Tanzania"] == "No Outlook for 2017"


@pytest.mark.parametrize(
    "query", [{"year": "1850"}, {"year": "abc"}, {"indicator": "nonsense"}, {"year": ["", "x"]}]
)
def test_bad_choices_fall_back_to_the_default_with_a_note(client, outlooks, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["year"] == 2018
    assert response.context["indicator"] in ("asm_miners",)
    assert response.context["notes"]


def test_sample_figures_are_marked_and_sources_shown(client, outlooks):
    OutlookIndicatorFactory(
        report=outlooks["tz18"], indicator="women_share", value=20, is_sample=True
    )

    def cells(response, country):
        tree = lxml_html.fromstring(response.content)
        row = tree.xpath(f'//table[@id="comparison-table"]//tr[th/a="{country}"]')[0]
        return [td.text_content().strip() for td in row.xpath("td")]

    women = client.get(URL, {"indicator": "women_share"})
    assert cells(women, "Tanzania") == [
        "20% sample figure",
        "Sample figure for the demonstration, not sourced",
        "not given",
    ]
    assert cells(women, "Ghana")[0] == "32.5%"
    assert "20% (sample)" in lxml_html.fromstring(women.content).xpath("string(//figure/svg)")
    assert cells(client.get(URL), "Ghana") == [
        "1,100,000 people (range 1,000,000–1,200,000)",
        "Delve",
        "not given",
    ]


def test_empty_state(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"No National ASM Outlooks have been published yet." in response.content


def test_a_country_over_the_years(client, outlooks):
    outlooks["gh18"].document = ResourceFactory(title="Ghana Outlook 2018")
    outlooks["gh18"].save()
    outlooks["gh17"].document = ResourceFactory(
        title="Draft Outlook 2017", status=Resource.Status.DRAFT
    )
    outlooks["gh17"].save()
    response = client.get(reverse("learning_groups:outlook-country", args=["gh"]))
    tree = lxml_html.fromstring(response.content)
    headers = [th.text_content().strip() for th in tree.xpath("//table/thead/tr/th")]
    assert headers[1].startswith("2017") and headers[2].startswith("2018")
    rows = {
        row.xpath("string(th)").strip(): [td.text_content().strip() for td in row.xpath("td")]
        for row in tree.xpath("//table/tbody/tr")
    }
    assert rows["Estimated ASM miners"][0].startswith("1,000,000 people")
    assert rows["Share of women"][0] == "Not reported"
    assert rows["Share of women"][1].startswith("32.5%")
    assert "Ghana Outlook 2018" in response.content.decode()
    assert "Draft Outlook 2017" not in response.content.decode()


def test_unknown_country_is_a_404(client):
    for code in ("zz", "ghana", "1a"):
        url = reverse("learning_groups:outlook-country", args=[code])
        assert client.get(url).status_code == 404


def test_comparison_query_count(client, django_assert_max_num_queries, outlooks):
    for code in ("PE", "BO", "IN"):
        report = OutlookReportFactory(country=CountryFactory(code=code), year=2018)
        OutlookIndicatorFactory(report=report)
    # Years, the year's reports with countries, the indicator values, the programme
    # countries, the countries with Outlooks, the INSERT counting the view (usage): 6,
    # however many countries.
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200


def test_country_history_query_count(client, django_assert_max_num_queries, outlooks):
    for year in (2015, 2016):
        OutlookIndicatorFactory(
            report=OutlookReportFactory(country=outlooks["gh18"].country, year=year)
        )
    # The country, its reports with documents, one prefetch of indicators, one of the
    # reports' translations (their titles and summaries in the reader's language), the
    # INSERT counting the view (usage): 5, however many years.
    with django_assert_max_num_queries(5):
        assert (
            client.get(reverse("learning_groups:outlook-country", args=["gh"])).status_code == 200
        )
