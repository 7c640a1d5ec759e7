"""Full-text search: ranking, languages, snippets, document text, "did you mean",
facets consistent with search, freshness after publish and withdraw."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from resources.models import Resource
from resources.search import indexing, spelling, tsquery
from resources.search.library import LibraryIndex
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory, pdf_with_text

pytestmark = pytest.mark.django_db

URL = reverse("resources:list")


def titles(response):
    return [r.title for r in response.context["resources"]]


def facet(response, name):
    return {
        str(item["value"]): item["count"]
        for f in response.context["facets"]
        if f["name"] == name
        for item in f["items"]
    }


def with_pdf(*lines, **kwargs):
    return ResourceFactory(
        external_url="", file=ContentFile(pdf_with_text(*lines), name="doc.pdf"), **kwargs
    )


# -- on both databases -------------------------------------------------------------------


def test_word_only_inside_the_pdf_finds_it_until_withdrawn(client):
    resource = with_pdf("Field notes on zirconium sands in the dunes.", title="Field notes")
    ResourceFactory(title="Unrelated")
    assert "zirconium" in Resource.objects.get(pk=resource.pk).full_text
    response = client.get(f"{URL}?q=zirconium")
    assert titles(response) == ["Field notes"]

    resource.status = Resource.Status.WITHDRAWN
    resource.save()
    response = client.get(f"{URL}?q=zirconium")
    assert titles(response) == []
    assert "sands in the dunes" not in response.content.decode()


def test_broken_pdf_saves_without_text_and_reindex_survives(client, caplog):
    resource = ResourceFactory(
        external_url="", file=ContentFile(b"%PDF-1.4 this is not a PDF", name="broken.pdf")
    )
    assert Resource.objects.get(pk=resource.pk).full_text == ""
    assert "not extracted" in caplog.text
    call_command("reindex")
    assert client.get(f"{URL}?q=broken").status_code == 200


def test_facet_counts_are_fresh_after_publish_and_withdraw(client):
    ghana = CountryFactory(code="GH")
    first = ResourceFactory(countries=[ghana])
    draft = ResourceFactory(countries=[ghana], status=Resource.Status.DRAFT)
    assert facet(client.get(URL), "country") == {"GH": 1}

    draft.status = Resource.Status.PUBLISHED
    draft.save()
    response = client.get(URL)
    assert facet(response, "country") == {"GH": 2}
    assert response.context["result_count"] == 2

    first.status = Resource.Status.WITHDRAWN
    first.save()
    response = client.get(URL)
    assert facet(response, "country") == {"GH": 1}
    assert response.context["result_count"] == 1

    draft.countries.clear()
    assert facet(client.get(URL), "country") == {}


def test_search_with_filters_agrees_with_facet_counts(client):
    gh, tz = CountryFactory(code="GH"), CountryFactory(code="TZ")
    gender = ThemeFactory(slug="gender", name="Gender")
    ResourceFactory(title="Mercury use in Ghana", countries=[gh], themes=[gender])
    ResourceFactory(title="Mercury trade", countries=[gh, tz])
    ResourceFactory(title="Mercury and women", countries=[tz], themes=[gender])
    ResourceFactory(title="Gold prices", countries=[gh], themes=[gender])

    searched = client.get(f"{URL}?q=mercury")
    assert searched.context["result_count"] == 3
    countries = facet(searched, "country")
    assert countries == {"GH": 2, "TZ": 2}
    for code, count in countries.items():
        narrowed = client.get(f"{URL}?q=mercury&country={code.lower()}")
        assert narrowed.context["result_count"] == count
        # The theme facet within country+search counts what adding the theme would give.
        for theme, n in facet(narrowed, "theme").items():
            both = client.get(f"{URL}?q=mercury&country={code.lower()}&theme={theme}")
            assert both.context["result_count"] == n
    # Unsearched counts are the superset.
    assert facet(client.get(URL), "country") == {"GH": 3, "TZ": 2}


def test_site_search_groups_resources(client, django_assert_max_num_queries, warm_facet_index):
    ResourceFactory(title="Mercury in Ghana")
    ResourceFactory(title="Something else")
    # version + facets/total + page ids + rows + 4 prefetches + choice lists (3) + content
    # type + snippets: the library's own budget for one page of results.
    warm_facet_index()
    with django_assert_max_num_queries(17):
        response = client.get(reverse("search") + "?q=mercury")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Library resources" in body
    assert "<mark>Mercury</mark> in Ghana" in body
    assert "Something else" not in body
    assert client.get(reverse("search")).status_code == 200


# -- Full-text search on both databases (PostgreSQL's index table, SQLite's FTS5) ---


@pytest.fixture
def corpus():
    made = {
        "title": ResourceFactory(title="Cobalt supply chains", summary="Trade.", year=2010),
        "body": with_pdf(
            "A long report that mentions cobalt once.", title="Annual report", year=2024
        ),
        "summary": ResourceFactory(title="Markets", summary="Cobalt prices rose.", year=2020),
        "es": ResourceFactory(
            title="La formalización de la minería artesanal", language="es", year=2019
        ),
    }
    return made


def test_title_match_beats_summary_beats_body(client, corpus):
    response = client.get(f"{URL}?q=cobalt")
    assert titles(response) == ["Cobalt supply chains", "Markets", "Annual report"]


@pytest.mark.parametrize("query", ["formalizacion", "formalización", "formalizar", "FORMALIZACIÓN"])
def test_spanish_stemming_and_accents(client, corpus, query):
    response = client.get(f"{URL}?q={query}")
    assert titles(response) == ["La formalización de la minería artesanal"]


def test_websearch_syntax_and_prefix(client, corpus):
    # (Not "-report": every resource here is a report, and its type is among its words.)
    assert titles(client.get(f"{URL}?q=cobalt -prices -annual")) == ["Cobalt supply chains"]
    # ("prices": a word the thesaurus leaves alone, so the result is the syntax's alone.)
    assert set(titles(client.get(f"{URL}?q=prices or formalización"))) == {
        "Markets",
        "La formalización de la minería artesanal",
    }
    assert titles(client.get(f'{URL}?q="supply chains"')) == ["Cobalt supply chains"]
    # The last word typed matches as a prefix.
    assert titles(client.get(f"{URL}?q=cobalt supp")) == ["Cobalt supply chains"]


def test_snippets_highlight_and_escape(client):
    ResourceFactory(
        title="Injection",
        summary='<script>alert("x")</script> 1 < 3 <img src=x onerror=alert(1) tantalum & more',
    )
    response = client.get(f"{URL}?q=tantalum")
    snippet = response.context["resources"][0].snippet
    assert "<mark>tantalum</mark>" in snippet
    assert "<img" not in snippet
    assert "<script" not in snippet
    assert "&amp; more" in snippet
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body


def test_snippet_comes_from_the_document_text(client):
    with_pdf("Elsewhere the scandium price doubled in 2019.", title="Prices")
    body = client.get(f"{URL}?q=scandium").content.decode()
    assert "<mark>scandium</mark>" in body


def test_snippet_is_the_summary_when_it_holds_the_words(client):
    with_pdf(
        "The annex on scandium tailings lists every site by district.",
        title="Prices",
        summary="How the scandium price doubled for diggers in 2019.",
    )
    with_pdf("Scandium appears in the annex only.", title="Annex", summary="Sands and dunes.")
    snippets = {r.title: r.snippet for r in client.get(f"{URL}?q=scandium").context["resources"]}
    assert "<mark>scandium</mark> price doubled" in snippets["Prices"]
    assert "tailings" not in snippets["Prices"]
    # A summary without the word: the snippet reads on into the document text.
    assert "<mark>Scandium</mark> appears in the annex" in snippets["Annex"]
    # A summary with one of the words searched for is enough.
    response = client.get(f"{URL}?q=scandium tailings")
    assert [r.title for r in response.context["resources"]] == ["Prices"]
    snippet = response.context["resources"][0].snippet
    assert "<mark>scandium</mark> price doubled" in snippet
    assert "annex" not in snippet


def test_snippets_mark_the_thesaurus_equivalents_too(client):
    # Found by the word as typed: the equivalent beside it is marked too, escaped.
    ResourceFactory(
        title="Amalgam",
        summary="Mercury, which diggers call azogue, is burnt off in 1 < 3 camps & more.",
    )
    # Found only by an equivalent, in its summary.
    ResourceFactory(
        title="Informe de campo",
        language="es",
        summary="El mercurio se quema al aire libre en los campamentos.",
    )
    ResourceFactory(title="Unrelated", summary="Sands and dunes.")
    response = client.get(f"{URL}?q=mercury")
    snippets = {r.title: r.snippet for r in response.context["resources"]}
    assert set(snippets) == {"Amalgam", "Informe de campo"}
    assert "<mark>Mercury</mark>, which diggers call <mark>azogue</mark>" in snippets["Amalgam"]
    assert "1 &lt; 3 camps &amp; more" in snippets["Amalgam"]
    assert "El <mark>mercurio</mark> se quema" in snippets["Informe de campo"]


def spellings(response):
    return [spelling for spelling, _url in response.context.get("spellings", [])]


def test_did_you_mean_on_a_misspelling(client):
    ResourceFactory(title="Mercury in artisanal gold mining")
    response = client.get(f"{URL}?q=mercurry")
    assert response.context["result_count"] == 0
    assert spellings(response) == ["mercury"]
    assert "Did you mean" in response.content.decode()
    assert "spellings" not in client.get(f"{URL}?q=mercury").context


def test_closest_spelling_links_keep_the_other_filters(client):
    ghana = CountryFactory(code="GH")
    ResourceFactory(title="Formalisation of gold mining", countries=[ghana])
    ResourceFactory(title="Cobalt markets")
    response = client.get(URL, {"q": "formalisaton", "country": "GH", "sort": "year"})
    assert response.context["result_count"] == 0
    ((spelling, url),) = response.context["spellings"]
    assert spelling == "formalisation"
    assert "country=GH" in url and "sort=year" in url
    assert (
        f'<ul aria-labelledby="spellings-label"><li><a href="{url.replace("&", "&amp;")}">'
        in response.content.decode()
    )
    found = client.get(URL + url)
    assert found.context["result_count"] == 1
    assert "spellings" not in found.context


def test_a_word_with_two_close_spellings_offers_both_closest_first(client):
    ResourceFactory(title="Prospecting in the hills")
    ResourceFactory(title="Prospectors of the hills")
    ResourceFactory(title="Cobalt markets")
    response = client.get(URL, {"q": "prospectng"})
    assert spellings(response) == ["prospecting", "prospectors"]
    body = response.content.decode()
    assert body.index(">prospecting</a>") < body.index(">prospectors</a>")
    # Each is offered only if it finds more than the search typed: beside "cobalt",
    # neither finds anything.
    response = client.get(URL, {"q": "prospectng hills"})
    assert spellings(response) == ["prospecting hills", "prospectors hills"]
    assert spellings(client.get(URL, {"q": "prospectng cobalt"})) == []


def test_spellings_closest_first_at_most_three_that_find_more():
    """The rule both backends share (spelling.py), over given near words and counts."""
    nearest = {
        "cobolt": [("cobalt", 0.8), ("cobold", 0.6), ("kobolt", 0.5), ("far", 0.1)],
        "gols": [("gold", 0.7), ("gods", 0.65)],
    }
    # The closest of each word first, then one word farther, by total similarity; a
    # fourth candidate of a word is never read.
    assert spelling.corrected("cobolt -gols gols", nearest) == [
        "cobalt -gold gold",
        "cobalt -gods gods",
        "cobold -gold gold",
        "kobolt -gold gold",
    ]
    found = {"cobalt gold": 1, "cobalt gods": 3, "cobold gold": 4, "kobolt gold": 9}

    def count(searches, limit):
        assert limit == 2
        return [min(found[search], limit) for search in searches]

    offered = spelling.spellings("cobolt gols", 1, nearest=lambda words: nearest, count=count)
    assert offered == ["cobalt gods", "cobold gold", "kobolt gold"]
    found["cobalt gold"] = 5
    offered = spelling.spellings("cobolt gols", 1, nearest=lambda words: nearest, count=count)
    assert offered == ["cobalt gold", "cobalt gods", "cobold gold"]
    # A quoted phrase is meant as typed; a word known to the index has no entry.
    assert spelling.spellings('"cobolt"', 0, nearest=None, count=None) == []
    assert spelling.spellings("cobolt", 0, nearest=lambda words: {}, count=None) == []


def test_relevance_ties_go_to_recent_work(client):
    ResourceFactory(title="Gold in 2001", year=2001)
    ResourceFactory(title="Gold in 2021", year=2021)
    assert titles(client.get(f"{URL}?q=gold")) == ["Gold in 2021", "Gold in 2001"]


def test_index_holds_only_published_resources(on_postgres):
    shown = ResourceFactory()
    hidden = ResourceFactory(status=Resource.Status.DRAFT)
    from resources.models import ResourceSearch

    assert set(ResourceSearch.objects.values_list("pk", flat=True)) == {shown.pk}
    call_command("reindex", "--skip-extraction")
    assert set(ResourceSearch.objects.values_list("pk", flat=True)) == {shown.pk}
    assert hidden.pk not in set(ResourceSearch.objects.values_list("pk", flat=True))


def test_last_bare_word():
    assert tsquery.last_bare_word("mercury wom") == "wom"
    assert tsquery.last_bare_word('"women miners"') == ""
    assert tsquery.last_bare_word("gold -mercury") == ""
    assert tsquery.last_bare_word("gold or") == ""


def test_repeated_page_comes_from_the_cache_until_the_library_changes(
    client, on_postgres, django_assert_max_num_queries
):
    resource = ResourceFactory(title="Mercury in Ghana")
    first = client.get(f"{URL}?q=mercury")
    # One query: the content version; the page itself comes from the cache.
    with django_assert_max_num_queries(1):
        again = client.get(f"{URL}?q=mercury")
    assert again.content == first.content
    resource.title = "Mercury in Tanzania"
    resource.save()
    assert "<mark>Mercury</mark> in Tanzania" in client.get(f"{URL}?q=mercury").content.decode()


def test_detail_lists_related_resources_and_profile_counts(client):
    ghana = CountryFactory(code="GH")
    one = ResourceFactory(title="One", countries=[ghana], tags=["mercury", "gold"])
    ResourceFactory(title="Two shares two tags", tags=["mercury", "gold"], year=2001)
    ResourceFactory(title="Three shares a tag", tags=["gold"], year=2024)
    ResourceFactory(title="Four shares nothing", tags=["salt"])
    related = [r.title for r in client.get(one.get_absolute_url()).context["related"]]
    assert set(related) == {"Two shares two tags", "Three shares a tag"}
    if connection.vendor == "postgresql":
        # Most shared first (the index's scoring; the ORM fallback orders its own way).
        assert related == ["Two shares two tags", "Three shares a tag"]

    response = client.get(reverse("country-detail", args=["gh"]))
    assert response.status_code == 200
    assert "One" in response.content.decode()


DISTINCT_QUERIES = [
    "cobalt",
    "cobalt supply",
    '"supply chains"',
    "cobalt -prices",
    "-cobalt",
    "the",
    "markets or formalización",
    "minería artesanal",
    "it's",
    "back\\slash",
    "a:b & c | !d <-> e",
    '"',
    "cob",
]


def test_distinct_readings_of_a_search_find_what_all_readings_do(on_postgres, corpus):
    """tsquery_sql(distinct=True) says each configuration's reading once: the documents
    it matches must be the very ones the reading in every configuration matches."""

    def matches(text, distinct):
        query, params = tsquery.tsquery_sql(text, distinct=distinct)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.title FROM resources_resourcesearch s JOIN resources_resource r"
                f" ON r.id = s.resource_id WHERE s.vector @@ {query} ORDER BY 1",
                params,
            )
            return [row[0] for row in cursor.fetchall()]

    found = {}
    for text in DISTINCT_QUERIES:
        found[text] = matches(text, distinct=True)
        assert found[text] == matches(text, distinct=False), text
    # The corpus tells the queries apart, so an answer of "nothing" everywhere fails.
    assert found["cobalt"] == ["Annual report", "Cobalt supply chains", "Markets"]
    assert found["-cobalt"] == ["La formalización de la minería artesanal"]
    assert found['"supply chains"'] == ["Cobalt supply chains"]
    assert found["the"] == found['"'] == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "-",
        "--",
        "or",
        '"unclosed phrase',
        "a:*",
        "!&|()",
        "'",
        "\\",
        "-gold",
        "x\x00y",
        "ñ" * 199,
        "gold -",
        "a <-> b",
        "***",
        "é",
        'formalisaton -gold or "cobolt"',
        "mercurry or -mercurry (prospectng) a:* !&|",
        "mercurry " * 1250,
        "x" * 10_000,
    ],
)
def test_any_query_text_answers_without_error(client, query):
    ResourceFactory(title="Gold")
    for url in (URL, reverse("search"), reverse("feeds:resources")):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, (url, query)


@pytest.mark.django_db(transaction=True)
def test_reindex_side_by_side_from_empty(on_postgres):
    from resources.models import ResourceSearch

    published = {ResourceFactory(title=f"Gold {i}").pk for i in range(5)}
    ResourceFactory(status=Resource.Status.DRAFT)
    assert indexing.reindex(batch_size=2, empty_first=True, workers=2) == 5
    assert set(ResourceSearch.objects.values_list("pk", flat=True)) == published
    assert LibraryIndex({}, q="gold").count() == 5
