"""The pages people expect of a site: /about/ (programme, partners, contributing, contact,
licence, privacy), a readable API reference generated from the OpenAPI document, a
footer that links them and the machine doors, and a header search over the whole hub."""

import json
import re

import pytest
from django.urls import reverse

from tests.factories import LearningGroupFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_about_names_the_partners_of_each_learning_group(
    client, settings, django_assert_max_num_queries
):
    settings.ASMHUB_ADMIN_EMAIL = "contact@hub.example"
    fon = OrganisationFactory(name="Friends of the Nation", website="https://fon.example")
    iied = OrganisationFactory(name="IIED")
    LearningGroupFactory(name="Ghana LLG", convenors=[iied, fon])
    LearningGroupFactory(name="Peru LLG", convenors=[fon])
    # Two queries: the learning groups with their countries, then all their convenors;
    # as many whatever the number of groups.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("about"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        r'Ghana LLG</a>: <a href="https://fon.example" rel="external noopener">'
        r"Friends of the Nation</a>, IIED</li>",
        html,
    )
    assert 'href="mailto:contact@hub.example"' in html
    for heading in (
        "The programme",
        "Partners",
        "How to contribute",
        "Contact",
        "Licence",
        "Privacy",
    ):
        assert f">{heading}</h2>" in html


def test_about_in_another_language(client):
    html = client.get("/fr/about/").content.decode()
    assert '<html lang="fr">' in html
    assert "Confidentialité" in html


def test_the_api_reference_lists_every_operation_of_the_openapi_document(
    client, django_assert_max_num_queries
):
    document = json.loads(client.get(reverse("api:openapi")).content)
    # Read once per process from the generated schema, never from the database.
    client.get(reverse("api-reference"))
    with django_assert_max_num_queries(0):
        response = client.get(reverse("api-reference"))
    html = response.content.decode()
    assert "<script" not in html
    for path, item in document["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in html
    assert "<code>page_size</code>" in html
    assert document["info"]["description"] in html


def test_the_footer_links_about_and_the_machine_doors(client):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for url in (
        "/about/",
        "/search/",
        "/about/api/",
        "/feeds/resources.atom",
        "/feeds/dialogues.atom",
        "/oai?verb=Identify",
        "/sitemap.xml",
    ):
        assert f'href="{url}"' in footer, url
        assert client.get(url).status_code == 200, url
    spanish = client.get("/es/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert 'href="/es/about/"' in spanish and 'href="/es/feeds/resources.atom"' in spanish


def test_the_header_searches_the_whole_hub(client):
    html = client.get("/resources/").content.decode()
    assert re.search(r'<form class="header-search" role="search" action="/search/"', html)


def test_the_hub_has_a_logo_drawn_in_its_header(client):
    html = client.get("/").content.decode()
    brand = re.search(r'<a class="brand" href="/">(.*?)</a>', html, re.S).group(1)
    assert re.match(r'<svg class="logo" viewBox="0 0 32 32"[^>]* aria-hidden="true"', brand)
    assert "ASM Hub" in brand  # the link is named by its text, the picture is decoration


def test_about_says_how_use_is_counted_and_what_is_not_kept(client):
    html = client.get(reverse("about")).content.decode()
    assert 'id="counting"' in html
    assert "no IP address, browser description or cookie is kept" in html
