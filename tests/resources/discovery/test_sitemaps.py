"""/sitemap.xml and /robots.txt, parsed as a crawler would: lxml for the sitemap protocol,
urllib.robotparser for robots.txt."""

import datetime as dt
from urllib.robotparser import RobotFileParser

import pytest
from lxml import etree

from resources.discovery.sitemaps import ResourceSitemap
from resources.models import Resource
from tests.factories import CountryFactory, ResourceFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    return document, {
        u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
        for u in document.findall("s:url", NS)
    }


@pytest.fixture
def site():
    gh = CountryFactory(code="GH")
    CountryFactory(code="TZ", is_programme_country=True)
    CountryFactory(code="PE")  # neither programme country nor any resource
    published = ResourceFactory(slug="published-one", countries=[gh])
    Resource.objects.filter(pk=published.pk).update(
        updated_at=dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    )
    ResourceFactory(
        slug="draft-one", status=Resource.Status.DRAFT, countries=[CountryFactory(code="CO")]
    )
    return published


def test_sitemap_lists_published_pages_with_dates(client, site):
    _document, urls = locations(client, "/sitemap.xml")
    assert urls["http://testserver/resources/published-one/"] == "2024-02-03"
    assert "http://testserver/resources/draft-one/" not in urls
    assert urls["http://testserver/countries/gh/"] == "2024-02-03"
    assert "http://testserver/countries/tz/" in urls
    assert "http://testserver/countries/pe/" not in urls
    assert "http://testserver/countries/co/" not in urls  # only a draft is about it
    assert {"http://testserver/", "http://testserver/resources/"} <= set(urls)
    assert all(urls[u] for u in urls if "/resources/" in u and u.count("/") > 4)


def test_sitemap_becomes_an_index_past_the_limit(client, site, monkeypatch):
    for n in range(4):
        ResourceFactory(slug=f"more-{n}")
    monkeypatch.setattr(ResourceSitemap, "limit", 2)
    response = client.get("/sitemap.xml")
    index = etree.fromstring(response.content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    resource_parts = [p for p in parts if "sitemap-resources.xml" in p]
    assert len(resource_parts) == 3  # five resources, two per page
    seen = set()
    for part in resource_parts:
        _document, urls = locations(client, part.removeprefix("http://testserver"))
        seen |= set(urls)
    assert len(seen) == 5


def test_sitemap_query_count_is_fixed(client, site, django_assert_max_num_queries):
    # One count and one page per section (pages, resources, countries, learning groups,
    # outlooks, dialogues, organisations, news, voices): 18; one for the newest change shown
    # as the library pages' date and one for each of the four programme list pages' dates:
    # 23.
    with django_assert_max_num_queries(23):
        client.get("/sitemap.xml")


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    allowed = ["/", "/resources/", "/resources/some-report/", "/countries/gh/"]
    denied = ["/admin/", "/admin/resources/resource/", "/oai?verb=Identify", "/api/resources/"]
    for path in allowed:
        assert robots.can_fetch("*", f"http://testserver{path}"), path
    for path in denied:
        assert not robots.can_fetch("*", f"http://testserver{path}"), path
    # Python's parser ignores wildcards; the filter-combination rules are for the big
    # crawlers that honour them, so check they are there.
    for rule in ("Disallow: /resources/*&", "Disallow: /resources/*sort="):
        assert rule in text
