"""The programme's own texts in the reader's language (core.translations): a learning
group's, a dialogue's, an Outlook's, a country's and a news item's page shows the
translation in the reader's language with its lang, or the original marked with its own
lang and a note saying so; curators and partners enter translations in the admin; the
JSON-LD and the API carry them; the demo has them in every language."""

import io
import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html

from core.translations import in_language, language_tagged, pick
from dialogues.models import Dialogue, DialogueTranslation
from learning_groups.models import (
    LearningGroup,
    LearningGroupTranslation,
    OutlookReport,
    OutlookReportTranslation,
)
from network.models import News, NewsTranslation
from resources.models import Country, CountryTranslation
from tests.asmhub.test_programme_demo import library  # noqa: F401  (the fixture)
from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    NewsFactory,
    OutlookReportFactory,
)

pytestmark = pytest.mark.django_db

OTHERS = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
NOTE = "Not yet available in your language. Original language: %(language)s."


def prefixed(code, path):
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def lang_of(page, text):
    """The lang in force where text stands on page: that of its nearest element that
    has one (the <html> element's at worst)."""
    tree = lxml_html.fromstring(page)
    body = tree.find("body")
    for element in body.iter():
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        if text in own:
            for each in (element, *element.iterancestors()):
                if each.get("lang"):
                    return each.get("lang")
    raise AssertionError(f"{text!r} not on the page")


def visible_text(page):
    """The words a reader sees: the body without its scripts (JSON-LD names every
    language version on purpose)."""
    body = lxml_html.fromstring(page).find("body")
    for script in body.xpath(".//script"):
        script.getparent().remove(script)
    return body.text_content()


def note(code, original="en"):
    with translation.override(code):
        name = translation.get_language_info(original)["name_translated"]
        return translation.gettext(NOTE) % {"language": name}


# One record of each kind, its translatable text, the field, and where its page is.
def _group(country):
    return LearningGroupFactory(
        country=country, name="Ghana group", description="Miners and officials meet."
    )


def _dialogue(country):
    return DialogueFactory(title="Tarkwa dialogue", summary="Two days of field visits.")


def _outlook(country):
    return OutlookReportFactory(
        country=country, title="Outlook of Ghana", summary="Sample figures only."
    )


def _news(country):
    return NewsFactory(title="Miners meet", body="The group met in Tarkwa.")


KINDS = {
    # kind: (make, translation model, record field, the texts, page)
    "group": (
        _group,
        LearningGroupTranslation,
        "group",
        {"name": "Ghana group", "description": "Miners and officials meet."},
        lambda record: record.get_absolute_url(),
    ),
    "dialogue": (
        _dialogue,
        DialogueTranslation,
        "dialogue",
        {"title": "Tarkwa dialogue", "summary": "Two days of field visits."},
        lambda record: record.get_absolute_url(),
    ),
    "outlook": (
        _outlook,
        OutlookReportTranslation,
        "report",
        {"title": "Outlook of Ghana", "summary": "Sample figures only."},
        lambda record: reverse("learning_groups:outlook-country", args=["gh"]),
    ),
    "country": (
        lambda country: country,
        CountryTranslation,
        "country",
        {"description": "Many people mine gold here."},
        lambda record: record.get_absolute_url(),
    ),
    "news": (
        _news,
        NewsTranslation,
        "news",
        {"title": "Miners meet", "body": "The group met in Tarkwa."},
        lambda record: record.get_absolute_url(),
    ),
}


@pytest.fixture
def ghana():
    return CountryFactory(
        code="GH", is_programme_country=True, description="Many people mine gold here."
    )


@pytest.mark.parametrize("code", OTHERS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_page_shows_the_readers_language(client, ghana, kind, code):
    make, model, field, texts, page = KINDS[kind]
    record = make(ghana)
    translated = {name: f"Version {code} of the {name}" for name in texts}
    model.objects.create(**{field: record}, language=code, **translated)
    response = client.get(prefixed(code, page(record)))
    assert response.status_code == 200
    content = response.content.decode()
    for name, text in translated.items():
        assert lang_of(content, text) == code, (name, text)
    # The original's text is not shown where the translation is; no note is needed.
    for text in texts.values():
        assert text not in visible_text(content)
    assert note(code) not in content


@pytest.mark.parametrize("code", OTHERS)
@pytest.mark.parametrize("kind", KINDS)
def test_without_a_translation_the_original_is_marked_and_said(client, ghana, kind, code):
    make, model, field, texts, page = KINDS[kind]
    record = make(ghana)
    # A translation in another language is not the reader's.
    other = next(each for each in OTHERS if each != code)
    model.objects.create(
        **{field: record}, language=other, **{name: f"Version {other}" for name in texts}
    )
    content = client.get(prefixed(code, page(record))).content.decode()
    for text in texts.values():
        assert lang_of(content, text) == "en"
    assert f"Version {other}" not in visible_text(content)
    assert note(code) in content
    assert lang_of(content, note(code)) == code


def test_english_readers_see_the_original_without_a_note(client, ghana):
    group = _group(ghana)
    LearningGroupTranslation.objects.create(group=group, language="es", name="Grupo de Ghana")
    content = client.get(group.get_absolute_url()).content.decode()
    assert lang_of(content, "Miners and officials meet.") == "en"
    assert "Grupo de Ghana" not in content and note("en") not in content


def test_news_written_in_swahili_read_in_english_and_in_swahili(client):
    item = NewsFactory(title="Wachimbaji wakutana", body="Kikundi kilikutana.", language="sw")
    content = client.get(item.get_absolute_url()).content.decode()
    assert lang_of(content, "Kikundi kilikutana.") == "sw"
    assert note("en", original="sw") in content
    NewsTranslation.objects.create(news=item, language="en", title="Miners meet", body="We met.")
    content = client.get(item.get_absolute_url()).content.decode()
    assert lang_of(content, "We met.") == "en" and "Kikundi" not in content
    content = client.get(prefixed("sw", item.get_absolute_url())).content.decode()
    assert lang_of(content, "Kikundi kilikutana.") == "sw" and "We met." not in content


def test_a_translations_markdown_is_made_safe():
    item = NewsFactory()
    translated = NewsTranslation.objects.create(
        news=item, language="fr", title="t", body="**gras** <script>alert(1)</script>"
    )
    assert "<strong>gras</strong>" in translated.body_html
    assert "<script>" not in translated.body_html


def test_a_translation_in_the_originals_own_language_is_refused(ghana):
    item = NewsFactory(language="fr")
    with pytest.raises(ValidationError) as error:
        NewsTranslation(news=item, language="fr", title="t", body="b").full_clean()
    assert "language" in error.value.message_dict
    group = _group(ghana)
    with pytest.raises(ValidationError):
        LearningGroupTranslation(group=group, language="en", name="n").full_clean()
    # Only the interface's languages: a reader could read no other.
    with pytest.raises(ValidationError):
        LearningGroupTranslation(group=group, language="de", name="n").full_clean()
    LearningGroupTranslation(group=group, language="sw", name="n").full_clean()


def test_picking_rule():
    group = LearningGroupFactory(name="Group", description="Text")
    LearningGroupTranslation.objects.create(group=group, language="fr", name="Groupe")
    group = LearningGroup.objects.prefetch_related("translations").get()
    assert pick(group.translations.all(), "fr").name == "Groupe"
    assert pick(group.translations.all(), "es") is None
    name = in_language(group, "name", "fr")
    assert (str(name), name.language, name.in_reader_language) == ("Groupe", "fr", True)
    # A translation without this field: the original, in its language.
    description = in_language(group, "description", "fr")
    assert (str(description), description.language) == ("Text", "en")
    assert not description.in_reader_language
    assert language_tagged(group, "name") == [
        {"@value": "Group", "@language": "en"},
        {"@value": "Groupe", "@language": "fr"},
    ]
    assert language_tagged(group, "description") == "Text"


def _jsonld(content, kind):
    tree = lxml_html.fromstring(content)
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_jsonld_tags_every_language(client):
    dialogue = DialogueFactory(title="Tarkwa dialogue", summary="Field visits.")
    DialogueTranslation.objects.create(
        dialogue=dialogue, language="es", title="Diálogo de Tarkwa", summary="Visitas de campo."
    )
    event = _jsonld(client.get("/sw" + dialogue.get_absolute_url()).content.decode(), "Event")
    assert event["name"] == [
        {"@value": "Tarkwa dialogue", "@language": "en"},
        {"@value": "Diálogo de Tarkwa", "@language": "es"},
    ]
    assert event["description"][1] == {"@value": "Visitas de campo.", "@language": "es"}
    item = NewsFactory(title="Miners meet", language="en")
    NewsTranslation.objects.create(news=item, language="pt", title="Mineiros reúnem-se", body="b")
    article = _jsonld(client.get(item.get_absolute_url()).content.decode(), "NewsArticle")
    assert article["headline"] == [
        {"@value": "Miners meet", "@language": "en"},
        {"@value": "Mineiros reúnem-se", "@language": "pt"},
    ]
    assert article["inLanguage"] == "en"


def test_the_api_carries_the_translations(client, ghana):
    group = _group(ghana)
    LearningGroupTranslation.objects.create(
        group=group, language="fr", name="Groupe du Ghana", description="Ils se réunissent."
    )
    data = client.get(reverse("api:learning-group", args=[group.slug])).json()
    assert data["translations"] == [
        {"language": "fr", "name": "Groupe du Ghana", "description": "Ils se réunissent."}
    ]
    dialogue = _dialogue(ghana)
    DialogueTranslation.objects.create(dialogue=dialogue, language="sw", title="Mdahalo")
    data = client.get(reverse("api:dialogue", args=[dialogue.slug])).json()
    assert data["translations"] == [{"language": "sw", "title": "Mdahalo", "summary": ""}]
    item = _news(ghana)
    NewsTranslation.objects.create(news=item, language="es", title="Reunión", body="*Sí*")
    data = client.get(reverse("api:news-item", args=[item.slug])).json()
    assert data["translations"] == [{"language": "es", "title": "Reunión", "body": "*Sí*"}]
    report = _outlook(ghana)
    OutlookReportTranslation.objects.create(report=report, language="pt", title="Perspetiva")
    rows = client.get(reverse("api:outlooks")).json()["results"]
    assert rows[0]["translations"] == [{"language": "pt", "title": "Perspetiva", "summary": ""}]


@pytest.mark.parametrize(
    ("kind", "limit"),
    [
        # The pins of each page's own tests (tests/*/test_pages.py and friends), which
        # prefetch the translations: every language's translation costs nothing more.
        ("group", 16),
        ("dialogue", 11),
        ("news", 8),
    ],
)
def test_translations_cost_no_query_per_language(
    client, ghana, kind, limit, django_assert_max_num_queries
):
    make, model, field, texts, page = KINDS[kind]
    record = make(ghana)
    for code in OTHERS:
        model.objects.create(**{field: record}, language=code, **texts)
    with django_assert_max_num_queries(limit):
        assert client.get(prefixed("fr", page(record))).status_code == 200


@pytest.fixture
def curator(client):
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("kind", "admin_name", "texts"),
    [
        ("group", "learning_groups_learninggroup", {"name": "Grupo", "description": "Texto"}),
        ("dialogue", "dialogues_dialogue", {"title": "Diálogo", "summary": "Resumen"}),
        ("outlook", "learning_groups_outlookreport", {"title": "Outlook", "summary": "Cifras"}),
        ("country", "resources_country", {"description": "Muchas personas extraen oro."}),
        ("news", "network_news", {"title": "Mineros", "body": "Se *reunieron*."}),
    ],
)
def test_curators_enter_translations_beside_the_original(curator, ghana, kind, admin_name, texts):
    from tests.forms import form_data

    make, model, field, _texts, _page = KINDS[kind]
    record = make(ghana)
    url = reverse(f"admin:{admin_name}_change", args=[record.pk])
    data = form_data(curator.get(url), f"{record._meta.model_name}_form")
    assert data["translations-TOTAL_FORMS"] == "0"
    data.update(
        {
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": "es",
            **{f"translations-0-{name}": value for name, value in texts.items()},
        }
    )
    response = curator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = model.objects.get(**{field: record})
    assert saved.language == "es"
    assert {name: getattr(saved, name) for name in texts} == texts


def test_the_demo_has_every_text_in_every_language(library, client):  # noqa: F811
    call_command("load_programme_demo", stdout=io.StringIO())
    call_command("load_programme_demo", stdout=io.StringIO())  # idempotent
    records = {
        "learning group": (LearningGroup.objects.all(), ["name", "description"]),
        "dialogue": (Dialogue.objects.all(), ["title", "summary"]),
        "outlook": (OutlookReport.objects.all(), ["title", "summary"]),
        "country": (Country.objects.exclude(description=""), ["description"]),
        "news": (News.objects.all(), ["title", "body"]),
    }
    assert Country.objects.exclude(description="").count() == 7
    for label, (queryset, fields) in records.items():
        assert queryset.exists(), label
        for record in queryset.prefetch_related("translations"):
            rows = {each.language: each for each in record.translations.all()}
            assert sorted(rows) == sorted(OTHERS), (label, record)
            for code, row in rows.items():
                for name in fields:
                    original, text = getattr(record, name), getattr(row, name)
                    assert text and text != original, (label, record, code, name)
    # A reader in each language sees the Ghana group in that language.
    group = LearningGroup.objects.get(slug="ghana-learning-and-leadership-group")
    with translation.override(settings.LANGUAGE_CODE):
        path = group.get_absolute_url()
    for code in OTHERS:
        name = group.translations.get(language=code).name
        content = client.get(prefixed(code, path)).content.decode()
        assert lang_of(content, name) == code
    swahili = client.get("/sw/countries/tz/").content.decode()
    assert lang_of(swahili, "Tanzania ilikuwa mwenyeji wa mdahalo wa pili") == "sw"
    # The Outlooks name the country as the reader's language does.
    title = OutlookReport.objects.get(country="TZ", year=2018).translations.get(language="fr")
    assert title.title.startswith("Outlook national de l’EMAPE : Tanzanie 2018")
    # The demo's news, published, each in the reader's language on the news page.
    assert News.objects.published().count() == 3
    for code in OTHERS:
        content = client.get(prefixed(code, "/news/")).content.decode()
        for item in News.objects.prefetch_related("translations"):
            title = pick(item.translations.all(), code).title
            assert lang_of(content, title) == code
            assert item.title not in visible_text(content)
    spanish = client.get("/es/news/ghana-action-dialogue-agrees-a-reform-roadmap/")
    assert lang_of(spanish.content.decode(), "Los participantes acordaron") == "es"
