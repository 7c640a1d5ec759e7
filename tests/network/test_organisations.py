"""/organisations/ (filters, facet counts, search), an organisation's page, its logo, the
library's organisation facet and the API's organisations."""

import io
import json
import re

import extruct
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from PIL import Image

from resources.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("network:organisation-list")


def names(response):
    return [o.name for o in response.context["organisations"]]


def facet(response, name):
    found = next(f for f in response.context["facets"] if f["name"] == name)
    return {item["label"]: item["count"] for item in found["items"]}


def test_every_organisation_by_name_with_exact_facet_counts(client, network):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Dar Research",
        "Intergovernmental Forum on Mining",
        "Minerals Commission",
        "Small Miners Association",
    ]
    assert facet(response, "country") == {"Ghana": 2, "Tanzania": 1}
    assert facet(response, "kind") == {
        "International initiative": 1,
        "Government": 1,
        "ASM organisation": 1,
        "Research": 1,
    }
    assert facet(response, "partner") == {"Programme partners": 2, "Other organisations": 2}
    listed = {o.slug: o.resource_count for o in response.context["organisations"]}
    # Owned (the draft left out) or published under the organisation's name.
    assert listed["igf"] == 7 and listed["minerals-commission"] == 1 and listed["sma"] == 0


def test_each_facet_is_counted_with_the_other_filters_but_not_its_own(client, network):
    response = client.get(URL, {"country": "gh", "partner": "yes"})
    assert names(response) == ["Small Miners Association"]
    # Country counted among partners; partnership counted among Ghana's.
    assert facet(response, "country") == {"Ghana": 1}
    assert facet(response, "partner") == {"Programme partners": 1, "Other organisations": 1}
    assert facet(response, "kind") == {"ASM organisation": 1}
    chips = [chip["label"] for chip in response.context["chips"]]
    assert chips == ["Country: Ghana", "Partner: Programme partners"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "gnassm"}, ["Small Miners Association"]),
        ({"q": "IGF"}, ["Intergovernmental Forum on Mining"]),
        ({"q": "commission minerals"}, ["Minerals Commission"]),
        ({"kind": ["research", "government"]}, ["Dar Research", "Minerals Commission"]),
        ({"partner": "no", "country": "GH"}, ["Minerals Commission"]),
        ({"partner": ["yes", "no"], "country": "tz"}, ["Dar Research"]),
    ],
)
def test_search_and_filters(client, network, query, expected):
    assert names(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        "country=zz&kind=pirate&partner=maybe",
        "q=%00%01&page=abc",
        "page=999",
        "q=" + "x" * 500,
        "country=%FF&kind[]=1&partner=",
        "q=%27%22%3Cscript%3E",
    ],
)
def test_any_query_string_is_answered_without_an_error(client, network, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code in (200, 404)


def test_unknown_values_are_ignored_with_a_note(client, network):
    response = client.get(URL, {"kind": ["pirate", "research"]})
    assert names(response) == ["Dar Research"]
    assert "“pirate”" in " ".join(str(n) for n in response.context["notes"])


def test_list_query_count(client, network, django_assert_max_num_queries):
    for n in range(10):
        OrganisationFactory(name=f"Extra {n}")
    # The page's count and its rows with their country and resource counts (2), one
    # grouped count per facet (3): 5, however many organisations.
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"country": "gh", "q": "a"})
    assert response.status_code == 200


def test_detail_shows_what_the_organisation_does(client, network):
    igf = network["igf"]
    response = client.get(igf.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # The five newest of its seven published resources, and the way to all of them.
    assert [r.title for r in response.context["resources"]] == [
        f"IGF guidance {n}" for n in (6, 5, 4, 3, 2)
    ]
    assert response.context["more_resources"]
    assert reverse("resources:list") + "?organisation=igf" in html
    assert "IGF draft" not in html
    assert [d.title for d in response.context["dialogues"]] == ["Mercury dialogue"]
    assert [n.title for n in response.context["news"]] == ["IGF joins the hub"]
    assert "Draft news" not in html
    assert "https://www.igfmining.org/" in html


def test_detail_lists_groups_convened_or_joined(client, network):
    for key in ("sma", "minerals"):
        response = client.get(network[key].get_absolute_url())
        assert [g.name for g in response.context["groups"]] == ["Ghana learning group"]
    response = client.get(network["minerals"].get_absolute_url())
    assert [r.title for r in response.context["resources"]] == ["Licensing handbook"]


def test_detail_describes_itself_as_a_schema_org_organization(client, network):
    response = client.get(network["igf"].get_absolute_url())
    data = extruct.extract(response.content.decode(), syntaxes=["json-ld"])["json-ld"]
    organisation = next(item for item in data if item["@type"] == "Organization")
    assert organisation["name"] == "Intergovernmental Forum on Mining"
    assert organisation["alternateName"] == "IGF"
    assert organisation["sameAs"] == "https://www.igfmining.org/"
    assert organisation["url"] == "http://testserver/organisations/igf/"


def test_detail_query_count(client, network, django_assert_max_num_queries):
    # The organisation with its country, its resources, groups, dialogues, news, the
    # news' countries and their translations (7), and the dialogues' and resources'
    # translations (their titles in the reader's language; IGF is in no group, whose names
    # would be one more): 9, the session-free page's other reads kept constant.
    with django_assert_max_num_queries(9):
        response = client.get(network["igf"].get_absolute_url())
    assert response.status_code == 200


def test_an_unknown_organisation_is_not_found(client, network):
    assert client.get("/organisations/nobody/").status_code == 404
    # The logo's former address sends to its one address, which has none to show.
    for slug in ("nobody", "igf"):
        moved = client.get(f"/organisations/{slug}/logo")
        assert moved.status_code == 301 and moved["Location"] == f"/logos/{slug}.webp"
        assert client.get(moved["Location"]).status_code == 404


def jpeg_with_gps(size=(2400, 1600)):
    """A JPEG carrying EXIF with a GPS position and a camera make."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (5.0, 36.0, 0.0)
    gps[3], gps[4] = "W", (0.0, 12.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_logo_is_stored_resized_without_its_metadata(client, network):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the upload has GPS"
    igf = network["igf"]
    igf.logo = SimpleUploadedFile("logo.jpeg", data, content_type="image/jpeg")
    igf.full_clean()
    igf.save()
    with igf.logo.open("rb") as handle:
        stored = Image.open(handle)
        stored.load()
    # A logo is stored as a small WebP (resources/files/images.py: LogoField).
    assert stored.format == "WEBP"
    assert max(stored.size) <= 240
    assert not stored.getexif(), "no EXIF at all, so no position"
    assert "exif" not in stored.info
    # One address: the former /organisations/<slug>/logo answers a permanent redirect.
    old = client.get(reverse("network:organisation-logo", args=["igf"]))
    assert old.status_code == 301 and old["Location"] == "/logos/igf.webp"
    response = client.get(old["Location"])
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[8:12] == b"WEBP"
    # Closed as the test client closes its own: without ending the test's connection.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    page = client.get(igf.get_absolute_url()).content.decode()
    assert re.search(r'<img class="org-logo" src="/logos/igf\.webp\?v=\w+"', page)
    data = json.loads(client.get(reverse("api:organisation", args=["igf"])).content)
    assert re.fullmatch(r"http://testserver/logos/igf\.webp\?v=\w+", data["logo_url"])


@pytest.mark.parametrize(
    "name, content",
    [
        ("logo.png", b"<svg onload=alert(1)></svg>"),
        ("logo.jpg", b"%PDF-1.4 not a picture"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_what_is_not_a_picture_is_refused_with_a_reason(network, name, content):
    igf = network["igf"]
    igf.logo = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as refused:
        igf.full_clean()
    assert "logo" in refused.value.message_dict
    assert Organisation.objects.get(pk=igf.pk).logo.name == ""


def test_the_library_has_an_organisation_facet(client, network):
    response = client.get(reverse("resources:list"))
    found = next(f for f in response.context["facets"] if f["name"] == "organisation")
    counts = {item["label"]: item["count"] for item in found["items"]}
    assert counts == {"Intergovernmental Forum on Mining": 7, "Minerals Commission": 1}
    response = client.get(reverse("resources:list"), {"organisation": "minerals-commission"})
    assert [r.title for r in response.context["resources"]] == ["Licensing handbook"]
    chips = [chip["label"] for chip in response.context["chips"]]
    assert chips == ["Organisation: Minerals Commission"]
    response = client.get(reverse("resources:list"), {"organisation": "nobody"})
    assert response.status_code == 200
    assert "“nobody”" in " ".join(str(n) for n in response.context["notes"])


def test_the_api_describes_organisations_for_the_network(client, network):
    data = json.loads(client.get(reverse("api:organisation", args=["igf"])).content)
    assert data["is_partner"] is True
    assert data["html_url"] == "http://testserver/organisations/igf/"
    assert data["description"] == "A forum of governments."
    assert data["logo_url"] is None


def test_organisations_are_in_the_sitemap(client, network):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/organisations/igf/" in xml
    assert "http://testserver/organisations/dar-research/" in xml


def test_the_api_counts_resources_as_the_organisation_list_does(client, network):
    """Owned or published under the organisation's name, drafts left out: one rule
    (OrganisationQuerySet.with_resource_count) for the page and the API."""
    page = client.get(URL)
    listed = {o.slug: o.resource_count for o in page.context["organisations"]}
    answer = json.loads(client.get(reverse("api:organisations")).content)
    counted = {row["slug"]: row["resource_count"] for row in answer["results"]}
    assert counted == listed
    assert counted["minerals-commission"] == 1, "published under its name, owned by no one"
    one = json.loads(client.get(reverse("api:organisation", args=["igf"])).content)
    assert one["resource_count"] == listed["igf"] == 7
