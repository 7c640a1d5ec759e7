"""A resource's page: its metadata, links back into the library, related resources."""

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.conftest import page_html
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource():
    return ResourceFactory(
        title="Artisanal gold mining in Ghana",
        summary="Evidence to inform an action dialogue.",
        year=2016,
        publisher="IIED",
        doi="10.1234/asm.5",
        isbn="9781784313302",
        publisher_code="16618IIED",
        licence="CC BY 4.0",
        countries=[CountryFactory(code="GH")],
        themes=[ThemeFactory(slug="formalisation", name="Formalisation")],
        commodities=[CommodityFactory(slug="gold", name="Gold")],
        tags=["dialogue"],
        authors=["McQuilken, J.", "Hilson, G."],
        with_file=True,
    )


def test_detail_shows_every_field_and_links_into_the_library(client, resource):
    body = page_html(client, resource.get_absolute_url())
    for text in (
        "Artisanal gold mining in Ghana",
        "McQuilken, J.; Hilson, G.",
        "IIED",
        "10.1234/asm.5",
        "9781784313302",
        "16618IIED",
        "CC BY 4.0",
        "Evidence to inform an action dialogue.",
    ):
        assert text in body
    for link in (
        "?country=gh",
        "?theme=formalisation",
        "?commodity=gold",
        "?tag=dialogue",
        "?type=report",
        "?language=en",
    ):
        assert f'href="/resources/{link}"' in body


def test_detail_says_file_type_and_size_before_download(client, resource):
    body = client.get(resource.get_absolute_url()).content.decode()
    assert resource.file_size > 0
    assert f'href="{resource.get_download_url()}"' in body
    assert "PDF, " in body and "bytes" in body


def test_external_resource_is_marked_as_an_external_link(client):
    resource = ResourceFactory(external_url="https://pubs.example.org/16532")
    body = client.get(resource.get_absolute_url()).content.decode()
    assert 'href="https://pubs.example.org/16532" rel="external noopener"' in body
    assert "external link" in body
    assert "/download/" not in body


def test_related_resources_share_countries_themes_or_tags(client, resource):
    ghana = CountryFactory(code="GH")
    close = ResourceFactory(title="Close relative", countries=[ghana], tags=["dialogue"])
    far = ResourceFactory(title="Distant relative", countries=[ghana])
    ResourceFactory(title="Stranger")
    ResourceFactory(title="Hidden relative", countries=[ghana], status=Resource.Status.DRAFT)
    related = list(client.get(resource.get_absolute_url()).context["related"])
    assert related == [close, far]


# A withdrawn resource answers 410 Gone with its citation, so links to it still explain;
# a draft or one in review was never public: 404.
@pytest.mark.parametrize(
    ("status", "code"), [("draft", 404), ("in_review", 404), ("withdrawn", 410)]
)
def test_unpublished_resource_has_no_public_page(client, status, code):
    resource = ResourceFactory(status=status)
    assert client.get(resource.get_absolute_url()).status_code == code


def test_unknown_slug_is_404(client):
    response = client.get(reverse("resources:detail", args=["no-such-thing"]))
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_detail_query_count_is_constant(
    client, django_assert_max_num_queries, resource, warm_facet_index
):
    # 1 resource + 6 prefetches (authors, countries, themes, tags, commodities, translated
    # titles) + 3 for the relation ids the related query needs + 1 related query and 1 for
    # its titles' translations (each shown in the reader's language) + 1 INSERT counting
    # the view (usage) = 13, however many relations.
    for n in range(8):
        ResourceFactory(countries=[CountryFactory(code="GH")], tags=[f"t{n}", "dialogue"])
    warm_facet_index()
    with django_assert_max_num_queries(13):
        response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
