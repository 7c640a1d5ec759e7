"""No query string makes a programme page answer with a 500: bad values are ignored
(with a note where the page has filters) or answered with a 404."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    NewsFactory,
    OrganisationFactory,
    OutlookIndicatorFactory,
    OutlookReportFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("home"),
    reverse("country-list"),
    reverse("country-detail", args=["gh"]),
    reverse("learning_groups:list"),
    reverse("learning_groups:outlooks"),
    reverse("learning_groups:outlook-country", args=["gh"]),
    reverse("dialogues:list"),
    reverse("dialogues:calendar"),
    reverse("network:organisation-list"),
    reverse("network:organisation-detail", args=["fon"]),
    reverse("network:news-list"),
    reverse("network:news-detail", args=["tarkwa-news"]),
    reverse("feeds:news"),
    reverse("resources:list"),
    reverse("about"),
    reverse("api-reference"),
]
PARAMETERS = [
    *("scope", "country", "theme", "year", "status", "indicator", "page", "q", "sort"),
    *("kind", "partner", "organisation"),
]
NASTY = [
    "",
    "0",
    "-1",
    "99999999999999999999999",
    "2016.5",
    "1e9",
    "gh",
    "GH",
    "zz",
    "é",
    "\x00",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "a" * 3000,
    "None",
    "[]",
    "last",
]


@pytest.fixture
def content():
    ghana = CountryFactory(code="GH", is_programme_country=True)
    LearningGroupFactory(country=ghana)
    DialogueFactory(scope="national", country=ghana, themes=[ThemeFactory(slug="mercury")])
    OutlookIndicatorFactory(report=OutlookReportFactory(country=ghana, year=2018))
    fon = OrganisationFactory(slug="fon", country=ghana, is_partner=True)
    NewsFactory(slug="tarkwa-news", organisation=fon, countries=[ghana])


@pytest.mark.parametrize("url", PAGES)
def test_nasty_values_never_fail(client, content, url):
    for value in NASTY:
        response = client.get(url, {name: value for name in PARAMETERS})
        assert response.status_code in (200, 400, 404), (value, response.status_code)


@pytest.mark.parametrize("url", PAGES)
def test_repeated_and_unknown_parameters(client, content, url):
    response = client.get(
        url + "?year=2016&year=2017&country=gh&country=&country=xx&scope=national&scope=moon"
        "&indicator=asm_miners&indicator=x&page=1&page=2&unknown=1"
    )
    # The last page=2 wins: past the end of the paginated lists, which hold one page here.
    paginated = {
        reverse("learning_groups:list"),
        reverse("dialogues:list"),
        reverse("network:organisation-list"),
        reverse("network:news-list"),
        reverse("resources:list"),
    }
    assert response.status_code == (404 if url in paginated else 200)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url=st.sampled_from(PAGES),
    params=st.dictionaries(
        st.sampled_from(PARAMETERS),
        st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=30), max_size=3),
        max_size=5,
    ),
)
def test_fuzzed_query_strings_never_fail(client, content, url, params):
    response = client.get(url, params)
    assert response.status_code in (200, 400, 404)
