"""The header and footer are written once per language and section in each process (the
fragment cache, {% cache %} in templates/includes/): a page written with fragments kept
from other pages is the page written afresh, byte for byte, in every language, section
and error page, and the sections' current-page marks follow the page."""

import random
import re

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/resources/",
    "/resources/?q=gold&country=gh",
    "/resources/gold-in-ghana/",
    "/countries/",
    "/learning-groups/",
    "/outlooks/",
    "/dialogues/",
    "/voices/",
    "/organisations/",
    "/news/",
    "/about/",
    "/search/?q=gold",
    "/statistics/",
    "/resources/no-such-resource/",
]
LANGUAGES = ["", "/es", "/fr", "/pt", "/sw"]


def afresh(client, url):
    caches["template_fragments"].clear()
    return client.get(url)


def test_pages_with_kept_fragments_are_the_pages_written_afresh(client):
    ResourceFactory(title="Gold in Ghana", slug="gold-in-ghana")
    urls = [f"{language}{path}" for language in LANGUAGES for path in PATHS]
    fresh = {url: afresh(client, url) for url in urls}
    # Then every page again in another order, each with what the pages before it kept.
    random.Random(7).shuffle(urls)
    caches["template_fragments"].clear()
    for url in urls:
        kept = client.get(url)
        assert kept.status_code == fresh[url].status_code, url
        assert kept.status_code in (200, 404), url
        assert kept.content == fresh[url].content, url


def test_each_section_marks_itself_in_the_kept_header(client):
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    client.get("/resources/")  # the library's header kept first
    assert current.findall(client.get("/dialogues/").content.decode()) == ["/dialogues/"]
    assert current.findall(client.get("/es/resources/").content.decode()) == ["/es/resources/"]
    assert current.findall(client.get("/about/").content.decode()) == []


def test_the_site_name_is_part_of_what_is_kept(client, settings):
    before = client.get("/es/").content.decode()
    with override_settings(ASMHUB_SITE_NAME="Hub de la MAPE"):
        renamed = client.get("/es/").content.decode()
    assert renamed.count("Hub de la MAPE") == before.count(settings.ASMHUB_SITE_NAME)
