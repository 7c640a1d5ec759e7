"""The programme's countries on a server-drawn SVG map (home and /countries/): each a
link named with its resource count, the counts those of the library's country facet,
the same content as a list; no tiles, no script, the background a small static file."""

import re

import pytest
from django.contrib.staticfiles import finders

from asmhub.worldmap import world
from resources.filters import ResourceFilter
from resources.models import Resource
from tests.factories import CountryFactory, ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def programme():
    ghana = CountryFactory(code="GH", is_programme_country=True)
    peru = CountryFactory(code="PE", is_programme_country=True)
    CountryFactory(code="ET", is_programme_country=True)  # no resources yet
    germany = CountryFactory(code="DE")  # not in the programme
    ResourceFactory.create_batch(3, countries=[ghana])
    ResourceFactory(countries=[ghana, peru])
    ResourceFactory(countries=[germany])
    ResourceFactory(countries=[peru], status=Resource.Status.DRAFT)  # never counted


def map_links(html):
    """{href: accessible name} of the links inside the map's SVG."""
    svg = re.search(r"<svg viewBox.*?</svg>", html, re.S).group(0)
    return dict(re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg))


@pytest.mark.parametrize("url", ["/", "/countries/"])
def test_the_map_links_each_programme_country_with_the_facet_count(client, programme, url):
    html = client.get(url).content.decode()
    facet = {
        code: count
        for code, _label, count in ResourceFilter(
            {}, queryset=Resource.objects.for_listing()
        ).facet_counts()["country"]
    }
    assert facet == {"GH": 4, "PE": 1, "DE": 1}
    assert map_links(html) == {
        "/countries/et/": "Ethiopia: 0 resources",
        "/countries/gh/": f"Ghana: {facet['GH']} resources",
        "/countries/pe/": f"Peru: {facet['PE']} resource",
    }
    # The same content as a list, outside the picture.
    listed = re.search(r'<ul class="map-list">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a> <span class="muted">\(([^)]+)\)', listed) == [
        ("/countries/et/", "Ethiopia", "0 resources"),
        ("/countries/gh/", "Ghana", "4 resources"),
        ("/countries/pe/", "Peru", "1 resource"),
    ]


def test_the_map_speaks_the_readers_language(client, programme):
    html = client.get("/es/").content.decode()
    assert map_links(html)["/es/countries/gh/"] == "Ghana: 4 recursos"


def test_the_map_is_drawn_on_the_server_from_a_small_static_background(client, programme):
    html = client.get("/").content.decode()
    svg = re.search(r"<svg viewBox.*?</svg>", html, re.S).group(0)
    assert "<script" not in html.split("<main", 1)[1] and "tile" not in svg
    (background,) = re.findall(r'<image href="([^"]+)"', svg)
    assert background.startswith("/static/img/world")
    with open(finders.find("img/world.svg"), "rb") as handle:
        assert len(handle.read()) < 40 * 1024
    # Every programme country the design names has a shape.
    shapes = world()["shapes"]
    assert {"TZ", "ET", "CO", "PE", "BO", "IN", "GH"} <= set(shapes)
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", shape) for shape in shapes.values())
