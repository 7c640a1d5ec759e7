"""Metadata embedded in pages, read by the tools that read it: Highwire citation_* tags
(with lxml, as Google Scholar and Zotero do), JSON-LD, Dublin Core and Open Graph with
extruct; canonical URLs on every page."""

import datetime as dt

import extruct
import pytest
from lxml import html as lxml_html

from resources.models import Resource
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

DC = "http://purl.org/dc/elements/1.1/"


def meta(page, name):
    tree = lxml_html.fromstring(page)
    return [m.get("content") for m in tree.xpath("//head/meta[@name=$n]", n=name)]


def canonical(page):
    (href,) = lxml_html.fromstring(page).xpath("//head/link[@rel='canonical']/@href")
    return href


@pytest.fixture
def report():
    return ResourceFactory(
        with_file=True,
        title="Mercury & gold in Ghana",
        slug="mercury-gold-ghana",
        summary="A study of mercury use.",
        publisher="IIED",
        year=2019,
        date=dt.date(2019, 6, 30),
        doi="10.5555/asm.1",
        language="en",
        countries=[CountryFactory(code="GH")],
        themes=[ThemeFactory(slug="mercury", name="Mercury")],
        tags=["Minamata"],
        authors=["Hilson, Gavin", "Maconachie, Roy", "IIED"],
    )


def test_highwire_citation_tags(client, report):
    page = client.get(report.get_absolute_url()).content
    assert meta(page, "citation_title") == ["Mercury & gold in Ghana"]
    assert meta(page, "citation_author") == ["Hilson, Gavin", "Maconachie, Roy", "IIED"]
    assert meta(page, "citation_publication_date") == ["2019/06/30"]
    assert meta(page, "citation_publisher") == ["IIED"]
    assert meta(page, "citation_pdf_url") == [
        "http://testserver/resources/mercury-gold-ghana/download/"
    ]
    assert meta(page, "citation_language") == ["en"]
    assert meta(page, "citation_doi") == ["10.5555/asm.1"]
    assert meta(page, "citation_keywords") == ["Mercury", "Minamata"]


def test_no_pdf_url_without_a_file(client):
    resource = ResourceFactory(year=2020)
    page = client.get(resource.get_absolute_url()).content
    assert meta(page, "citation_pdf_url") == []
    assert meta(page, "citation_publication_date") == ["2020"]


def extract(client, url):
    response = client.get(url)
    return extruct.extract(
        response.content.decode(),
        base_url=f"http://testserver{url}",
        syntaxes=["json-ld", "opengraph", "dublincore"],
        uniform=True,
    )


@pytest.mark.parametrize(
    ("resource_type", "schema_type"),
    [
        (Resource.Type.REPORT, "Report"),
        (Resource.Type.ARTICLE, "ScholarlyArticle"),
        (Resource.Type.DATASET, "Dataset"),
        (Resource.Type.BOOK, "Book"),
        (Resource.Type.OTHER, "CreativeWork"),
    ],
)
def test_jsonld_type_follows_the_resource_type(client, resource_type, schema_type):
    resource = ResourceFactory(resource_type=resource_type)
    data = extract(client, resource.get_absolute_url())["json-ld"]
    assert [d["@type"] for d in data] == [schema_type, "BreadcrumbList"]


def test_jsonld_of_a_resource(client, report):
    work, crumbs = extract(client, report.get_absolute_url())["json-ld"]
    assert work["@type"] == "Report"
    assert work["name"] == "Mercury & gold in Ghana"
    assert work["url"] == "http://testserver/resources/mercury-gold-ghana/"
    assert work["author"] == [
        {"@type": "Person", "name": "Gavin Hilson", "familyName": "Hilson", "givenName": "Gavin"},
        {
            "@type": "Person",
            "name": "Roy Maconachie",
            "familyName": "Maconachie",
            "givenName": "Roy",
        },
        {"@type": "Organization", "name": "IIED"},
    ]
    assert work["datePublished"] == "2019-06-30"
    assert work["publisher"] == {"@type": "Organization", "name": "IIED"}
    assert work["identifier"]["value"] == "10.5555/asm.1"
    assert work["keywords"] == ["Mercury", "Minamata"]
    assert work["spatialCoverage"][0]["name"] == "Ghana"
    assert work["encoding"]["contentUrl"].endswith("/resources/mercury-gold-ghana/download/")
    assert [i["name"] for i in crumbs["itemListElement"]] == [
        "Home",
        "Library",
        "Mercury & gold in Ghana",
    ]


def test_jsonld_survives_a_closing_script_tag_in_a_title(client):
    resource = ResourceFactory(title="</script><script>alert(1)</script>")
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    (work, _crumbs) = extract(client, resource.get_absolute_url())["json-ld"]
    assert work["name"] == "</script><script>alert(1)</script>"


def test_dublin_core_and_open_graph(client, report):
    data = extract(client, report.get_absolute_url())
    (found,) = data["dublincore"]
    dc = {}
    for element in found["elements"]:
        # The URI is resolved through <link rel="schema.DC">: proof the prefix is declared.
        dc.setdefault(element["URI"].removeprefix(DC), []).append(element["content"])
    assert dc["title"] == ["Mercury & gold in Ghana"]
    assert dc["creator"] == ["Hilson, Gavin", "Maconachie, Roy", "IIED"]
    assert dc["date"] == ["2019-06-30"]
    assert dc["language"] == ["en"]
    assert dc["identifier"] == ["https://doi.org/10.5555/asm.1"]
    assert dc["coverage"] == ["Ghana"]
    (og,) = data["opengraph"]
    assert og["og:title"] == "Mercury & gold in Ghana"
    assert og["@type"] == "article"  # extruct's uniform form of og:type
    assert og["og:url"] == "http://testserver/resources/mercury-gold-ghana/"


def test_every_page_has_one_canonical_url(client, report):
    CountryFactory(code="GH")
    for url, expected in [
        ("/", "http://testserver/"),
        (report.get_absolute_url(), "http://testserver/resources/mercury-gold-ghana/"),
        ("/countries/", "http://testserver/countries/"),
        ("/countries/gh/", "http://testserver/countries/gh/"),
        ("/resources/", "http://testserver/resources/"),
    ]:
        assert canonical(client.get(url).content) == expected


def test_library_canonical_url_is_one_spelling_of_the_result_set(client, report):
    """Filters sorted, countries lower-case, sort and unknown values dropped."""
    page = client.get(
        "/resources/",
        {"type": "report", "country": ["GH", "xx"], "sort": "title", "q": "mercury", "zz": "1"},
    ).content
    assert canonical(page) == "http://testserver/resources/?country=gh&q=mercury&type=report"


def test_home_describes_the_hub_as_an_organization(client):
    (org,) = extract(client, "/")["json-ld"]
    assert org["@type"] == "Organization"
    assert org["url"] == "http://testserver/"


def test_country_profile_has_breadcrumbs(client):
    CountryFactory(code="TZ")
    (crumbs,) = extract(client, "/countries/tz/")["json-ld"]
    assert crumbs["@type"] == "BreadcrumbList"
    assert crumbs["itemListElement"][-1]["item"] == "http://testserver/countries/tz/"


def test_event_jsonld_reads_back_through_extruct():
    """The builder dialogues use for their pages."""
    from django.template import Context, Template

    from resources.discovery.metadata import event_jsonld

    ghana = CountryFactory(code="GH")
    data = event_jsonld(
        name="Dialogue on mercury",
        url="https://hub.test/dialogues/mercury/",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 3),
        place="Accra",
        country=ghana,
        organisers=["IIED", "Minerals Commission"],
    )
    html = Template("{% load hub %}<html><head>{% jsonld data %}</head></html>").render(
        Context({"data": data})
    )
    (event,) = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert event["@type"] == "Event"
    assert (event["startDate"], event["endDate"]) == ("2026-03-02", "2026-03-03")
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Accra",
        "addressCountry": "GH",
    }
    assert [o["name"] for o in event["organizer"]] == ["IIED", "Minerals Commission"]
