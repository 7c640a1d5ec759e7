"""The programme's countries on a world map drawn in the page: an SVG whose background is
a static picture of every country (static/img/world.svg) and whose programme countries
are links, each named with its resource count, the same counts as the library's country
facet. The shapes come from Natural Earth through scripts/build_world_map.py."""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import ngettext

from resources.filters import ResourceFilter
from resources.models import Country, Resource

SHAPES = Path(__file__).resolve().parent / "data" / "world_shapes.json"


@functools.cache
def world():
    """{"width", "height", "shapes": {ISO2: SVG path data}}, read once per process."""
    return json.loads(SHAPES.read_text())


@dataclass
class MapCountry:
    code: str
    name: str
    url: str
    count: int
    shape: str

    @property
    def label(self):
        """ "Ghana: 12 resources", the link's accessible name."""
        return ngettext(
            "%(country)s: %(count)s resource", "%(country)s: %(count)s resources", self.count
        ) % {"country": self.name, "count": self.count}


def country_counts():
    """{ISO2: published resources}, the library's country facet without a filter (kept
    under the content version like the library's own counts)."""
    rows, _total = ResourceFilter({}, queryset=Resource.objects.for_listing()).index_facets()
    return {code.upper(): count for code, count in rows["country"]}


def programme_map(countries=None):
    """The map's size and its programme countries (among countries when given, else
    read), by name; a country with no shape in the map data (a territory too small for
    it) is left to the list beside the map."""
    data = world()
    counts = country_counts()
    if countries is None:
        countries = Country.objects.filter(is_programme_country=True)
    countries = sorted(
        (country for country in countries if country.is_programme_country),
        key=lambda country: str(country.name),
    )
    return {
        "width": data["width"],
        "height": data["height"],
        "countries": [
            MapCountry(
                code=country.code,
                name=str(country.name),
                url=country.get_absolute_url(),
                count=counts.get(country.code, 0),
                shape=data["shapes"].get(country.code, ""),
            )
            for country in countries
        ],
    }
