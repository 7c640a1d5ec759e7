"""Where a page lists learning groups, dialogues, Outlooks or news (an organisation's
page, a country's, a news item's links, a dialogue's group, a voice's, the home page and
the site-wide search), each is named in the reader's language where a translation
exists, marked with its lang, and the original marked "en" where none does; breadcrumbs'
JSON-LD names its crumbs in the page's language, as the visible breadcrumbs do."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from dialogues.models import DialogueTranslation
from learning_groups.models import LearningGroupTranslation, OutlookReportTranslation
from network.models import NewsTranslation
from resources.models import ResourceTranslation
from tests.asmhub.test_content_languages import OTHERS, _jsonld, lang_of, prefixed, visible_text
from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    NewsFactory,
    OrganisationFactory,
    OutlookReportFactory,
    ResourceFactory,
)
from tests.voices.samples import VoiceFactory

pytestmark = pytest.mark.django_db

ORIGINALS = {
    "group": "Tarkwa group",
    "dialogue": "Tarkwa dialogue",
    "outlook": "Tarkwa outlook",
    "news": "Tarkwa news",
}


def version(code, kind):
    return f"Version {code} of the {kind}"


@pytest.fixture
def programme():
    """A Ghana group and dialogue convened by one organisation, an Outlook, a news item
    linking them and a voice about them, each translated into every other language; and
    a second dialogue of the organisation that nobody translated."""
    ghana = CountryFactory(code="GH", is_programme_country=True)
    fon = OrganisationFactory(name="Friends of the Nation", slug="fon", country=ghana)
    group = LearningGroupFactory(
        country=ghana, name=ORIGINALS["group"], slug="tarkwa-group", convenors=[fon]
    )
    dialogue = DialogueFactory(
        title=ORIGINALS["dialogue"], slug="tarkwa", country=ghana, learning_group=group
    )
    untranslated = DialogueFactory(title="Geita dialogue", slug="geita", country=ghana)
    for each in (dialogue, untranslated):
        each.convenors.add(fon)
    outlook = OutlookReportFactory(country=ghana, year=2018, title=ORIGINALS["outlook"])
    news = NewsFactory(
        title=ORIGINALS["news"], organisation=fon, countries=[ghana], learning_groups=[group]
    )
    news.dialogues.add(dialogue)
    voice = VoiceFactory(country=ghana, learning_group=group, dialogue=dialogue)
    for code in OTHERS:
        LearningGroupTranslation.objects.create(
            group=group, language=code, name=version(code, "group")
        )
        DialogueTranslation.objects.create(
            dialogue=dialogue, language=code, title=version(code, "dialogue")
        )
        OutlookReportTranslation.objects.create(
            report=outlook, language=code, title=version(code, "outlook")
        )
        NewsTranslation.objects.create(
            news=news, language=code, title=version(code, "news"), body="…"
        )
    return {
        "organisation": fon.get_absolute_url(),
        "country": ghana.get_absolute_url(),
        "news": news.get_absolute_url(),
        "dialogue": dialogue.get_absolute_url(),
        "voice": voice.get_absolute_url(),
        "home": reverse("home"),
        "search": reverse("search") + "?q=tarkwa",
        "group": group,
    }


# Each page and the kinds it lists (the page's own record among them where it is one).
LISTS = {
    "organisation": ["group", "dialogue", "news"],
    "country": ["group", "dialogue", "news"],
    "news": ["news", "group", "dialogue"],
    "dialogue": ["dialogue", "group"],
    "voice": ["group", "dialogue"],
    "home": ["dialogue", "news"],
    "search": ["group", "dialogue", "outlook"],
}


@pytest.mark.parametrize("code", OTHERS)
@pytest.mark.parametrize("page", LISTS)
def test_lists_name_each_record_in_the_readers_language(client, programme, page, code):
    response = client.get(prefixed(code, programme[page]))
    assert response.status_code == 200
    content = response.content.decode()
    for kind in LISTS[page]:
        assert lang_of(content, version(code, kind)) == code, kind
        assert ORIGINALS[kind] not in visible_text(content), kind


@pytest.mark.parametrize("code", OTHERS)
def test_an_untranslated_title_is_listed_as_the_original_marked_so(client, programme, code):
    content = client.get(prefixed(code, programme["organisation"])).content.decode()
    assert lang_of(content, "Geita dialogue") == "en"


def test_english_readers_see_the_originals(client, programme):
    content = client.get(programme["organisation"]).content.decode()
    for kind in ("group", "dialogue", "news"):
        assert lang_of(content, ORIGINALS[kind]) == "en"
        assert "Version" not in visible_text(content)


def test_a_dialogues_calendar_is_named_in_the_language_of_its_link(client, programme):
    body = client.get("/fr" + reverse("dialogues:event-ics", args=["tarkwa"])).content.decode()
    assert f"X-WR-CALNAME:{version('fr', 'dialogue')}" in body


def test_the_organisation_page_reads_translations_in_one_query_a_kind(
    client, programme, django_assert_max_num_queries
):
    # The page's pin (tests/network/test_organisations.py: 8, IGF being in no group) and
    # the group's translations, one query for every language (9).
    with django_assert_max_num_queries(9):
        assert client.get(prefixed("fr", programme["organisation"])).status_code == 200


def breadcrumbs(content):
    """The visible breadcrumbs' links and the JSON-LD trail, each as (name, address)."""
    tree = lxml_html.fromstring(content)
    visible = [
        (link.text_content(), "http://testserver" + link.get("href"))
        for link in tree.xpath('//nav[@class="breadcrumbs"]//a')
    ]
    trail = [
        (item["name"], item["item"])
        for item in _jsonld(content, "BreadcrumbList")["itemListElement"]
    ]
    return visible, trail


# Names no translation changes (a country's is the interface's own, in Spanish too).
UNTRANSLATED_NAMES = {"organisation": "Friends of the Nation", "country": "Ghana"}


@pytest.mark.parametrize("kind", ["dialogue", "group", "resource", "organisation", "country"])
def test_breadcrumbs_jsonld_in_the_pages_language_as_the_visible_ones(client, programme, kind):
    if kind == "resource":
        resource = ResourceFactory(title="Gold in Tarkwa", language="en")
        ResourceTranslation.objects.create(resource=resource, language="es", title="Oro en Tarkwa")
        path, name = resource.get_absolute_url(), "Oro en Tarkwa"
    elif kind == "group":
        path, name = programme["group"].get_absolute_url(), version("es", "group")
    elif kind in UNTRANSLATED_NAMES:
        path, name = programme[kind], UNTRANSLATED_NAMES[kind]
    else:
        path, name = programme["dialogue"], version("es", "dialogue")
    visible, trail = breadcrumbs(client.get("/es" + path).content.decode())
    home = ("Inicio", "http://testserver/es/")
    assert trail[0] == home
    # Every visible crumb, in its order, with its words and its address; then the page.
    assert [crumb for crumb in trail[:-1] if crumb != home] == [
        crumb for crumb in visible if crumb != home
    ]
    assert len(visible) >= 1
    assert trail[-1] == (name, "http://testserver/es" + path)
    section = {
        "dialogue": "Diálogos",
        "group": "Grupos de aprendizaje",
        "resource": "Biblioteca",
        "organisation": "Organizaciones",
        "country": "Países",
    }
    assert trail[1][0] == section[kind]
