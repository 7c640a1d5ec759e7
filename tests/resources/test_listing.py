"""Result lists read as plain rows (resources/listing.py) show what the resources do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from resources import labels
from resources.listing import listed
from resources.models import Resource, ResourceAuthor
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def shown(item):
    """What the result template reads of a Resource or a ListedResource."""
    return (
        item.pk,
        item.title,
        item.get_absolute_url(),
        item.year,
        item.type_label,
        item.publisher,
        item.summary,
        item.author_names,
        item.country_names,
        item.theme_names,
    )


@pytest.fixture
def resources():
    gh, tz, de = (CountryFactory(code=code) for code in ("GH", "TZ", "DE"))
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    gender = ThemeFactory(slug="gender", name="Gender")
    first = ResourceFactory(
        countries=[tz, gh, de], themes=[mercury, gender], resource_type=Resource.Type.DATASET
    )
    # Authors out of position order, as an editor's reordering leaves them.
    ResourceAuthor.objects.create(resource=first, name="Zulu, Z.", position=2)
    ResourceAuthor.objects.create(resource=first, name="Alpha, A.", position=1)
    ResourceAuthor.objects.create(resource=first, name="Mid, M.", position=1)
    second = ResourceFactory(year=None, publisher="", summary="")
    hidden = ResourceFactory(status=Resource.Status.DRAFT, countries=[gh])
    return first, second, hidden


def test_rows_show_what_the_resources_show_in_the_order_asked(resources):
    first, second, hidden = resources
    expected = Resource.objects.for_listing().in_bulk([first.pk, second.pk])
    rows = listed([second.pk, hidden.pk, first.pk])
    assert [row.pk for row in rows] == [second.pk, first.pk]  # a draft is never listed
    assert [shown(row) for row in rows] == [shown(expected[second.pk]), shown(expected[first.pk])]
    assert rows[0].author_names == [] and rows[0].country_names == []
    assert rows[1].author_names == ["Alpha, A.", "Mid, M.", "Zulu, Z."]
    assert rows[1].theme_names == ["Gender", "Mercury"]
    assert rows[1].type_label == "Dataset"


def test_rows_take_five_queries_whatever_their_number(resources):
    # The resources, authors, countries, themes and titles' translations (the fifth, so a
    # list shows each title in the reader's language).
    more = [ResourceFactory(countries=[resources[0].countries.first()]).pk for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        listed([resources[0].pk, *more])
    assert len(queries) == 5
    with CaptureQueriesContext(connection) as queries:
        assert listed([]) == []
    assert len(queries) == 0


def test_country_names_follow_the_readers_language(resources):
    first = listed([resources[0].pk])[0]
    assert first.country_names == ["Germany", "Ghana", "Tanzania"]
    with translation.override("es"):
        assert first.country_names == ["Alemania", "Ghana", "Tanzania"]
        assert labels.country_name("DE") == "Alemania"
    assert labels.country_name("XX") == "XX"  # an unknown code is shown as it is


def test_library_page_lists_rows_like_the_resources(client, resources):
    response = client.get("/resources/")
    html = response.content.decode()
    assert "Alpha, A.; Mid, M.; Zulu, Z." in html
    assert '<span class="pill">Germany</span>' in html
    assert '<span class="pill pill-theme">Gender</span>' in html
    assert "Dataset" in html
    assert resources[2].title not in html
