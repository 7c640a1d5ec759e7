"""Records read as plain rows for OAI-PMH and the Atom feed (resources/discovery/records.py)."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.discovery.citations import keywords
from resources.discovery.records import records
from resources.models import Resource, ResourceAuthor
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources():
    gh, tz = CountryFactory(code="GH"), CountryFactory(code="TZ")
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    gender = ThemeFactory(slug="gender", name="Gender")
    gold = CommodityFactory(slug="gold", name="gold")
    first = ResourceFactory(
        countries=[tz, gh],
        themes=[mercury, gender],
        commodities=[gold],
        with_file=True,
    )
    # Authors out of position order, as an editor's reordering leaves them.
    ResourceAuthor.objects.create(resource=first, name="Zulu, Z.", position=2)
    ResourceAuthor.objects.create(resource=first, name="Alpha, A.", position=1)
    # A tag that is also a commodity's name is one keyword.
    first.tags.add("tailings", "gold", "cooperatives")
    withdrawn = ResourceFactory(countries=[gh])
    withdrawn.status = Resource.Status.WITHDRAWN
    withdrawn.save()
    return first, withdrawn


def test_records_carry_what_the_resources_do_in_the_order_of_the_queryset(resources):
    first, withdrawn = resources
    rows = records(Resource.objects.filter(pk__in=[first.pk, withdrawn.pk]).order_by("-pk"))
    assert [row.pk for row in rows] == [withdrawn.pk, first.pk]
    gone, row = rows
    assert not gone.is_published and gone.country_codes == ["GH"]
    assert row.is_published
    assert row.author_names == ["Alpha, A.", "Zulu, Z."]
    assert row.country_codes == ["GH", "TZ"]
    assert row.country_names == ["Ghana", "Tanzania"]
    assert row.themes == [("gender", "Gender"), ("mercury", "Mercury")]
    assert row.commodities == [("gold", "gold")]
    assert row.tag_names == ["cooperatives", "gold", "tailings"]
    assert row.keywords == ["Gender", "Mercury", "gold", "cooperatives", "tailings"]
    assert set(row.keywords) == set(keywords(first)) and len(row.keywords) == 5
    for name in ("slug", "title", "summary", "year", "date", "licence", "updated_at"):
        assert getattr(row, name) == getattr(first, name), name
    assert row.file == first.file.name and row.content_type == "application/pdf"
    assert row.get_absolute_url() == first.get_absolute_url()
    assert row.get_download_url() == first.get_download_url()
    assert row.type_label == first.type_label


def test_records_take_a_fixed_number_of_queries(resources):
    for _ in range(5):
        ResourceFactory(countries=[CountryFactory()], authors=["A, B."]).tags.add("x")
    # The rows, countries, themes, commodities; with metadata, authors, tags and
    # translated titles too.
    for metadata, expected in ((True, 7), (False, 4)):
        for size in (1, 7):
            with CaptureQueriesContext(connection) as queries:
                rows = records(Resource.objects.order_by("pk")[:size], metadata=metadata)
            assert len(rows) == size
            assert len(queries) == expected, (metadata, size)
    with CaptureQueriesContext(connection) as queries:
        assert records(Resource.objects.none()) == []
    assert len(queries) == 0
    headers_only = records(Resource.objects.filter(pk=resources[0].pk), metadata=False)[0]
    assert headers_only.author_names == [] and headers_only.tag_names == []
    assert headers_only.country_codes == ["GH", "TZ"]


def test_records_leave_no_reference_cycles_for_the_collector(resources):
    """Model instances with their prefetched relations left thousands of objects a feed
    in reference cycles, freed only by a full collection: the feed's p95."""
    page = Resource.objects.order_by("pk")
    records(page)  # whatever the first call initialises
    gc.collect()
    gc.disable()
    try:
        assert len(records(page)) == 2
        assert gc.collect() == 0
        list(page.prefetch_related("authors", "countries", "tags"))
        assert gc.collect() > 0  # the measure can see what instances leave
    finally:
        gc.enable()
