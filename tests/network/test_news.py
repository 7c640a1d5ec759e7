"""News: a partner's item through review, Markdown made harmless, /news/ and its filters,
the feed, the API, the sitemap and the newest news on other pages."""

import json

import feedparser
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html
from PIL import Image

from network import services
from network.markup import render_markdown
from network.models import News, NewsStatusChange
from tests.core.test_images import GPS_IFD, picture
from tests.factories import CuratorFactory, NewsFactory, OrganisationFactory, PartnerFactory
from usage.models import Event, Kind

pytestmark = pytest.mark.django_db

URL = reverse("network:news-list")


def titles(response):
    return [item.title for item in response.context["news_list"]]


def test_a_partners_news_goes_through_review(client, network):
    igf = network["igf"]
    partner = PartnerFactory(organisation=igf)
    curator = CuratorFactory()
    other = PartnerFactory(organisation=OrganisationFactory())
    news = News(title="Our new guidance", body="Read it.", organisation=network["sma"])
    # A partner's news is their own organisation's and a draft, whatever they ask for.
    news.status = News.Status.PUBLISHED
    services.news_save(news=news, user=partner, created=True)
    news.countries.set([network["gh"]])
    assert news.organisation == igf and news.status == News.Status.DRAFT
    assert news.created_by == partner
    page = news.get_absolute_url()
    assert client.get(page).status_code == 404

    with pytest.raises(PermissionDenied):
        services.news_submit(news=news, user=other)
    services.news_submit(news=news, user=partner)
    assert news.status == News.Status.SUBMITTED
    assert client.get(page).status_code == 404
    # Submitted, it is no longer the partner's to edit or publish.
    assert not services.may_edit_news(partner, news)
    with pytest.raises(PermissionDenied):
        services.news_publish(news=news, user=partner)
    with pytest.raises(PermissionDenied):
        services.news_save(news=news, user=partner, created=False)

    services.news_publish(news=news, user=curator)
    assert news.status == News.Status.PUBLISHED and news.published_at is not None
    assert client.get(page).status_code == 200
    assert "Our new guidance" in client.get(URL).content.decode()
    assert "Our new guidance" in client.get(igf.get_absolute_url()).content.decode()
    assert "Our new guidance" in client.get(network["gh"].get_absolute_url()).content.decode()

    with pytest.raises(ValidationError):
        services.news_submit(news=news, user=curator)
    services.news_withdraw(news=news, user=curator, note="Out of date.")
    assert client.get(page).status_code == 404
    assert "Our new guidance" not in client.get(URL).content.decode()
    assert News.objects.filter(pk=news.pk).exists(), "withdrawn, not deleted"
    steps = list(
        NewsStatusChange.objects.filter(news=news).values_list(
            "from_status", "to_status", "changed_by"
        )
    )
    assert steps == [
        ("draft", "submitted", partner.pk),
        ("submitted", "published", curator.pk),
        ("published", "withdrawn", curator.pk),
    ]
    # Created, its countries set, submitted, published, withdrawn: each a version.
    assert news.history.count() == 5


def test_a_partner_writes_news_in_the_admin_for_their_organisation_only(client, network):
    partner = PartnerFactory(organisation=network["sma"])
    client.force_login(partner)
    response = client.post(
        reverse("admin:network_news_add"),
        {
            "title": "Miners meet in Tarkwa",
            "body": "We met.",
            "image_alt": "",
            "language": "sw",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            # The English version, entered beside the Swahili original.
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language": "en",
            "translations-0-title": "Miners meet in Tarkwa (English)",
            "translations-0-body": "We met <script>x</script>.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    news = News.objects.get(title="Miners meet in Tarkwa")
    assert news.organisation == network["sma"] and news.status == News.Status.DRAFT
    assert news.language == "sw"
    english = news.translations.get()
    assert (english.language, english.title) == ("en", "Miners meet in Tarkwa (English)")
    assert "<script>" not in english.body_html and "We met" in english.body_html
    # Another organisation's news is not theirs to see.
    theirs = News.objects.get(title="Draft news")
    assert client.get(reverse("admin:network_news_change", args=[theirs.pk])).status_code in (
        302,
        403,
        404,
    )


HOSTILE = """# Title

<script>alert("raw")</script>
<img src=x onerror=alert(1)>
<a href="javascript:alert(2)">raw link</a>

[markdown link](javascript:alert(3)) and [spaced](  JaVaScRiPt:alert(4)) and
[data](data:text/html;base64,PHNjcmlwdD4=) and [entity](java&#115;cript:alert(5))

[reference][r]

[r]: javascript:alert(6)

<iframe src="https://evil.example"></iframe> <style>body{}</style>

A [good link](https://example.org/?a=1&b=2 "title") stays.
"""


def test_markdown_with_script_javascript_links_and_raw_html_is_harmless():
    html = render_markdown(HOSTILE)
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    assert not tree.xpath("//script | //iframe | //style | //img")
    for element in tree.iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")]
    hrefs = [a.get("href") for a in tree.xpath("//a")]
    assert hrefs == ["https://example.org/?a=1&b=2"]
    assert tree.xpath("//a")[0].get("rel") == "nofollow noopener noreferrer"
    # Raw HTML is shown as text, not dropped silently; the page's h1 is its title's.
    assert "&lt;script&gt;" in html
    assert tree.xpath("//h2/text()") == ["Title"]


def test_hostile_news_reaches_the_page_feed_and_api_harmless(client, network):
    item = NewsFactory(title="Hostile", body=HOSTILE, organisation=network["igf"])
    page = lxml_html.fromstring(client.get(item.get_absolute_url()).content)
    # The page's only scripts are its JSON-LD; no link runs code, no element has a handler.
    assert all(s.get("type") == "application/ld+json" for s in page.xpath("//script"))
    assert not page.xpath("//iframe | //main//img | //main//style")
    for link in page.xpath("//a[@href]"):
        assert not link.get("href").strip().lower().startswith(("javascript:", "data:"))
    for element in page.iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")]
    body = page.xpath("//div[@class='news-body']")[0]
    assert [a.get("href") for a in body.xpath(".//a")] == ["https://example.org/?a=1&b=2"]
    feed = feedparser.parse(client.get(reverse("feeds:news")).content)
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.title == "Hostile")
    # Plain text: what was typed as HTML is sent as the characters typed, never as markup.
    assert entry.summary_detail.type == "text/plain"
    assert "<script>" in entry.summary and "A good link stays." in entry.summary
    data = json.loads(client.get(reverse("api:news-item", args=[item.slug])).content)
    fragment = lxml_html.fragment_fromstring(data["html"], create_parent="div")
    assert not fragment.xpath("//script | //img | //iframe")
    assert [a.get("href") for a in fragment.xpath("//a")] == ["https://example.org/?a=1&b=2"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["IGF joins the hub", "Tanzania news"]),
        ({"country": "gh"}, ["IGF joins the hub"]),
        ({"country": ["TZ", "gh"]}, ["IGF joins the hub", "Tanzania news"]),
        ({"theme": "mercury"}, ["IGF joins the hub"]),
        ({"theme": "mercury", "country": "tz"}, []),
    ],
)
def test_news_filters(client, network, query, expected):
    NewsFactory(title="Tanzania news", countries=[network["tz"]], published_at="2020-01-01T00:00Z")
    assert titles(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    ["country=zz", "theme=%00", "page=abc", "page=99", "country=%FF&theme[]=x", "x=" + "y" * 900],
)
def test_any_query_string_is_answered_without_an_error(client, network, query):
    for url in (URL, reverse("feeds:news"), reverse("api:news")):
        assert client.get(f"{url}?{query}").status_code in (200, 400, 404), url


def test_the_feed_is_atom_with_the_filters(client, network):
    response = client.get(reverse("feeds:news"), {"country": "gh"})
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["IGF joins the hub"]
    assert (
        feed.entries[0].link
        == "http://testserver/news/" + News.objects.get(title="IGF joins the hub").slug + "/"
    )
    assert feed.entries[0].summary == "Something new happened."


def test_newest_news_on_the_home_country_and_group_pages(client, network):
    for url in ("/", network["gh"].get_absolute_url(), network["group"].get_absolute_url()):
        html = client.get(url).content.decode()
        assert "IGF joins the hub" in html, url
        assert "Draft news" not in html, url
    assert "IGF joins the hub" not in client.get(network["tz"].get_absolute_url()).content.decode()


def test_detail_shows_the_text_and_what_it_links_to(client, network):
    item = News.objects.get(title="IGF joins the hub")
    item.resources.set([network["owned"][0]])
    response = client.get(item.get_absolute_url())
    html = response.content.decode()
    assert "<strong>new</strong>" in html
    assert network["owned"][0].title in html
    assert network["group"].name in html


def test_list_query_count(client, network, django_assert_max_num_queries):
    for _n in range(15):
        NewsFactory(countries=[network["gh"]])
    # The count, the page of news with their organisations, their countries, their
    # translations (titles in the reader's language), and the countries and themes the
    # filter form offers (those with news): 6, however many.
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"country": "gh"})
    assert len(response.context["news_list"]) > 10


def test_detail_query_count(client, network, django_assert_max_num_queries):
    item = News.objects.get(title="IGF joins the hub")
    item.resources.set(network["owned"][:3])
    # The item with its organisation, then its translations (title and text in the
    # reader's language), countries, themes, dialogues, learning groups and published
    # resources (one each), the resources' translations (their titles in the reader's
    # language), the linked learning group's translations (its name in the reader's
    # language; the dialogues' would be one more, this item links none), and the INSERT
    # that counts the view (usage): 10.
    with django_assert_max_num_queries(10):
        response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    views = Event.objects.filter(kind=Kind.VIEW, item_kind="news", item_id=item.pk)
    assert views.count() == 1


def test_the_api_lists_published_news_only(client, network):
    data = json.loads(client.get(reverse("api:news")).content)
    assert [item["title"] for item in data["results"]] == ["IGF joins the hub"]
    slug = News.objects.get(title="IGF joins the hub").slug
    assert data["results"][0]["url"] == f"http://testserver/api/news/{slug}/"
    assert data["results"][0]["html_url"] == f"http://testserver/news/{slug}/"
    assert client.get(reverse("api:news"), {"colour": "red"}).status_code == 400
    draft = News.objects.get(title="Draft news")
    assert client.get(reverse("api:news-item", args=[draft.slug])).status_code == 404


def test_published_news_are_in_the_sitemap(client, network):
    xml = client.get("/sitemap.xml").content.decode()
    published = News.objects.get(title="IGF joins the hub")
    assert published.get_absolute_url() in xml
    assert News.objects.get(title="Draft news").get_absolute_url() not in xml


def test_a_news_picture_is_stored_cleaned():
    """The news' picture field (core.images.CleanImageField): whichever way it is saved,
    what is stored is the pixels alone, fitted into 1200 pixels."""
    item = NewsFactory(slug="with-picture")
    item.image = SimpleUploadedFile("IMG_0001.jpg", picture(), "image/jpeg")
    item.full_clean()
    item.save()
    with item.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG" and stored.size == (1200, 800)
        assert not stored.getexif().get_ifd(GPS_IFD) and "exif" not in stored.info
    item.image = SimpleUploadedFile("page.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "image" in refused.value.message_dict


def test_what_the_news_page_ignored_is_said(client, network):
    page = client.get("/news/?country=zz").content.decode()
    notice = "<ul><li>Unknown country “ZZ” was ignored.</li></ul></div>"
    assert f'  <div class="notice" role="status">{notice}' in page.splitlines()
