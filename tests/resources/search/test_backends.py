"""The search backend is chosen in one place, from the database and the settings, and each
backend answers the library's questions alike."""

import datetime as dt

import pytest
from django.db import connection

from resources.models import Resource
from resources.querysets import with_narrower
from resources.search import columns
from resources.search.backends import backend
from resources.search.backends.facetindex import FacetIndexBackend
from resources.search.backends.postgres import PostgresBackend
from resources.search.backends.sqlite import SqliteBackend
from resources.search.facetindex.query import IndexedLibrary
from resources.search.fts_library import FtsLibrary
from resources.search.library import LibraryIndex
from resources.search.orm_library import OrmLibrary
from resources.sorts import SORTS
from tests.factories import (
    CommodityFactory,
    CountryFactory,
    OrganisationFactory,
    ResourceFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_sqlite_has_the_fts5_backend(settings):
    if connection.vendor == "postgresql":
        pytest.skip("the FTS5 backend is SQLite's; PostgreSQL's are checked below")
    settings.ASMHUB_FACET_INDEX = True
    ResourceFactory(title="Gold")
    ResourceFactory(title="Gold draft", status=Resource.Status.DRAFT)
    chosen = backend()
    assert isinstance(chosen, SqliteBackend)
    assert not chosen.indexed and not chosen.in_memory
    assert chosen.snippets([0], "gold") == {}
    assert chosen.spellings("gold", 0) == []
    assert chosen.reindex() == 1
    assert chosen.published_count() is None
    assert isinstance(chosen.library({}), FtsLibrary)
    assert chosen.library({}, q="gold").count() == 1
    assert chosen.cached(chosen.library({}), "count", lambda: 7) == 7


@pytest.mark.usefixtures("on_postgres")
def test_postgresql_has_the_facet_index_unless_it_is_off(settings):
    settings.ASMHUB_FACET_INDEX = True
    assert isinstance(backend(), FacetIndexBackend)
    assert isinstance(backend().library({}), IndexedLibrary)
    settings.ASMHUB_FACET_INDEX = False
    assert type(backend()) is PostgresBackend
    assert type(backend().library({})) is LibraryIndex
    assert backend().published_count() is None


@pytest.mark.usefixtures("on_postgres")
def test_every_postgresql_backend_counts_and_pages_alike(settings):
    ResourceFactory.create_batch(4, title="Gold in Ghana")
    ResourceFactory(title="Cobalt")
    answers = []
    for on in (True, False):
        settings.ASMHUB_FACET_INDEX = on
        library = backend().library({}, q="gold")
        answers.append(
            (library.count(), library.facet_counts()[1], library.page_ids("newest", 0, 10))
        )
    assert answers[0] == answers[1]
    assert answers[0][:2] == (4, 4)


@pytest.fixture
def varied():
    """Published resources over every facet, with years and dates missing and titles
    alike (the sort orders' tie-breaks), a broader commodity, and two hidden ones."""
    gh, tz, co = (CountryFactory(code=code) for code in ("GH", "TZ", "CO"))
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    gender = ThemeFactory(slug="gender", name="Gender")
    minerals = CommodityFactory(slug="development-minerals", name="Development minerals")
    sand = CommodityFactory(slug="sand", name="Sand", parent=minerals)
    gold = CommodityFactory(slug="gold", name="Gold")
    kinds = list(Resource.Type.values)
    # Owners, and publishers named as an organisation is (the same one, another, or none
    # known): the organisation facet counts a resource once for each it is linked to.
    igf = OrganisationFactory(slug="igf", name="IGF")
    pact = OrganisationFactory(slug="pact", name="Pact")
    OrganisationFactory(slug="unused", name="Unused")
    owners = [igf, pact, None, None]
    publishers = ["Pact", "IGF", "", "Someone else"]
    for n in range(16):
        ResourceFactory(
            title=f"Study {n % 5}",
            year=None if n % 7 == 3 else 2004 + n,
            date=None if n % 3 else dt.date(2004 + n, 1 + n % 12, 1),
            resource_type=kinds[n % 3],
            language=("en", "es", "fr")[n // 2 % 3],
            countries=[(gh, tz, co)[n % 3]] + ([tz] if n % 4 == 0 else []),
            themes=[(mercury, gender)[n % 2]] if n % 5 else [],
            commodities=[(sand, gold, minerals)[n % 3]],
            tags=[f"tag{n % 4}", "mining"] if n % 6 else [],
            owner=owners[n % 4],
            publisher=publishers[n // 4 % 4],
        )
    ResourceFactory(title="Draft", status=Resource.Status.DRAFT, countries=[gh])
    ResourceFactory(title="Gone", status=Resource.Status.WITHDRAWN, countries=[gh])


STATES = [
    ({}, {}),
    ({"country": ["GH"]}, {}),
    ({"country": ["GH", "TZ"], "theme": ["mercury"]}, {}),
    ({"commodity": ["development-minerals"]}, {}),
    ({"tag": ["tag1", "tag2"], "type": ["report"]}, {}),
    ({"language": ["es", "fr"]}, {"year_from": 2008}),
    ({"country": ["TZ"]}, {"year_from": 2006, "year_to": 2012}),
    ({"commodity": ["gold"], "theme": ["gender"], "tag": ["mining"]}, {"year_to": 2015}),
    ({}, {"top_tags": 2}),
    ({"organisation": ["igf"]}, {}),
    ({"organisation": ["pact", "igf"], "country": ["GH"]}, {"year_from": 2008}),
]


def expanded(filters):
    return {**filters, "commodity": with_narrower(filters.get("commodity", []))}


def normalised(facets):
    rows, total = facets
    return {name: sorted(values) for name, values in rows.items()}, total


@pytest.mark.usefixtures("on_postgres", "varied")
@pytest.mark.parametrize(("filters", "options"), STATES)
def test_the_orm_backend_answers_as_the_sql_reference(filters, options):
    """The ORM's states on PostgreSQL's data count, facet and page exactly as the index's
    SQL does (text searches aside: the ORM matches words, the index their stems)."""
    orm = OrmLibrary(expanded(filters), **options)
    sql = LibraryIndex(expanded(filters), **options)
    assert orm.count() == sql.count() > 0
    assert normalised(orm.facet_counts()) == normalised(sql.facet_counts())
    for sort in SORTS:
        for offset, limit in ((0, 20), (0, 3), (2, 4)):
            assert orm.page_ids(sort, offset, limit) == sql.page_ids(sort, offset, limit)


@pytest.mark.usefixtures("varied")
@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_orders_the_orm_as_its_key_orders_rows(sort):
    """A sort's ORM ordering and its key for rows in Python (what the facet index's
    snapshots built from rows use) give one order, missing years and dates last."""
    rows = list(Resource.objects.published().values_list("pk", "year", "date", "title", named=True))

    class Row:
        def __init__(self, row):
            self.resource_id, self.year, self.date, self.title = row

    expected = [row.resource_id for row in sorted(map(Row, rows), key=SORTS[sort].key)]
    assert OrmLibrary({}).page_ids(sort, 0, 100) == expected
    assert len(expected) == 16


@pytest.mark.usefixtures("varied")
def test_organisation_facet_counts_equal_a_direct_count():
    """On this database's backend, each organisation's count is the number of published
    resources it owns or that name it as publisher, and a chosen organisation narrows
    the count to those; the unused organisation is not offered."""
    from django.db.models import Q

    from resources.models import Organisation

    library = backend().library({})
    facets, total = library.facet_counts()
    counted = dict(facets["organisation"])
    expected = {}
    for organisation in Organisation.objects.all():
        n = (
            Resource.objects.published()
            .filter(Q(owner=organisation) | Q(publisher=organisation.name))
            .count()
        )
        if n:
            expected[organisation.slug] = n
    assert counted == expected
    assert set(expected) == {"igf", "pact"}
    chosen = backend().library({"organisation": ["igf"]})
    assert chosen.count() == expected["igf"]
    # Disjunctive: the organisation facet is counted without its own filter.
    assert dict(chosen.facet_counts()[0]["organisation"]) == expected


SEARCHES = [
    {"q": "study"},
    {"q": "mercury"},
    {"q": "formalisation"},
    {"q": "mercurio ghana"},
    {"q": "study -gender"},
]


@pytest.mark.usefixtures("varied")
@pytest.mark.parametrize(
    ("filters", "options"),
    STATES + [({}, q) for q in SEARCHES] + [({"country": ["GH"]}, SEARCHES[1])],
)
def test_sqlite_counts_in_memory_as_its_sql_does(filters, options):
    """On SQLite a state is counted and paged on the columns kept in memory
    (fts_columns.py): exactly what the ORM's statements and the FTS5 ranking in SQL answer,
    in every sort and for searches (relevance by bm25, an equivalent's match lower)."""
    if connection.vendor != "sqlite":
        pytest.skip("the columns are SQLite's; PostgreSQL's facet index is compared above")
    # The word typed in a summary, and its Spanish equivalent in a title: the
    # equivalent's lower weight decides their order.
    ResourceFactory(title="Gold", summary="formalisation " * 3, language="en")
    ResourceFactory(title="Formalización, formalización", language="es")
    library = FtsLibrary(expanded(filters), **options)
    assert library.count() == library.sql_count()
    assert normalised(library.facet_counts()) == normalised(library.sql_facet_counts())
    assert library.facet_counts()[0]["tag"] == library.sql_facet_counts()[0]["tag"]
    for sort in ("relevance", *SORTS):
        for offset, limit in ((0, 20), (0, 3), (2, 4)):
            assert library.page_ids(sort, offset, limit) == library.sql_page_ids(
                sort, offset, limit
            )
    if options.get("q") in ("study", "mercury"):
        assert library.count() > 0


@pytest.mark.usefixtures("varied")
@pytest.mark.parametrize("window", [3, 7])
def test_sqlite_ranks_among_the_newest_matches_as_its_sql_does(monkeypatch, window):
    """On SQLite, as on PostgreSQL, relevance is ranked among the RANK_WINDOW newest
    matches of a state. A search's first state scores, in the statement that finds its
    matches, only the documents likely to hold its window (where bm25 for every match of
    a common word took most of a new search's time); a later state scores what its own
    window lacks. Whichever state of a search comes first, every page is the SQL
    reference's."""
    if connection.vendor != "sqlite":
        pytest.skip("the columns are SQLite's; PostgreSQL's window is tested with its index")
    monkeypatch.setattr(columns, "RANK_WINDOW", window)
    ResourceFactory(title="Gold", summary="formalisation " * 3, language="en")
    ResourceFactory(title="Formalización, formalización", language="es")
    states = [
        ({}, "study"),
        ({"country": ["GH"]}, "study"),
        ({"theme": ["gender"]}, "study mining"),
        ({}, "formalisation"),
        ({"country": ["TZ"]}, "mining"),
        ({}, "mining"),
    ]
    for order in (states, states[::-1]):
        backend().forget_searches()
        for filters, q in order:
            library = FtsLibrary(expanded(filters), q=q)
            for offset, limit in ((0, 20), (0, 3), (2, 4)):
                assert library.page_ids("relevance", offset, limit) == library.sql_page_ids(
                    "relevance", offset, limit
                ), (filters, q, offset, limit)
    backend().forget_searches()
    library = FtsLibrary({}, q="study")
    matches = library.count()
    assert matches > 2 * window
    snapshot = library.counted().snapshot
    scored, _scores = snapshot.rank_scores["study"]
    newest = snapshot.ids[snapshot.orders["newest"][: 2 * window]]
    assert 0 < len(scored) < matches
    assert set(scored.tolist()) <= set(newest.tolist())


@pytest.mark.usefixtures("varied")
def test_sqlite_columns_follow_every_change():
    """The columns are read again when the content version moves: a resource published,
    edited or withdrawn is counted as it now is at the next request."""
    if connection.vendor != "sqlite":
        pytest.skip("the columns are SQLite's")
    from resources.search.version import content_version

    def count(**options):
        return FtsLibrary({"country": ["GH"]}, version=content_version(), **options).count()

    before = count()
    draft = Resource.objects.get(title="Draft")
    draft.status = Resource.Status.PUBLISHED
    draft.save()
    assert count() == before + 1
    assert count(q="draft") == 1
    draft.title = "Renamed"
    draft.save()
    assert count(q="draft") == 0
    draft.status = Resource.Status.WITHDRAWN
    draft.save()
    assert count() == before


@pytest.mark.usefixtures("varied")
def test_sqlite_related_resources_share_the_most():
    """Related resources counted on SQLite's columns: the published resources sharing the
    most countries, themes and tags with a resource (each shared value counts one), the
    newest first among equals, itself, drafts and withdrawn ones never, for every
    resource, counted here in Python."""
    if connection.vendor != "sqlite":
        pytest.skip("the columns are SQLite's")
    newest = OrmLibrary({}).page_ids("newest", 0, 100)
    published = {
        r.pk: r
        for r in Resource.objects.published().prefetch_related("countries", "themes", "tags")
    }

    def values(resource):
        return (
            {c.pk for c in resource.countries.all()},
            {t.slug for t in resource.themes.all()},
            {t.slug for t in resource.tags.all()},
        )

    compared = 0
    for resource in published.values():
        mine = values(resource)
        shared = {
            pk: sum(len(a & b) for a, b in zip(mine, values(other), strict=True))
            for pk, other in published.items()
            if pk != resource.pk
        }
        ranked = sorted((pk for pk in newest if shared.get(pk)), key=lambda pk: -shared[pk])
        for limit in (5, 2):
            found = [item.pk for item in SqliteBackend().related(resource, limit)]
            assert found == ranked[:limit]
            compared += len(set(shared[pk] for pk in found)) > 1
    assert compared > 5
