"""Discovery of the programme: the dialogues' Atom feed (feedparser), Event and breadcrumb
JSON-LD (extruct), canonical URLs, the sitemap sections and the OpenAPI document."""

import datetime as dt

import pytest
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html
from openapi_spec_validator import validate

from learning_groups.models import LearningGroup, OutlookReport
from tests.factories import DialogueFactory, OutlookReportFactory
from tests.resources.discovery.test_feeds import parse
from tests.resources.discovery.test_page_metadata import canonical, extract
from tests.resources.discovery.test_sitemaps import locations

pytestmark = pytest.mark.django_db

FEED = reverse("feeds:dialogues")


def parse_feed(client, params=None):
    return parse(client, params, url=FEED)


def test_feed_holds_the_dialogues_latest_start_first(client, dialogues):
    feed = parse_feed(client)
    assert [e.title for e in feed.entries] == [
        "Cancelled: Cancelled dialogue in Geneva",
        "Thematic dialogue on mercury",
        "Tanzania action dialogue",
        "Ghana action dialogue",
    ]
    ghana = feed.entries[-1]
    assert ghana.id == f"urn:uuid:{dialogues['tarkwa'].uid}"
    assert ghana.link == "http://testserver/dialogues/ghana-action-dialogue/"
    assert ghana.summary.startswith("19–22 January 2016 · Tarkwa, Ghana")
    assert [t.term for t in ghana.tags] == ["Formalisation and licensing"]
    assert feed.feed.author == "ASM Hub"


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"country": "tz"}, ["Tanzania action dialogue"]),
        ({"scope": "national", "year": "2016"}, ["Ghana action dialogue"]),
        ({"theme": "gender"}, ["Tanzania action dialogue"]),
        ({"country": "zz"}, None),  # an unknown value is ignored, as on the list page
    ],
)
def test_feed_takes_the_list_filters(client, dialogues, params, titles):
    feed = parse_feed(client, params)
    page = client.get(reverse("dialogues:list"), params).context
    expected = [d.title for d in [*page["upcoming"], *page["past"]]]
    got = [e.title.removeprefix("Cancelled: ") for e in feed.entries]
    assert sorted(got) == sorted(expected)
    if titles is not None:
        assert got == titles


def test_dialogue_list_links_to_its_feed(client, dialogues):
    page = lxml_html.fromstring(
        client.get(reverse("dialogues:list"), {"country": ["TZ", "zz"], "x": "1"}).content
    )
    (alternate,) = page.xpath('//head/link[@type="application/atom+xml"]/@href')
    assert alternate == "/feeds/dialogues.atom?country=tz"
    assert page.xpath(f'//main//a[@href="{alternate}"]')
    assert parse_feed(client, {"country": "tz"}).entries


def test_dialogue_page_describes_an_event_and_its_breadcrumbs(client, dialogues):
    tarkwa = dialogues["tarkwa"]
    tarkwa.organisers.add(*tarkwa.convenors.all())  # named once even when both
    data = extract(client, tarkwa.get_absolute_url())["json-ld"]
    event = next(item for item in data if item["@type"] == "Event")
    assert event["name"] == "Ghana action dialogue"
    assert event["url"] == "http://testserver/dialogues/ghana-action-dialogue/"
    assert event["startDate"] == "2016-01-19T08:00:00+00:00"
    assert event["endDate"] == "2016-01-22T17:00:00+00:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Tarkwa",
        "addressCountry": "GH",
    }
    assert event["organizer"] == [{"@type": "Organization", "name": "Friends of the Nation"}]
    crumbs = next(item for item in data if item["@type"] == "BreadcrumbList")
    # Home, then the visible breadcrumbs (the dialogues, its country), then the page.
    assert [i["item"] for i in crumbs["itemListElement"]] == [
        "http://testserver/",
        "http://testserver/dialogues/",
        "http://testserver/countries/gh/",
        "http://testserver/dialogues/ghana-action-dialogue/",
    ]


def test_event_dates_only_when_hours_unknown_and_cancelled_status(client, dialogues):
    geita = dialogues["geita"]
    geita.times_known = False
    geita.save()
    (event,) = [i for i in extract(client, geita.get_absolute_url())["json-ld"] if "startDate" in i]
    assert (event["startDate"], event["endDate"]) == ("2017-11-07", "2017-11-10")
    cancelled = dialogues["cancelled"].get_absolute_url()
    (event,) = [i for i in extract(client, cancelled)["json-ld"] if "startDate" in i]
    assert event["eventStatus"] == "https://schema.org/EventCancelled"


def test_learning_group_page_has_breadcrumbs(client, dialogues):
    url = reverse("learning_groups:detail", args=["ghana-llg"])
    (crumbs,) = extract(client, url)["json-ld"]
    assert crumbs["@type"] == "BreadcrumbList"
    assert [i["name"] for i in crumbs["itemListElement"]] == [
        "Home",
        "Learning groups",
        "Ghana",
        "Ghana LLG",
    ]


def test_programme_pages_have_one_canonical_url(client, dialogues, settings):
    settings.ASMHUB_PAGE_SIZE = 1
    OutlookReportFactory(country=dialogues["tarkwa"].country, year=2018)
    for url, expected in [
        ("/dialogues/ghana-action-dialogue/?utm=x", "/dialogues/ghana-action-dialogue/"),
        ("/dialogues/", "/dialogues/"),
        ("/dialogues/?theme=gender&country=TZ&zz=1&year=", "/dialogues/?country=tz&theme=gender"),
        ("/dialogues/?country=xx&page=1", "/dialogues/"),
        ("/learning-groups/ghana-llg/", "/learning-groups/ghana-llg/"),
        (
            "/learning-groups/?status=active&country=GH",
            "/learning-groups/?country=gh&status=active",
        ),
        ("/outlooks/", "/outlooks/"),
        ("/outlooks/?year=2018&indicator=asm_miners", "/outlooks/?year=2018"),
        ("/outlooks/?indicator=women_share&year=1990&x=1", "/outlooks/?indicator=women_share"),
        ("/outlooks/gh/", "/outlooks/gh/"),
    ]:
        assert canonical(client.get(url).content) == f"http://testserver{expected}", url


def test_sitemap_has_the_programme_with_dates(client, dialogues):
    OutlookReportFactory(country=dialogues["tarkwa"].country, year=2018)
    OutlookReport.objects.update(updated_at=dt.datetime(2024, 5, 6, tzinfo=dt.UTC))
    LearningGroup.objects.update(updated_at=dt.datetime(2024, 3, 4, tzinfo=dt.UTC))
    _document, urls = locations(client, "/sitemap.xml")
    assert urls["http://testserver/learning-groups/ghana-llg/"] == "2024-03-04"
    assert urls["http://testserver/outlooks/gh/"] == "2024-05-06"
    assert "http://testserver/outlooks/tz/" not in urls  # no Outlook
    today = dialogues["geita"].updated_at.date().isoformat()
    for dialogue in dialogues.values():
        assert urls[f"http://testserver{dialogue.get_absolute_url()}"] == today
    assert urls["http://testserver/learning-groups/"] == "2024-03-04"
    assert urls["http://testserver/outlooks/"] == "2024-05-06"
    assert urls["http://testserver/dialogues/"] == today


def test_sitemap_sections_become_pages_of_the_index(client, dialogues):
    index = etree.fromstring(client.get("/sitemap-dialogues.xml").content)
    assert len(index) == 4
    assert client.get("/sitemap-outlooks.xml").status_code == 200
    assert client.get("/sitemap-learning-groups.xml").status_code == 200
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_openapi_document_describes_the_programme(client):
    document = client.get(reverse("api:openapi")).json()
    validate(document)
    for path, params in [
        ("/api/learning-groups/", {"country", "status"}),
        ("/api/outlooks/", {"country", "year"}),
        ("/api/dialogues/", {"scope", "country", "theme", "year"}),
    ]:
        parameters = document["paths"][path]["get"]["parameters"]
        query = {p["name"] for p in parameters if p["in"] == "query"}
        assert query == params | {"page", "page_size"}
    assert {"/api/learning-groups/{slug}/", "/api/dialogues/{slug}/"} <= set(document["paths"])
    endpoints = client.get(reverse("api:index")).json()["endpoints"]
    assert endpoints["/api/dialogues/"] == "http://testserver/api/dialogues/"


def test_a_dialogue_summary_is_plain_text_a_reader_never_runs(client):
    markup = "<script>alert(1)</script><b>x</b>"
    DialogueFactory(title="Markup dialogue", summary=markup)
    (entry,) = parse_feed(client).entries
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == f"29–30 April 2015 · London\n\n{markup}"
