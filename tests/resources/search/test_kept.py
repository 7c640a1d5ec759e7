"""What a process keeps under the content version (version.per_version: the vocabularies'
names, the tags checked, the rows of result lists) never shows on a page as anything but
what reading it afresh would: the same bytes for random states and languages, and right
after a change."""

import random

import pytest
from django.test import override_settings

from resources.search.version import forget_kept
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

WORDS = ["gold", "mercury", "women", "licence", "cooperatives"]
LANGUAGES = ["", "/es", "/fr", "/pt", "/sw"]


@pytest.fixture
def library():
    countries = [CountryFactory(code=code) for code in ("GH", "TZ", "PE")]
    themes = [ThemeFactory(slug=slug, name=slug.title()) for slug in ("mercury", "gender")]
    rng = random.Random(4)
    for n in range(45):
        ResourceFactory(
            title=f"{rng.choice(WORDS).title()} and {rng.choice(WORDS)} in study {n}",
            summary=" ".join(rng.choices(WORDS, k=12)),
            year=2000 + n % 20,
            countries=rng.sample(countries, rng.randint(0, 2)),
            themes=rng.sample(themes, rng.randint(0, 2)),
            tags=rng.sample(WORDS, 2),
        )
    return countries


def states(rng, count):
    for _ in range(count):
        params = []
        if rng.random() < 0.5:
            params.append(f"country={rng.choice(['gh', 'tz', 'pe'])}")
        if rng.random() < 0.3:
            params.append(f"theme={rng.choice(['mercury', 'gender'])}")
        if rng.random() < 0.3:
            params.append(f"tag={rng.choice(WORDS)}")
        if rng.random() < 0.4:
            params.append(f"q={rng.choice(WORDS)}")
        if rng.random() < 0.3:
            params.append(f"sort={rng.choice(['newest', 'oldest', 'title'])}")
        if rng.random() < 0.2:
            params.append("page=2")
        yield f"{rng.choice(LANGUAGES)}/resources/?{'&'.join(params)}"


def afresh(client, url):
    forget_kept()
    return client.get(url)


# Every page computed (nothing from the page or parts cache), so what differs between
# two answers is only what per_version kept.
@override_settings(ASMHUB_SEARCH_CACHE_SECONDS=0)
def test_kept_names_and_rows_make_the_same_page_as_reading_them_afresh(
    client, library, warm_facet_index
):
    warm_facet_index()
    rng = random.Random(22)
    for url in states(rng, 40):
        kept = client.get(url)
        fresh = afresh(client, url)
        assert kept.status_code == fresh.status_code, url
        assert kept.content == fresh.content, url


@override_settings(ASMHUB_SEARCH_CACHE_SECONDS=0)
def test_a_change_is_shown_at_once(client, library, warm_facet_index):
    warm_facet_index()
    url = "/es/resources/?country=gh"
    client.get(url)  # its rows and names kept
    resource = ResourceFactory(title="Gold first", year=2030, countries=[library[0]])
    resource.title = "Oro renamed"
    resource.save()
    theme = ThemeFactory(slug="water", name="Water")
    resource.themes.add(theme)
    warm_facet_index()
    changed = client.get(url)
    assert "Oro renamed" in changed.content.decode()
    assert changed.content == afresh(client, url).content
    # A theme that is new is a filter at once, not an ignored parameter.
    assert "Water" in client.get(f"{url}&theme=water").content.decode()
