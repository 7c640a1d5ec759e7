"""A result's snippet (PostgreSQL's ts_headline) is kept for its resource and search under
the content version, whatever the filters, sort and page around it: computed once for
every page that shows it, and the same bytes as computing it for each page."""

import random

import pytest
from django.core.cache import cache
from django.test import override_settings

from resources.search import snippets as snippets_module
from resources.search.version import forget_kept
from tests.factories import CountryFactory, ResourceFactory

from .test_kept import WORDS, states

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_postgres")]


@pytest.fixture
def library(warm_facet_index):
    ghana, peru = CountryFactory(code="GH"), CountryFactory(code="PE")
    rng = random.Random(7)
    for n in range(30):
        ResourceFactory(
            title=f"Study {n} of {rng.choice(WORDS)}",
            summary=" ".join(rng.choices(WORDS + ["the", "river", "village"], k=30)),
            year=2000 + n % 20,
            countries=[rng.choice([ghana, peru])],
        )
    warm_facet_index()


@pytest.fixture
def asked(monkeypatch):
    """The ids each computation of snippets was asked for, in order."""
    calls = []
    compute = snippets_module.snippets

    def spy(ids, text):
        calls.append(list(ids))
        return compute(ids, text)

    monkeypatch.setattr(snippets_module, "snippets", spy)
    return calls


def snippet_count(response):
    return response.content.decode().count('class="result-summary snippet"')


def test_a_snippet_is_computed_once_for_every_page_that_shows_it(client, library, asked):
    computed = set()
    for url in ("/resources/?q=mercury", "/resources/?q=mercury&page=2"):
        asked.clear()
        assert snippet_count(client.get(url)) > 0, url
        # Only what no page has shown yet.
        new = {pk for call in asked for pk in call}
        assert new and not new & computed, url
        computed |= new

    # Every match has its snippet now: other sorts and filters compute none.
    for url in ("/resources/?q=mercury&sort=title", "/resources/?q=mercury&country=gh"):
        asked.clear()
        assert snippet_count(client.get(url)) > 0, url
        assert asked == [], url

    # Other words are other snippets, of the same resources too.
    asked.clear()
    client.get("/resources/?q=mercury+river&sort=title")
    assert asked and set(asked[0]) & computed


def test_kept_snippets_make_the_same_pages_as_computing_each(client, library):
    urls = [url for url in states(random.Random(3), 80) if "q=" in url]
    kept = [client.get(url) for url in urls]
    assert sum(snippet_count(page) for page in kept) > 50
    cache.clear()
    forget_kept()
    with override_settings(ASMHUB_SEARCH_CACHE_SECONDS=0, ASMHUB_SEARCH_PAGE_CACHE=False):
        for url, page in zip(urls, kept, strict=True):
            assert client.get(url).content == page.content, url


def test_a_changed_summary_is_snippeted_anew(client, library, warm_facet_index, asked):
    client.get("/resources/?q=cyanide")
    resource = ResourceFactory(title="Leaching", summary="Cyanide heap leaching near a river")
    warm_facet_index()
    page = client.get("/resources/?q=cyanide&sort=title").content.decode()
    assert "<mark>Cyanide</mark> heap leaching" in page
    resource.summary = "Cyanide vats and a tailings dam"
    resource.save()
    warm_facet_index()
    page = client.get("/resources/?q=cyanide&sort=oldest").content.decode()
    assert "<mark>Cyanide</mark> vats" in page
    assert "heap leaching" not in page
