"""Country profiles and the home page: everything the programme does in one country."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from tests.conftest import page_html
from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    MembershipFactory,
    NewsFactory,
    OrganisationFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ghana():
    ghana = CountryFactory(
        code="GH",
        region="Sub-Saharan Africa",
        is_programme_country=True,
        est_asm_miners=1_100_000,
        est_asm_miners_low=1_000_000,
        est_asm_miners_high=1_200_000,
        figures_year=2016,
        figures_source="Delve country profile",
    )
    fon = OrganisationFactory(name="Friends of the Nation", country=ghana)
    group = LearningGroupFactory(country=ghana, name="Ghana LLG", convenors=[fon])
    MembershipFactory(group=group, organisation=OrganisationFactory(name="Minerals Commission"))
    DialogueFactory(title="Ghana action dialogue", scope="national", country=ghana)
    soon = timezone.now() + datetime.timedelta(days=30)
    DialogueFactory(
        title="Ghana mercury dialogue",
        scope="national",
        country=ghana,
        status="planned",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(days=2),
    ).organisers.set([OrganisationFactory(name="Organiser abroad")])
    report = OutlookReportFactory(country=ghana, year=2018, is_sample=True)
    OutlookIndicatorFactory(report=report, value=1_100_000)
    OutlookIndicatorFactory(report=report, indicator="women_share", value=30, is_sample=True)
    ResourceFactory(title="Mercury in Ghana", countries=[ghana], year=2019)
    ResourceFactory(title="Unpublished Ghana note", countries=[ghana], status="draft")
    return ghana


def test_country_profile_shows_the_whole_programme(client, ghana):
    html = page_html(client, reverse("country-detail", args=["gh"]))
    for text in (
        "1,100,000",
        "range 1,000,000–1,200,000",
        "2016",
        "Delve country profile",
        "Ghana LLG",
        "Ghana action dialogue",
        "Ghana mercury dialogue",
        "Estimated ASM miners",
        "sample Outlook",
        '30% <span class="pill">sample figure</span>',
        "Mercury in Ghana",
        "Friends of the Nation",
        "Minerals Commission",
        "Organiser abroad",
        'href="/resources/?country=gh"',
    ):
        assert text in html, text
    assert "Unpublished Ghana note" not in html
    tree = lxml_html.fromstring(html)
    planned = tree.xpath('//h3[text()="Planned"]/following-sibling::ul[1]')[0].text_content()
    held = tree.xpath('//h3[text()="Held"]/following-sibling::ul[1]')[0].text_content()
    assert "Ghana mercury dialogue" in planned and "Ghana action dialogue" in held


def test_a_country_with_little_content_still_reads_well(client):
    CountryFactory(code="CN", region="East Asia & Pacific")
    html = page_html(client, reverse("country-detail", args=["cn"]))
    for text in (
        "No headline figures have been recorded for this country yet.",
        "There is no learning group in this country yet.",
        "No dialogue has been held or planned in this country yet.",
        "No National ASM Outlook has been published for this country yet.",
        "The library holds no resources about this country yet.",
        "No partner organisations are recorded for this country yet.",
    ):
        assert text in html, text


@pytest.mark.parametrize("code", ["zz", "ghana", "g1", "GH1"])
def test_unknown_country_is_a_404(client, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_country_list_puts_programme_countries_first_grouped_by_region(client, ghana):
    CountryFactory(code="CO", region="Latin America & Caribbean", is_programme_country=True)
    CountryFactory(code="CN", region="East Asia & Pacific", est_asm_miners=9_000_000)
    response = client.get(reverse("country-list"))
    tree = lxml_html.fromstring(response.content)
    sections = tree.xpath("//main//section")
    assert sections[0].xpath("string(h2)") == "Programme countries"
    assert [c.text_content() for c in sections[0].xpath(".//h3")] == [
        "Latin America & Caribbean",
        "Sub-Saharan Africa",
    ]
    assert "Colombia" in sections[0].text_content() and "Ghana" in sections[0].text_content()
    assert sections[1].xpath("string(h2)") == "Other countries"
    assert "China" in sections[1].text_content()
    assert "9,000,000" in sections[1].text_content()
    assert "1,100,000" in sections[0].text_content()


def test_home_shows_countries_dialogues_resources_and_outlooks(client, ghana):
    html = client.get(reverse("home")).content.decode()
    for text in (
        "Programme countries",
        "Ghana mercury dialogue",
        "Ghana action dialogue",
        "Mercury in Ghana",
        "Ghana 2018",
    ):
        assert text in html, text


def test_country_profile_query_count(
    client, django_assert_max_num_queries, ghana, warm_facet_index
):
    for n in range(3):
        DialogueFactory(title=f"Another {n}", scope="national", country=ghana)
        ResourceFactory(countries=[ghana])
    # Country and its translations (2); resources page and its prefetches of authors,
    # countries, themes, tags (5), its titles' translations (1: each title in the
    # reader's language) and count (1); learning group with convenors (2);
    # Outlooks with indicators (2);
    # upcoming and past dialogues with their themes and translations (6); partners (1);
    # its published voices counted (1); the newest news, their countries and translations
    # (3); its offline pack's row (1): 25, constant. On PostgreSQL the resources come from
    # the search index: content version and ids (+2).
    NewsFactory.create_batch(4, countries=[ghana])
    warm_facet_index()
    with django_assert_max_num_queries(27):
        assert client.get(reverse("country-detail", args=["gh"])).status_code == 200


def test_country_list_query_count(client, django_assert_max_num_queries, ghana, warm_facet_index):
    for code in ("TZ", "ET", "CO", "PE"):
        CountryFactory(code=code)
    warm_facet_index()  # the map's counts read it on PostgreSQL, as a running server's is
    # One query for all countries; the map's resource counts are the library's country
    # facet: the content version and one facet statement (2), whatever the countries.
    with django_assert_max_num_queries(3):
        assert client.get(reverse("country-list")).status_code == 200


def test_home_query_count(client, django_assert_max_num_queries, ghana, warm_facet_index):
    warm_facet_index()  # the map's counts read it on PostgreSQL, as a running server's is
    # Latest resources with five prefetches (6: the fifth their titles' translations, so
    # each shows in the reader's language), featured ones (1, and 5 prefetches when there
    # are any), resource count (1), programme countries (1) and the map's counts
    # (the library's country facet: 1, or the content version on PostgreSQL once kept),
    # upcoming and recent dialogues with their themes and translations (6), Outlooks (1),
    # the newest news, their countries and translations (3): 20 without featured
    # resources…
    NewsFactory.create_batch(4, countries=[ghana])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("home")).status_code == 200
    # …and 25 with some, however many.
    ResourceFactory.create_batch(4, is_featured=True)
    warm_facet_index()
    with django_assert_max_num_queries(25):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("code", "figure", "size"),
    [
        ("en", "1,234,567", "2.3\xa0MB"),
        ("es", "1.234.567", "2,3\xa0MB"),
        ("fr", "1\xa0234\xa0567", "2,3\xa0Mio"),
        ("pt", "1.234.567", "2,3\xa0MB"),
        ("sw", "1,234,567", "MB\xa02.3"),  # Django's Swahili catalogue puts the unit first
    ],
)
def test_numbers_and_sizes_are_written_as_the_reader_s_language_writes_them(
    client, code, figure, size
):
    country = CountryFactory(code="PE", est_asm_miners=1_234_567)
    resource = ResourceFactory(countries=[country], with_file=True)
    type(resource).objects.filter(pk=resource.pk).update(file_size=2_400_000)
    prefix = "" if code == "en" else f"/{code}"
    assert figure in page_html(client, f"{prefix}/countries/pe/")
    assert size in page_html(client, f"{prefix}/resources/{resource.slug}/")
