"""The thesaurus of the field and the vocabularies' words: a search in any language and
spelling finds what is filed under the concept it names, on both databases."""

import pytest
from django.urls import reverse

from resources.management.commands.load_demo import COMMODITIES, THEMES
from resources.search import thesaurus
from resources.search.backends import backend
from resources.search.version import forget_kept
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

URL = reverse("resources:list")


def test_every_concept_has_words_in_every_language():
    for concept, entry in thesaurus.concepts().items():
        for language in thesaurus.LANGUAGES:
            assert entry.get(language), (concept, language)


def test_every_vocabulary_term_is_a_concept():
    named = {term for entry in thesaurus.concepts().values() for term in entry["vocabulary"]}
    expected = {f"theme:{slug}" for slug in THEMES}
    expected |= {f"commodity:{slug}" for slug in COMMODITIES if slug != "other"}
    assert expected <= named


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("x", "x"),
        ("-mercury", "-mercury"),
        ('"mercury"', '"mercury"'),
        ("mercurio", "mercurio or mercury or"),
        ("Child labour", '"Child labour" or "child workers"'),
        ("zebaki peru", "zebaki or mercury"),
    ],
)
def test_expand_keeps_syntax_and_adds_equivalents(text, expanded):
    assert thesaurus.expand(text).startswith(expanded)


def test_other_languages_leave_out_the_interface_language():
    words = thesaurus.other_languages("mercurio", "es")
    assert "mercury" in words and "mercure" in words and "zebaki" in words
    assert "azogue" not in words and "mercurio" not in words


@pytest.fixture
def filed():
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    formal = ThemeFactory(slug="formalisation", name="Formalisation and licensing")
    gold = CommodityFactory(slug="gold", name="Gold")
    peru = CountryFactory(code="PE")
    return {
        "es": ResourceFactory(
            title="Informe sobre la Amazonía", language="es", themes=[mercury], countries=[peru]
        ),
        "formal": ResourceFactory(title="Annual review", themes=[formal], commodities=[gold]),
        "other": ResourceFactory(title="Cobalt prices"),
    }


def found(client, query):
    """The titles found (one request: on PostgreSQL a repeat comes from the page cache)."""
    return {r.title for r in client.get(URL, {"q": query}).context["resources"]}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["mercurio", "mercurio Perú", "Mercury", "mercure", "zebaki"])
def test_mercury_in_any_language_finds_the_spanish_report(client, filed, query):
    assert found(client, query) == {"Informe sobre la Amazonía"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["formalisation", "formalization", "formalización", "formalização", "urasimishaji"]
)
def test_formalisation_in_every_spelling_finds_the_theme(client, filed, query):
    titles = found(client, query)
    assert "Annual review" in titles and "Cobalt prices" not in titles


@pytest.mark.django_db
def test_gold_in_other_languages_finds_the_commodity(client, filed):
    for query in ("oro", "ouro", "dhahabu"):
        assert found(client, query) == {"Annual review"}


@pytest.mark.django_db
def test_each_word_of_a_search_may_be_found_by_an_equivalent_of_its_own(client):
    # Neither word as typed: both found by equivalents, in another language than each
    # other's (the search's every combination of equivalents, on both databases).
    ResourceFactory(title="Oro y mujeres en Madre de Dios", language="es", summary="")
    ResourceFactory(title="Oro en Madre de Dios", language="es", summary="")
    assert found(client, "gold women") == {"Oro y mujeres en Madre de Dios"}
    assert found(client, "women gold -madre") == set()


@pytest.mark.django_db
def test_curators_synonyms_find_the_term(client, filed):
    assert found(client, "kuchimba") == set()
    theme = filed["formal"].themes.get()
    theme.synonyms = "kuchimba\nregularización"
    theme.save()
    assert found(client, "kuchimba") == {"Annual review"}
    assert backend().library({}, q="regularizacion").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first"), [("estaño", "El estaño en Bolivia"), ("tin", "The tin of Bolivia")]
)
def test_an_exact_word_ranks_above_its_equivalent(client, query, first, warm_facet_index):
    ResourceFactory(title="The tin of Bolivia", language="en", year=2010)
    ResourceFactory(title="El estaño en Bolivia", language="es", year=2010)
    warm_facet_index()
    response = client.get(URL, {"q": query})
    assert [r.title for r in response.context["resources"]][0] == first


@pytest.mark.django_db
def test_the_expansion_adds_no_query(client, warm_facet_index):
    """A search the thesaurus expands asks no more of the database than one it leaves
    alone (the expansion is text), on both databases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = ThemeFactory(slug="mercury", name="Mercury")
    for n in range(4):
        ResourceFactory(title=f"Cobalt study {n}", themes=[theme])
    warm_facet_index()
    counts = []
    for query in ("study", "mercurio"):
        forget_kept()  # each search reads the names and rows a first one would
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": query})
        assert response.context["result_count"] == 4
        counts.append(len(queries))
    assert counts[0] == counts[1]
