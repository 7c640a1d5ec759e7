"""The library page: filters alone and combined, exact facet counts, chips, sorting."""

import pytest
from django.db import connection
from django.urls import reverse

from resources.models import Resource
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = reverse("resources:list")


@pytest.fixture
def corpus():
    """Six published resources and three hidden ones, spread over the facets."""
    gh, tz, co = (CountryFactory(code=c) for c in ("GH", "TZ", "CO"))
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    gender = ThemeFactory(slug="gender", name="Gender")
    dev = CommodityFactory(slug="development_minerals", name="Development minerals")
    gold = CommodityFactory(slug="gold", name="Gold")
    salt = CommodityFactory(slug="salt", name="Salt", parent=dev)
    made = {
        "a": ResourceFactory(
            title="Mercury in Ghana",
            year=2016,
            countries=[gh],
            themes=[mercury],
            commodities=[gold],
            tags=["mercury", "Minamata"],
        ),
        "b": ResourceFactory(
            title="Women miners of Tanzania",
            year=2018,
            countries=[tz],
            themes=[gender],
            commodities=[gold],
            tags=["women"],
            resource_type=Resource.Type.CASE_STUDY,
        ),
        "c": ResourceFactory(
            title="Ghana and Tanzania compared",
            year=2019,
            countries=[gh, tz],
            themes=[mercury, gender],
            tags=["mercury"],
        ),
        "d": ResourceFactory(
            title="Formalización en Colombia",
            year=2021,
            countries=[co],
            language="es",
            commodities=[salt],
        ),
        "e": ResourceFactory(
            title="Global trends in ASM", year=2009, resource_type=Resource.Type.DATASET
        ),
        "f": ResourceFactory(
            title="Salt and gravel",
            year=2020,
            commodities=[dev],
            authors=["Hilson, G.", "McQuilken, J."],
        ),
    }
    for status in (Resource.Status.DRAFT, Resource.Status.IN_REVIEW, Resource.Status.WITHDRAWN):
        ResourceFactory(
            title=f"Hidden {status} Ghana mercury",
            status=status,
            countries=[gh],
            themes=[mercury],
            tags=["mercury"],
        )
    return made


def titles(response):
    return {r.title for r in response.context["resources"]}


def facet(response, name):
    return {
        str(item["value"]): item["count"]
        for f in response.context["facets"]
        if f["name"] == name
        for item in f["items"]
    }


def test_unfiltered_shows_only_published_with_exact_facets(client, corpus):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["result_count"] == 6
    assert "Hidden" not in response.content.decode()
    assert facet(response, "country") == {"GH": 2, "TZ": 2, "CO": 1}
    assert facet(response, "theme") == {"mercury": 2, "gender": 2}
    assert facet(response, "commodity") == {"gold": 2, "salt": 1, "development_minerals": 1}
    assert facet(response, "type") == {"report": 4, "case_study": 1, "dataset": 1}
    assert facet(response, "language") == {"en": 5, "es": 1}
    assert facet(response, "year") == {"2010": 3, "2020": 2, "2000": 1}
    assert facet(response, "tag") == {"mercury": 2, "minamata": 1, "women": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=gh", {"a", "c"}),
        ("country=GH", {"a", "c"}),
        ("country=gh&country=co", {"a", "c", "d"}),
        ("theme=mercury", {"a", "c"}),
        ("theme=gender&theme=mercury", {"a", "b", "c"}),
        ("commodity=gold", {"a", "b"}),
        ("commodity=development_minerals", {"d", "f"}),  # the broader term finds salt too
        ("type=case_study", {"b"}),
        ("type=dataset&type=case_study", {"b", "e"}),
        ("language=es", {"d"}),
        ("tag=mercury", {"a", "c"}),
        ("tag=minamata&tag=women", {"a", "b"}),
        ("year_from=2018", {"b", "c", "d", "f"}),
        ("year_to=2016", {"a", "e"}),
        ("year_from=2016&year_to=2019", {"a", "b", "c"}),
        ("q=ghana", {"a", "c"}),
        ("q=hilson", {"f"}),
        ("q=minamata", {"a"}),
        ("q=GHANA+mercury", {"a", "c"}),  # c carries the tag "mercury"
        ("country=gh&theme=gender", {"c"}),
        ("country=tz&commodity=gold&type=case_study", {"b"}),
        ("country=gh&year_from=2017&tag=mercury", {"c"}),
        ("q=ghana&country=tz", {"c"}),
        ("country=co&theme=mercury", set()),
    ],
)
def test_filters(client, corpus, query, expected):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert titles(response) == {corpus[key].title for key in expected}
    assert response.context["result_count"] == len(expected)


def test_facet_counts_combine_with_the_other_filters(client, corpus):
    response = client.get(f"{URL}?country=gh&theme=mercury")
    assert titles(response) == {corpus["a"].title, corpus["c"].title}
    # A facet is counted with every filter but its own: countries within theme=mercury…
    assert facet(response, "country") == {"GH": 2, "TZ": 1}
    # …and themes within country=GH.
    assert facet(response, "theme") == {"mercury": 2, "gender": 1}
    assert facet(response, "type") == {"report": 2}
    assert facet(response, "tag") == {"mercury": 2, "minamata": 1}


def test_selected_facet_value_links_to_its_removal(client, corpus):
    response = client.get(f"{URL}?country=gh&theme=mercury")
    ghana = next(
        item
        for f in response.context["facets"]
        if f["name"] == "country"
        for item in f["items"]
        if item["value"] == "GH"
    )
    assert ghana["selected"]
    assert ghana["url"] == "?theme=mercury"
    tanzania = next(
        item
        for f in response.context["facets"]
        if f["name"] == "country"
        for item in f["items"]
        if item["value"] == "TZ"
    )
    assert tanzania["url"] == "?country=gh&country=tz&theme=mercury"


def test_chips_remove_one_filter_each(client, corpus):
    response = client.get(f"{URL}?country=gh&theme=mercury&year_from=2010&q=ghana&page=1")
    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert chips["Country: Ghana"] == "?theme=mercury&year_from=2010&q=ghana"
    assert chips["Theme: Mercury"] == "?country=gh&year_from=2010&q=ghana"
    assert chips["From 2010"] == "?country=gh&theme=mercury&q=ghana"
    assert chips["Search: “ghana”"] == "?country=gh&theme=mercury&year_from=2010"


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("newest", "d", "e"),
        ("oldest", "e", "d"),
        ("title", "f", "b"),
    ],
)
def test_sorting(client, corpus, sort, first, last):
    # Titles sort case-sensitively on SQLite and by collation on PostgreSQL, so compare
    # only the ends, which are the same under both.
    response = client.get(f"{URL}?sort={sort}")
    resources = list(response.context["resources"])
    if sort == "title":
        assert resources[0].title == "Formalización en Colombia"
        assert resources[-1].title == corpus[last].title
    else:
        assert resources[0].title == corpus[first].title
        assert resources[-1].title == corpus[last].title


def test_relevance_puts_title_matches_first(client, corpus):
    ResourceFactory(title="A study", summary="Nothing about Ghana in the title", year=2025)
    response = client.get(f"{URL}?q=ghana")
    resources = list(response.context["resources"])
    assert response.context["sort"] == "relevance"
    assert resources[-1].title == "A study"


def test_empty_state_suggests_what_to_remove(client, corpus):
    response = client.get(f"{URL}?country=co&theme=mercury")
    body = response.content.decode()
    assert "No resources match all of these filters." in body
    assert "Remove “Country: Colombia”" in body


def test_pagination(client, settings):
    ResourceFactory.create_batch(25)
    first = client.get(URL)
    assert len(first.context["resources"]) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(f"{URL}?page=2")
    assert len(second.context["resources"]) == 5


def test_library_query_count_is_constant(
    client, django_assert_num_queries, corpus, warm_facet_index
):
    # PostgreSQL: version + page + 5 for its rows (resources, authors, countries, themes, and, one
    # more so each title shows in the reader's language, the titles' translations: the page shows no
    # tags) + theme, commodity and tag labels; searching and filtering add the text's matches and
    # scores, snippets and "did you mean" (the facet index knows which tags are in use). The labels
    # and the rows are then kept under the content version (version.per_version): the next page
    # reads only the rows it has not listed yet. SQLite: the content version (the columns counted in
    # memory are kept under it, fts_columns.py) + 5 for the page's rows (the fifth their titles'
    # translations) + theme, commodity and tag labels; filtering adds the theme and tag choices;
    # searching adds the text's matches with their scores (one statement), snippets and "did you
    # mean" (the index's vocabulary, read once per process for each version). Either way one more:
    # the offline packs built (kept on PostgreSQL while the artefacts stamp holds).
    ResourceFactory.create_batch(30, countries=[CountryFactory(code="GH")])
    warm_facet_index()
    postgres = connection.vendor == "postgresql"
    with django_assert_num_queries(14 if postgres else 16):
        response = client.get(f"{URL}?country=gh&theme=mercury&tag=mercury&q=ghana")
    assert response.status_code == 200
    # PostgreSQL: the labels and the packs built, read by the first page, are kept.
    with django_assert_num_queries(7 if postgres else 10):
        response = client.get(URL)
    assert len(response.context["resources"]) == 20
    if postgres:
        # The same results under another URL: the version only. The facet index gives
        # the ids; the rows, the names and what the state's pack is are kept.
        with django_assert_num_queries(1):
            response = client.get(f"{URL}?page=1")
        with django_assert_num_queries(1 + 5):  # the second page's rows are new
            client.get(f"{URL}?page=2")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", ["TZ", "US", "EG"]),  # Tanzania, United States, then Egypt (fewer)
        ("es", ["US", "TZ", "EG"]),  # Estados Unidos before Tanzania
        ("fr", ["US", "TZ", "EG"]),  # États-Unis among the E's, before Tanzanie
    ],
)
def test_equal_counts_are_ordered_by_their_labels_in_the_reader_s_language(client, code, expected):
    for country, n in (("TZ", 2), ("US", 2), ("EG", 1)):
        place = CountryFactory(code=country)
        for _ in range(n):
            ResourceFactory(countries=[place])
    prefix = "" if code == "en" else f"/{code}"
    response = client.get(f"{prefix}/resources/")
    countries = next(f for f in response.context["facets"] if f["name"] == "country")
    assert [item["value"] for item in countries["items"]] == expected
