"""Every list of resources shows a title in the reader's language where the resource has
a translation in it, marked with its lang, and the original below it with its own: the
library, the home page, the site-wide search, a country's and an organisation's page, a
resource's related resources, a learning group's meetings' documents and outputs, a
dialogue's documents and a news item's resources; the Atom feed names each entry in the
language of its link. In the resource's own language, the original alone."""

from collections import OrderedDict

import feedparser
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from resources.listing import listed
from resources.models import ResourceTranslation
from tests.factories import (
    CountryFactory,
    DialogueDocumentFactory,
    DialogueFactory,
    LearningGroupFactory,
    MeetingFactory,
    NewsFactory,
    OrganisationFactory,
    ResourceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ORIGINAL = "Mercury use in small-scale gold mining"
TITLES = {
    "es": "El uso del mercurio en la minería aurífera",
    "sw": "Matumizi ya zebaki katika uchimbaji mdogo wa dhahabu",
}


def shown(code):
    """The title as a list shows it to a reader of code."""
    return (
        f'<span lang="{code}">{TITLES[code]}</span>'
        f' <small class="original-title" lang="en">{ORIGINAL}</small>'
    )


@pytest.fixture
def ghana():
    return CountryFactory(code="GH")


@pytest.fixture
def resource(ghana):
    resource = ResourceFactory(
        title=ORIGINAL,
        language="en",
        is_featured=True,
        countries=[ghana],
        owner=OrganisationFactory(slug="igf"),
    )
    for code, title in TITLES.items():
        ResourceTranslation.objects.create(resource=resource, language=code, title=title)
    return resource


def page(client, code, name, *args, query=""):
    with translation.override(code):
        url = reverse(name, args=args)
    return client.get(url + query).content.decode()


def lists(client, code, resource):
    """Each list of resources a reader of code sees the resource in, by name."""
    other = ResourceFactory(title="Gold in Ghana", countries=list(resource.countries.all()))
    group = LearningGroupFactory(slug="ghana-llg", outputs=[resource])
    MeetingFactory(group=group, documents=[resource])
    DialogueDocumentFactory(dialogue=DialogueFactory(slug="tarkwa"), resource=resource)
    NewsFactory(slug="hub-news", resources=[resource])
    return {
        "library": page(client, code, "resources:list"),
        "search in the library": page(client, code, "resources:list", query="?q=mercury"),
        "home": page(client, code, "home"),
        "site search": page(client, code, "search", query="?q=mercury"),
        "country": page(client, code, "country-detail", "gh"),
        "organisation": page(client, code, "network:organisation-detail", "igf"),
        "related": page(client, code, "resources:detail", other.slug),
        "learning group": page(client, code, "learning_groups:detail", "ghana-llg"),
        "dialogue": page(client, code, "dialogues:detail", "tarkwa"),
        "news": page(client, code, "network:news-detail", "hub-news"),
    }


@pytest.mark.parametrize("code", ["es", "sw"])
def test_every_list_shows_the_title_in_the_readers_language_then_the_original(
    client, resource, code, warm_facet_index
):
    warm_facet_index()
    for name, html in lists(client, code, resource).items():
        if name.startswith("search") or name == "site search":
            # The words searched for are marked in the original.
            assert f'<span lang="{code}">{TITLES[code]}</span>' in html, name
            assert '<small class="original-title" lang="en"><mark>Mercury</mark>' in html, name
        else:
            assert shown(code) in html, name


def test_in_the_resources_own_language_a_list_shows_the_original_alone(
    client, resource, warm_facet_index
):
    warm_facet_index()
    pages = lists(client, "en", resource)
    for name, html in pages.items():
        assert "original-title" not in html, name
        assert TITLES["es"] not in html and TITLES["sw"] not in html, name
    assert f'">{ORIGINAL}</a></h3>' in pages["library"]


def test_a_language_without_a_translation_shows_the_original_alone(client, resource):
    html = page(client, "fr", "resources:list")
    assert f'">{ORIGINAL}</a></h3>' in html
    assert "original-title" not in html


def test_a_row_keeps_every_language_and_chooses_when_shown(resource):
    # Rows are kept per content version whatever the reader's language: the same kept row
    # shows each reader the title in theirs.
    kept = OrderedDict()
    (row,) = listed([resource.pk], kept)
    template = Template("{% load library %}{% result_row row %}")
    for code in ("es", "sw"):
        (again,) = listed([resource.pk], kept)
        with translation.override(code):
            assert shown(code) in template.render(Context({"row": again}))
    with translation.override("en"):
        assert "original-title" not in template.render(Context({"row": row}))


def test_an_original_in_another_language_keeps_no_lang(resource):
    resource.language = "other"
    resource.save()
    with translation.override("es"):
        html = Template("{% load library %}{% listed_title resource %}").render(
            Context({"resource": resource})
        )
    assert html == (
        f'<span lang="es">{TITLES["es"]}</span> <small class="original-title">{ORIGINAL}</small>'
    )


@pytest.mark.parametrize("code", ["en", "es", "sw"])
def test_the_feed_names_each_entry_in_the_language_of_its_link(client, resource, code):
    # No query more: the feed's rows already read the translated titles (records.py).
    feed = feedparser.parse(page(client, code, "feeds:resources").encode())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == [TITLES.get(code, ORIGINAL)]
