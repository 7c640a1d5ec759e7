"""The in-memory facet index (resources/search/facetindex/) against the SQL it replaces.

The SQL of library.LibraryIndex is the reference: on a random library, every random page
state must get the same facet counts, totals and pages from both, before and after
changes the index has only patched in, and after it loads afresh."""

import datetime
import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from resources.filters import published_tag_slugs
from resources.models import Commodity, Organisation, Resource, SearchChange
from resources.search import columns, indexing, related_sql
from resources.search.backends import backend
from resources.search.facetindex import changelog, state
from resources.search.facetindex.query import Query, published_values
from resources.search.library import LibraryIndex
from resources.search.version import bump_version, content_version
from tests.factories import CountryFactory, OrganisationFactory, ResourceFactory, ThemeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_postgres")]

COUNTRIES = ["GH", "TZ", "PE", "CO", "BF"]
THEMES = ["mercury", "gender", "formalisation", "finance"]
COMMODITIES = ["gold", "alluvial-gold", "diamonds", "cobalt"]
TAGS = ["mercury", "women", "policy", "health", "cooperatives", "water", "children", "credit"]
TYPES = ["report", "paper", "brief"]
LANGUAGES = ["en", "es", "fr"]
ORGANISATIONS = ["igf", "pact", "asm-union"]
WORDS = ["mining", "gold", "women", "mercury", "formalización", "cooperatives", "water", "price"]
QUERIES = ["", "mining", "mercury", "gold women", "formalizacion", "water -gold", "wat", "zzz"]


def build_library(seed=7, size=70):
    rng = random.Random(seed)
    countries = [CountryFactory(code=code) for code in COUNTRIES]
    themes = [ThemeFactory(slug=slug, name=slug.title()) for slug in THEMES]
    gold = Commodity.objects.create(slug="gold", name="Gold")
    commodities = [
        gold,
        Commodity.objects.create(slug="alluvial-gold", name="Alluvial gold", parent=gold),
        Commodity.objects.create(slug="diamonds", name="Diamonds"),
        Commodity.objects.create(slug="cobalt", name="Cobalt"),
    ]
    organisations = [OrganisationFactory(slug=slug, name=slug.upper()) for slug in ORGANISATIONS]
    # Its own draws, so the rest of the library is what it was before organisations.
    linked = random.Random(seed + 1)
    resources = []
    for n in range(size):
        words = rng.sample(WORDS, 3)
        resources.append(
            ResourceFactory(
                title=f"{' '.join(words[:2]).capitalize()} study {n % 9}",
                summary=" ".join(rng.choices(WORDS, k=8)),
                year=rng.choice([None, 1998, 2005, 2011, 2011, 2016, 2020, 2023]),
                resource_type=rng.choice(TYPES),
                language=rng.choice(LANGUAGES),
                status=rng.choice([Resource.Status.PUBLISHED] * 9 + [Resource.Status.DRAFT]),
                countries=rng.sample(countries, rng.randint(0, 2)),
                themes=rng.sample(themes, rng.randint(0, 2)),
                commodities=rng.sample(commodities, rng.randint(0, 2)),
                tags=rng.sample(TAGS, rng.randint(0, 3)),
                owner=linked.choice([None, *organisations]),
                publisher=linked.choice(["", "Elsewhere", *(o.name for o in organisations)]),
            )
        )
    return resources


states = st.builds(
    lambda filters, q, years: LibraryIndex(
        {name: values for name, values in filters.items() if values},
        q=q,
        year_from=years[0],
        year_to=years[1],
        top_tags=5,
    ),
    st.fixed_dictionaries(
        {
            "country": st.lists(st.sampled_from([*COUNTRIES, "XX"]), max_size=2, unique=True),
            "theme": st.lists(st.sampled_from(THEMES), max_size=2, unique=True),
            "commodity": st.lists(st.sampled_from(COMMODITIES), max_size=2, unique=True),
            "tag": st.lists(st.sampled_from([*TAGS, "unknown"]), max_size=2, unique=True),
            "type": st.lists(st.sampled_from(TYPES), max_size=2, unique=True),
            "language": st.lists(st.sampled_from(LANGUAGES), max_size=1, unique=True),
            "organisation": st.lists(
                st.sampled_from([*ORGANISATIONS, "nobody"]), max_size=2, unique=True
            ),
        }
    ),
    st.sampled_from(QUERIES),
    st.sampled_from([(None, None), (2005, None), (None, 2011), (2011, 2020), (2030, None)]),
)


def normalised(facets):
    facets, total = facets
    return {name: sorted(items) for name, items in facets.items()}, total


def assert_same(library, view, *, offset=0, limit=7):
    """The engine on view and the SQL agree on everything library's page shows."""
    engine = Query(library, view)
    assert normalised(engine.facet_counts()) == normalised(library.sql_facet_counts())
    assert engine.count() == library.sql_count()
    sorts = ["newest", "oldest", "title"] + (["relevance"] if library.q else [])
    for sort in sorts:
        assert engine.page_ids(sort, offset, limit) == library.sql_page_ids(sort, offset, limit), (
            sort
        )


def current_view():
    return state.process_index().current(content_version())


def test_random_states_count_and_page_as_the_sql_does():
    build_library()
    view = current_view()
    assert view.snapshot.size == Resource.objects.published().count()

    @hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(library=states, offset=st.sampled_from([0, 3, 20, 80]))
    def check(library, offset):
        assert_same(library, view, offset=offset)

    check()


def test_changes_are_patched_in_without_a_reload():
    resources = build_library(seed=3, size=40)
    view = current_view()
    snapshot = view.snapshot
    draft = next(r for r in resources if r.status == Resource.Status.DRAFT)
    published = [r for r in resources if r.status == Resource.Status.PUBLISHED]

    draft.status = Resource.Status.PUBLISHED
    draft.save()
    published[0].status = Resource.Status.WITHDRAWN
    published[0].save()
    published[1].tags.set(["brand-new-tag", "mercury"])
    published[2].countries.set([])
    published[3].owner = Organisation.objects.get(slug="pact")
    published[3].save()
    fresh = ResourceFactory(title="Mercury and gold in Mali", countries=[CountryFactory(code="ML")])

    view = current_view()
    assert view.snapshot is snapshot, "patched in, not loaded again"
    assert set(view.overlay) >= {draft.pk, published[1].pk, published[2].pk, fresh.pk}
    assert published[0].pk not in view.overlay
    assert not view.alive[snapshot.positions([published[0].pk])].any()

    rng = random.Random(1)
    for _ in range(60):
        library = LibraryIndex(
            {
                "tag": rng.sample([*TAGS, "brand-new-tag"], rng.randint(0, 2)),
                "country": rng.sample([*COUNTRIES, "ML"], rng.randint(0, 1)),
                "type": rng.sample(TYPES, rng.randint(0, 1)),
                "organisation": rng.sample(ORGANISATIONS, rng.randint(0, 1)),
            },
            q=rng.choice(QUERIES),
            year_from=rng.choice([None, 2005]),
            top_tags=5,
        )
        assert_same(library, view, offset=rng.choice([0, 5]))
    # Deep pages too, where the overlay's matches fall among the snapshot's documents.
    for offset in (0, 10, 25):
        assert_same(LibraryIndex({}), view, offset=offset, limit=5)
        assert_same(LibraryIndex({}, q="mining"), view, offset=offset, limit=5)
    # And a fresh load counts the same as the patched view.
    fresh_view = state.process_index()._fresh(view.version)
    for library in (LibraryIndex({}), LibraryIndex({"tag": ["mercury"]})):
        assert normalised(Query(library, fresh_view).facet_counts()) == normalised(
            Query(library, view).facet_counts()
        )


def test_the_tags_in_use_are_the_sqls_across_changes(client):
    """The filter form's check that a tag is on a published resource, answered by the
    view (snapshot and overlay) as the SQL lookup answers it, and by a page without a
    query on the tags."""
    resources = build_library(seed=5, size=30)
    rare = [r for r in resources if r.status == Resource.Status.PUBLISHED][:3]
    rare[0].tags.add("only-here")
    ResourceFactory(title="A plan", status=Resource.Status.DRAFT, tags=["draft-only", "women"])
    asked = [*TAGS, "only-here", "draft-only", "brand-new-tag", "no-such-tag"]

    def same():
        from_index = published_values("tag", asked, content_version())
        assert from_index == published_tag_slugs(asked)  # no request's version: the SQL
        return set(from_index)

    known = same()
    assert "only-here" in known and not {"draft-only", "no-such-tag"} & known
    snapshot = current_view().snapshot
    rare[0].status = Resource.Status.WITHDRAWN  # its tag's only document is no longer current
    rare[0].save()
    rare[1].tags.add("brand-new-tag")  # a tag that only the overlay carries
    assert current_view().snapshot is snapshot
    known = same()
    assert "only-here" not in known and "brand-new-tag" in known

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("resources:list") + "?tag=brand-new-tag&tag=draft-only")
    assert "Unknown tag “draft-only” was ignored." in page.content.decode()
    assert page.context["result_count"] == 1
    assert not [q for q in queries if "taggit_tag" in q["sql"] and "EXISTS" in q["sql"]]


def test_the_library_page_shows_the_same_with_and_without_the_index(client, settings):
    build_library(seed=11, size=30)
    urls = [
        reverse("resources:list"),
        reverse("resources:list") + "?country=gh&tag=mercury",
        reverse("resources:list") + "?q=mining&sort=relevance&page=2",
        reverse("resources:list") + "?commodity=gold&year_from=2005&sort=title",
    ]
    settings.ASMHUB_SEARCH_CACHE_SECONDS = 0
    settings.ASMHUB_SEARCH_PAGE_CACHE = False
    for url in urls:
        settings.ASMHUB_FACET_INDEX = True
        with_index = client.get(url)
        settings.ASMHUB_FACET_INDEX = False
        without = client.get(url)
        assert with_index.status_code == without.status_code == 200
        assert with_index.context["facets"] == without.context["facets"], url
        assert [r.pk for r in with_index.context["resources"]] == [
            r.pk for r in without.context["resources"]
        ], url
        assert with_index.context["result_count"] == without.context["result_count"]


def test_a_search_reuses_its_matches_after_an_unrelated_change(client):
    build_library(seed=5, size=20)
    url = reverse("resources:list") + "?q=zirconium"

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).context["result_count"] == 0
    assert len(full_text_reads(queries)) == 1

    other = ResourceFactory(title="Zirconium sands of the coast")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert full_text_reads(queries) == [], "the snapshot's matches were kept"
    assert [r.pk for r in response.context["resources"]] == [other.pk], "the overlay is asked"


def full_text_reads(queries):
    """The statements that asked the text index for every match of a search."""
    return [
        q["sql"]
        for q in queries
        if "string_agg(int8send(s.resource_id)" in q["sql"] and "@@" in q["sql"]
    ]


def test_a_fresh_snapshot_keeps_the_searches_answered_before():
    resources = build_library(seed=9, size=40)
    searched = ["mining", "gold women", "wat", "zzz"]
    for q in searched:
        engine = Query(LibraryIndex({}, q=q), current_view())
        engine.count()
        engine.page_ids("relevance", 0, 5)
    published = [r for r in resources if r.status == Resource.Status.PUBLISHED]
    published[0].status = Resource.Status.WITHDRAWN
    published[0].save()
    published[1].summary = "zzz mining"
    published[1].save()
    ResourceFactory(title="Gold, women and zzz")
    index = state.process_index()
    old = current_view().snapshot

    fresh = index._fresh(content_version())
    assert fresh.snapshot is not old
    assert list(fresh.snapshot.text_matches) == searched, "carried over"
    with CaptureQueriesContext(connection) as queries:
        for q in searched:
            assert_same(LibraryIndex({}, q=q), fresh, limit=40)
            assert_same(LibraryIndex({"type": ["report"]}, q=q), fresh, offset=2)
    assert full_text_reads(queries) == [], "no search asked the text index again"


def test_searches_are_not_carried_into_a_new_generation():
    build_library(seed=9, size=10)
    Query(LibraryIndex({}, q="mining"), current_view()).count()
    changelog.new_generation()
    fresh = state.process_index()._fresh(content_version())
    assert not fresh.snapshot.text_matches


def test_a_change_to_many_resources_starts_a_new_generation(monkeypatch):
    resources = build_library(seed=2, size=12)
    snapshot = current_view().snapshot
    monkeypatch.setattr(changelog, "OVERLAY_LIMIT", 6)
    before = changelog.generation()
    indexing.refresh([r.pk for r in resources[:4]])  # more than half the limit
    assert changelog.generation() != before
    bump_version()
    assert current_view().snapshot is not snapshot


def test_an_overlay_past_its_limit_loads_afresh(monkeypatch):
    resources = build_library(seed=4, size=12)
    monkeypatch.setattr(changelog, "OVERLAY_LIMIT", 3)
    snapshot = current_view().snapshot
    for resource in resources[:3]:
        resource.title = f"{resource.title} (revised)"
        resource.save()
        view = current_view()
    assert view.snapshot is snapshot and len(view.overlay) == 3
    resources[4].title = "Revised once more"
    resources[4].save()
    view = current_view()
    assert view.snapshot is not snapshot and view.overlay == {}
    library = LibraryIndex({}, q="revised")
    assert Query(library, view).count() == library.sql_count() == 4


def test_reindex_starts_a_new_generation():
    build_library(seed=6, size=8)
    snapshot = current_view().snapshot
    indexing.reindex()
    assert current_view().snapshot is not snapshot


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_is_not_missed():
    """A transaction that logs a change and commits after later changes were read (an
    import of many records, say) is still applied: the log is read by transaction, not
    by time or by entry number."""
    early, late = ResourceFactory(tags=["mercury"]), ResourceFactory(tags=["mercury"])
    current_view()
    logged, release = threading.Event(), threading.Event()

    def long_transaction():
        try:
            with transaction.atomic():
                early.tags.set(["cyanide"])  # logged now, committed only when released
                logged.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=long_transaction)
    writer.start()
    assert logged.wait(10)
    # Logged after the other and committed first. (Not through the signals: they would
    # wait for the content version row, which the other transaction holds.)
    Resource.objects.filter(pk=late.pk).update(year=1999)
    indexing.refresh([late.pk])
    index = state.process_index()
    view = index.current("after the late change")
    assert set(view.overlay) == {late.pk}
    release.set()
    writer.join(10)
    view = current_view()
    assert set(view.overlay) == {early.pk, late.pk}
    facets = Query(LibraryIndex({}), view).facet_counts()[0]
    assert dict(facets["tag"]) == {"cyanide": 1, "mercury": 1}
    assert dict(facets["year"]) == {"1990": 1, "2020": 1}


def test_the_log_keeps_a_day():
    resource = ResourceFactory()
    SearchChange.objects.update(at=search_now() - datetime.timedelta(days=2))
    resource.save()
    changelog.prune_log()
    assert list(SearchChange.objects.values_list("resource_id", flat=True)) == [resource.pk]


def search_now():
    from django.utils import timezone

    return timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_background_reload_swaps_in_a_fresh_snapshot(settings, monkeypatch):
    settings.ASMHUB_FACET_INDEX_BACKGROUND = True
    monkeypatch.setattr(state, "RELOAD_ROWS", 2)
    resources = [ResourceFactory(tags=["mercury"]) for _ in range(5)]
    index = state.process_index()
    snapshot = current_view().snapshot
    resources[0].tags.set(["cyanide"])
    view = current_view()
    assert view.overlay, "patched in first"
    assert not index.reloading, "one changed row waits for more (RELOAD_ROWS)"
    resources[1].tags.set(["cyanide"])
    current_view()
    deadline = time.monotonic() + 20
    while (index.reloading or index.view.snapshot is snapshot) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert index.view.snapshot is not snapshot, "a fresh snapshot was swapped in"
    view = current_view()
    assert view.overlay == {}
    counts = dict(Query(LibraryIndex({}), view).facet_counts()[0]["tag"])
    assert counts == {"mercury": 3, "cyanide": 2}
    assert not [t for t in threading.enumerate() if t.name == "facet-index-reload"]


@pytest.mark.parametrize("size", [3, 25])
def test_the_index_costs_the_same_queries_at_any_size(size, django_assert_num_queries):
    ghana = CountryFactory(code="GH")
    resources = ResourceFactory.create_batch(size, tags=["mercury"], countries=[ghana])
    index = state.process_index()
    version = content_version()
    # A load: the savepoint around it (2), its settings (1), the generation (1), the log's
    # low-water mark and the entries above it (2), ids and years (2), five array facets
    # (4, and the organisation facet), two single-valued ones (2) and three sort orders (3).
    with django_assert_num_queries(18):
        index.current(version)
    with django_assert_num_queries(0):
        index.current(version)
    resources[0].tags.set(["cyanide"])
    version = content_version()
    # A change: the generation, the log entries not yet applied, the rows they name.
    with django_assert_num_queries(3):
        view = index.current(version)
    assert list(view.overlay) == [resources[0].pk]
    # A page of the library then costs no query of the index's own.
    with django_assert_num_queries(0):
        facets, total = Query(LibraryIndex({}), view).facet_counts()
    assert total == size and dict(facets["tag"]) == {"mercury": size - 1, "cyanide": 1}


def test_relevance_ranks_within_the_same_window_as_the_sql(monkeypatch):
    """Relevance is ranked among the RANK_WINDOW newest matches: a small window here, so
    which documents it holds, with and without changes patched in, decides the page."""
    monkeypatch.setattr(columns, "RANK_WINDOW", 6)
    resources = [r for r in build_library(seed=9, size=40) if r.status == "published"]
    queries = ["mining", "gold", "mercury women", "wat"]
    view = current_view()
    for q in queries:
        for offset in (0, 4, 9):
            assert_same(LibraryIndex({}, q=q), view, offset=offset, limit=4)
    resources[0].year = 2030
    resources[0].title = "Mining gold with mercury: the newest of all"
    resources[0].save()
    view = current_view()
    assert view.overlay
    for q in queries:
        for offset in (0, 4, 9):
            assert_same(LibraryIndex({}, q=q), view, offset=offset, limit=4)


@pytest.mark.parametrize("window", [8, 20])
def test_changed_documents_take_their_places_in_the_relevance_window(monkeypatch, window):
    """With changes patched in, the relevance window holds the newest matches of the
    snapshot and the overlay together. Each changed document is placed by one step back
    along the newest index from where it now sorts (an earlier title in its year and
    date, a later date, a later year), not by sorting the whole window in SQL: ties of
    title, missing years and dates, and a change not yet seen included."""
    monkeypatch.setattr(columns, "RANK_WINDOW", window)
    resources = [r for r in build_library(seed=11, size=50) if r.status == "published"]
    for n, resource in enumerate(resources[:20]):
        if resource.year and n % 3:
            resource.date = datetime.date(resource.year, 1 + n % 12, 1 + n % 3)
            resource.save()
    view = current_view()
    placed = []
    original = Query._newest_with_overlay

    def spy(self, candidates, overlay):
        ordered = original(self, candidates, overlay)
        placed.append(ordered is not None)
        return ordered

    monkeypatch.setattr(Query, "_newest_with_overlay", spy)
    # The newest year, where the window is.
    same_year = [r for r in resources[20:] if r.year == 2023]
    changes = [
        {"title": "Aaa mining gold study first"},  # first of its year and date
        {"title": "Aaa mining study", "date": datetime.date(2023, 12, 31)},  # of its year
        {"year": None},
        {"year": 2030},
        {"date": datetime.date(2023, 6, 1)},
        {"date": None},
        {"title": same_year[0].title},  # the same title: the id decides
        {"title": "Zzz mining study last"},
    ]
    for resource, change in zip(same_year[1:] + resources[20:], changes, strict=False):
        for name, value in change.items():
            setattr(resource, name, value)
        resource.save()
    ResourceFactory(title="Mining gold study new", year=2016)
    resources[-1].status = Resource.Status.WITHDRAWN
    resources[-1].save()
    view = current_view()
    assert len(view.overlay) >= 7
    for q in ["mining", "gold", "study", "mercury women", "wat"]:
        for offset in (0, 4, 9):
            assert_same(LibraryIndex({}, q=q), view, offset=offset, limit=4)
    assert placed and all(placed)


def test_a_fresh_read_waits_for_enough_changes_or_time(monkeypatch):
    """A background read reads the whole index table, in every worker: not for
    every single change, but once RELOAD_ROWS have gathered or the first has waited
    RELOAD_SECONDS."""
    ResourceFactory.create_batch(3)
    view = current_view()
    due = state.FacetIndex._reload_due
    assert not due(view), "nothing changed"
    changed = state.View(view.snapshot, 1, view.alive, {1: None}, frozenset(), 0, time.monotonic())
    assert not due(changed)
    monkeypatch.setattr(state, "RELOAD_ROWS", 1)
    assert due(changed)
    monkeypatch.setattr(state, "RELOAD_ROWS", 100)
    monkeypatch.setattr(state, "RELOAD_SECONDS", 0)
    assert due(changed)
    monkeypatch.setattr(state, "RELOAD_SECONDS", 300)
    view.snapshot.read_at -= changelog.MAX_SNAPSHOT_AGE
    assert due(view), "an old snapshot is read again, changed or not"


@pytest.mark.parametrize("window", [2000, 4])
def test_related_resources_are_the_sqls(monkeypatch, settings, window):
    monkeypatch.setattr(related_sql, "RELATED_WINDOW", window)
    resources = build_library(seed=12, size=40)

    def both(pk):
        settings.ASMHUB_FACET_INDEX = False
        by_sql = backend().related_ids(pk, 5)
        settings.ASMHUB_FACET_INDEX = True
        return backend().related_ids(pk, 5), by_sql

    for resource in resources:
        engine, by_sql = both(resource.pk)
        assert engine == by_sql, resource.pk
    published = [r for r in resources if r.status == "published"]
    published[0].tags.set(TAGS[:4])
    published[1].year = 2030
    published[1].save()
    assert current_view().overlay
    for resource in resources:
        engine, by_sql = both(resource.pk)
        assert engine == by_sql, resource.pk
