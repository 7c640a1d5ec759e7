"""Why each result matched (its words marked in the title and themes) and a page that
finds nothing: closest spelling, the search without its most restrictive filter, and the
thesaurus's words in other languages. On both databases."""

import pytest
from django.urls import reverse

from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = reverse("resources:list")


@pytest.fixture
def library():
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    ghana, peru = CountryFactory(code="GH"), CountryFactory(code="PE")
    ResourceFactory.create_batch(3, title="Mercury in Ghana", themes=[mercury], countries=[ghana])
    ResourceFactory(title="Mercurio en el Perú", language="es", countries=[peru], year=2015)
    ResourceFactory(title="<b>Gold</b> & mercury", summary="")


def test_title_words_and_themes_are_marked_and_escaped(client, library):
    response = client.get(URL, {"q": "mercurio"})
    body = response.content.decode()
    assert "<mark>Mercurio</mark> en el Perú" in body
    assert "<mark>Mercury</mark> in Ghana" in body
    assert '<span class="pill pill-theme"><mark>Mercury</mark></span>' in body
    assert "&lt;b&gt;Gold&lt;/b&gt; &amp; <mark>mercury</mark>" in body
    assert "<b>Gold</b>" not in body


def test_zero_results_offer_the_search_without_the_most_restrictive_filter(client, library):
    response = client.get(URL, {"q": "mercury", "country": ["pe"], "year_to": "2010"})
    assert response.context["result_count"] == 0
    relaxed = response.context["relaxed"]
    assert relaxed["count"] == 1 and "2010" in relaxed["label"]
    body = response.content.decode()
    assert "1 resource</a>" in body
    assert client.get(URL + relaxed["url"]).context["result_count"] == 1


def test_zero_results_offer_other_languages_and_spellings(client, library):
    response = client.get(URL, {"q": "zebaki"}, HTTP_ACCEPT_LANGUAGE="en")
    # The thesaurus finds the mercury resources by their Swahili word.
    assert response.context["result_count"] == 5
    response = client.get(URL, {"q": "mercury", "country": ["pe"], "year_to": "2010"})
    words = [word for word, _url in response.context["other_languages"]]
    assert "mercurio" in words and "zebaki" in words and "mercury" not in words
    response = client.get(URL, {"q": "mercurry"})
    assert response.context["result_count"] == 0
    # The closest spellings, closest first: the English and the Spanish word.
    assert [spelling for spelling, _url in response.context["spellings"]] == [
        "mercury",
        "mercurio",
    ]
    assert response.context["relaxed"] is None


def test_no_other_languages_when_results(client, library):
    response = client.get(URL, {"q": "mercury"})
    assert "other_languages" not in response.context and "relaxed" not in response.context
