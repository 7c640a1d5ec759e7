"""Every human page in each interface language: its catalogue complete, the page under
/<code>/ (English unprefixed) with lang, hreflang alternates, a canonical URL and a
switcher that keeps the query string; none of the English strings its catalogue
translates left on it; alerts mailed in the subscriber's language."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHERS = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(code):
    with open(ROOT / "locale" / code / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=code)


@pytest.mark.parametrize("code", OTHERS)
def test_the_catalogue_is_complete(code):
    messages = [message for message in catalogue(code) if message.id]
    untranslated = [
        message.id
        for message in messages
        if not (all(message.string) if message.pluralizable else message.string)
    ]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert len(messages) > 500
    assert untranslated == [], f"{len(untranslated)} untranslated in {code}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {code}"


def test_every_interface_language_has_a_catalogue():
    """Adding a language is a catalogue and one line of settings: both must be there."""
    folders = {path.name for path in (ROOT / "locale").iterdir() if path.is_dir()}
    assert set(OTHERS) <= folders


@pytest.fixture
def library(db):
    ghana = CountryFactory(code="GH", is_programme_country=True)
    theme = ThemeFactory(slug="mercury", name="Mercury")
    resource = ResourceFactory(title="Gold and mercury in Ghana", countries=[ghana], themes=[theme])
    return resource


def prefixed(code, path):
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


PAGES = [
    "/",
    "/resources/",
    "/resources/?country=gh",
    "/countries/",
    "/countries/gh/",
    "/learning-groups/",
    "/outlooks/",
    "/dialogues/",
    "/search/?q=gold",
    "/alerts/subscribe/?country=gh",
    "/voices/",
    "/voices/share/",
]


def page_paths(resource):
    return [*PAGES, f"/resources/{resource.slug}/"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_page_in_each_language_says_so(client, library, code):
    for path in page_paths(library):
        url = prefixed(code, path)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{code}">' in html, url
        alternates = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
        )
        bare = path.split("?")[0]
        expected = {other: f"http://testserver{prefixed(other, bare)}" for other in LANGUAGES}
        expected["x-default"] = f"http://testserver{bare}"
        assert alternates == expected, url
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        # The library's canonical URL keeps its filters (one spelling of each state).
        assert canonical.split("?")[0] == f"http://testserver{prefixed(code, bare)}", url


with translation.override("en"):
    LANGUAGE_NAMES = {str(name) for _code, name in settings.LANGUAGES}


def english_strings_on(html, messages):
    """The catalogue's translated English strings that stand whole as an element's text,
    a label or a placeholder."""
    return {
        message.id
        for message in messages
        if f">{message.id}<" in html
        or f'aria-label="{message.id}"' in html
        or f'placeholder="{message.id}"' in html
    }


@pytest.mark.parametrize("code", OTHERS)
def test_no_english_left_where_the_catalogue_translates_it(library, code):
    translated = [
        message
        for message in catalogue(code)
        if isinstance(message.id, str)
        and message.string
        and message.string != message.id
        and "%" not in message.id
        and len(message.id) > 3
        # The switcher names each language in that language, on purpose.
        and message.id not in LANGUAGE_NAMES
    ]
    client = Client()
    for path in page_paths(library):
        english = client.get(path).content.decode()
        other = client.get(prefixed(code, path)).content.decode()
        expected = english_strings_on(english, translated)
        assert expected, path  # the page has strings the catalogue translates
        left = english_strings_on(other, [m for m in translated if m.id in expected])
        assert left == set(), f"{prefixed(code, path)} still says {sorted(left)[:5]}"


def test_the_switcher_keeps_the_page_and_its_filters(client, library):
    response = client.get("/resources/?country=gh&q=gold")
    html = response.content.decode()
    switcher = html[html.index('class="languages"') :]
    for code in OTHERS:
        assert f'href="/{code}/resources/?country=gh&amp;q=gold"' in switcher
    assert 'aria-current="true">English</a>' in switcher
    spanish = client.get("/es/resources/?country=gh&q=gold").content.decode()
    assert 'href="/resources/?country=gh&amp;q=gold" lang="en"' in spanish
    assert 'aria-current="true">Español</a>' in spanish


def test_machine_endpoints_keep_one_url(client, library):
    assert client.get("/api/resources/").status_code == 200
    assert client.get("/es/api/resources/").status_code == 404
    assert client.get("/oai?verb=Identify").status_code == 200
    assert client.get("/es/oai?verb=Identify").status_code == 404
    assert client.get("/robots.txt").status_code == 200


def test_feeds_take_the_language_of_their_link(client, library):
    path = f"/resources/{library.slug}/"
    english = client.get("/feeds/resources.atom").content.decode()
    spanish = client.get("/es/feeds/resources.atom").content.decode()
    assert '<feed xml:lang="en"' in english and f"http://testserver{path}" in english
    assert '<feed xml:lang="es"' in spanish and f"http://testserver/es{path}" in spanish


def test_the_sitemap_names_each_language_version(client, library):
    xml = client.get(reverse("sitemap")).content.decode()
    url = f"/resources/{library.slug}/"
    for code in OTHERS:
        assert f'hreflang="{code}" href="http://testserver/{code}{url}"' in xml
    assert f'hreflang="x-default" href="http://testserver{url}"' in xml


def test_an_alert_asked_in_spanish_is_confirmed_in_spanish(client, library, mailoutbox):
    response = client.post(
        "/es/alerts/subscribe/?country=gh",
        {"email": "lectora@example.org", "frequency": "weekly"},
    )
    assert response.status_code == 200
    (message,) = mailoutbox
    spanish = {m.id: m.string for m in catalogue("es")}
    assert message.subject == spanish["Confirm your %(site)s alert"] % {"site": "ASM Hub"}
    assert "/es/alerts/confirm/" in message.body
