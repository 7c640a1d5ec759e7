"""The Atom feed, read with feedparser: the library's filters and search, newest first,
and discoverable from the pages it follows."""

import datetime as dt

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from resources import filters
from resources.models import Resource
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FEED = reverse("feeds:resources")


def parse(client, params=None, url=FEED):
    """The feed at url, read with feedparser, which must find nothing malformed."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def corpus():
    gh, pe = CountryFactory(code="GH"), CountryFactory(code="PE")
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    now = timezone.now()
    made = {
        "old": ResourceFactory(title="Old Ghana mercury", countries=[gh], themes=[mercury]),
        "new": ResourceFactory(
            title="New Ghana gold", countries=[gh], authors=["Hilson, Gavin"], with_file=True
        ),
        "peru": ResourceFactory(title="Peru mercury", countries=[pe], themes=[mercury]),
    }
    for n, key in enumerate(("old", "peru", "new")):
        Resource.objects.filter(pk=made[key].pk).update(published_at=now - dt.timedelta(days=3 - n))
    ResourceFactory(title="Draft Ghana", countries=[gh], status=Resource.Status.DRAFT)
    return made


def test_feed_lists_published_resources_newest_first(client, corpus):
    feed = parse(client)
    assert [e.title for e in feed.entries] == [
        "New Ghana gold",
        "Peru mercury",
        "Old Ghana mercury",
    ]
    entry = feed.entries[0]
    assert entry.link == "http://testserver/resources/" + corpus["new"].slug + "/"
    assert entry.author == "Hilson, Gavin"
    assert entry.id == entry.link
    (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.type == "application/pdf"
    assert enclosure.href.endswith("/download/")


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"country": "gh"}, {"New Ghana gold", "Old Ghana mercury"}),
        ({"theme": "mercury"}, {"Peru mercury", "Old Ghana mercury"}),
        ({"q": "mercury", "country": "GH"}, {"Old Ghana mercury"}),
        ({"q": "nothing-like-this"}, set()),
    ],
)
def test_feed_takes_the_library_filters(client, corpus, params, titles):
    feed = parse(client, params)
    assert {e.title for e in feed.entries} == titles
    library = client.get(reverse("resources:list"), params)
    assert {r.title for r in library.context["resources"]} == titles


def test_feed_with_bad_parameters_still_answers(client, corpus):
    feed = parse(client, {"country": "zz", "year_from": "abc", "theme": "x" * 500})
    assert len(feed.entries) == 3


def test_feed_query_count_does_not_grow_with_entries(client, corpus, django_assert_max_num_queries):
    # On PostgreSQL the content version (the key the feed is cached under); then the
    # entries, their countries, themes, commodities, authors, tags and translated titles,
    # each read in one query whatever their number (records.py); and the INSERT that
    # counts the request as machine use (usage.middleware).
    with django_assert_max_num_queries(9):
        parse(client)


@pytest.mark.parametrize("few", [filters.FEW_MATCHES, 2])
def test_feed_of_a_search_is_latest_published_first_whichever_way_it_is_read(
    client, on_postgres, warm_facet_index, monkeypatch, few
):
    """A search matching few documents is read by the ids the facet index gives, one
    matching more by PostgreSQL's text index: both list the same, latest published first."""
    monkeypatch.setattr(filters, "FEW_MATCHES", few)
    now = timezone.now()
    for n, days in enumerate((5, 1, 3)):
        study = ResourceFactory(title=f"Cinnabar study {n}")
        Resource.objects.filter(pk=study.pk).update(published_at=now - dt.timedelta(days=days))
    ResourceFactory(title="Gold", summary="Nothing of that ore.")
    warm_facet_index()
    with CaptureQueriesContext(connection) as queries:
        feed = parse(client, {"q": "cinnabar"})
    assert [e.title for e in feed.entries] == [
        "Cinnabar study 1",
        "Cinnabar study 2",
        "Cinnabar study 0",
    ]
    entries = [q["sql"] for q in queries if q["sql"].startswith('SELECT "resources_resource"."id"')]
    assert len(entries) == 1
    # Three matches are "few" unless few is 2: then the text index finds them (@@).
    assert ("@@" in entries[0]) == (few == 2)


def feed_links(page):
    tree = lxml_html.fromstring(page)
    return tree.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")


def test_library_page_advertises_the_feed_of_its_search(client, corpus):
    page = client.get(reverse("resources:list"), {"country": "GH", "q": "gold", "page": "1"})
    (href,) = feed_links(page.content)
    assert href == f"{FEED}?country=gh&q=gold"
    assert f'href="{FEED}?country=gh&amp;q=gold"'.encode() in page.content  # visible link too
    assert {e.title for e in parse(client, {"country": "gh", "q": "gold"}).entries} == {
        "New Ghana gold"
    }


def test_country_profile_advertises_its_feed(client, corpus):
    page = client.get("/countries/pe/")
    (href,) = feed_links(page.content)
    assert href == f"{FEED}?country=pe"
    assert [e.title for e in parse(client, {"country": "pe"}).entries] == ["Peru mercury"]


def test_control_characters_never_break_the_feed(client):
    # Pasted from a PDF: XML 1.0 cannot hold a vertical tab or \x01, in content or query.
    ResourceFactory(title="Gold\x0bfields", summary="Tailings\x01 and water", publisher="")
    response = client.get(reverse("feeds:resources") + "?q=%01gold")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["Goldfields"]
    assert parsed.entries[0].summary == "Tailings and water"


def test_a_polled_feed_comes_from_the_cache_until_the_library_changes(
    client, on_postgres, corpus, django_assert_max_num_queries
):
    first = client.get(FEED, {"q": "ghana"})
    # One query: the content version; the feed itself comes from the cache. And the INSERT
    # that counts the request as machine use (usage.middleware).
    with django_assert_max_num_queries(2):
        again = client.get(FEED, {"q": "ghana"})
    assert again.content == first.content
    old = Resource.objects.get(pk=corpus["old"].pk)
    old.title = "Old Ghana cinnabar"
    old.save()
    titles = [e.title for e in parse(client, {"q": "ghana"}).entries]
    assert titles == ["New Ghana gold", "Old Ghana cinnabar"]


def test_a_summary_is_plain_text_a_reader_never_runs(client):
    # A partner's summary is plain text: sent as type="text", a reader shows the markup
    # as typed; as type="html" it would run it.
    markup = "<script>alert(1)</script><b>x</b> & more"
    ResourceFactory(title="Markup <i>title</i>", summary=markup)
    (entry,) = parse(client).entries
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == markup
    assert entry.title_detail.type == "text/plain"
    assert entry.title == "Markup <i>title</i>"
