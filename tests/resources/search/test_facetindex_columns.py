"""The facet index's columns against a plain-Python reference, without a database.

Snapshots are built from rows in memory (Snapshot.from_rows, which builds its columns as
load does from PostgreSQL's); every count, facet count, page and related pass they give
must be what counting and sorting the rows one by one gives. The PostgreSQL comparisons
with the SQL of LibraryIndex are in test_facetindex.py."""

import datetime
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from resources.search import related_sql
from resources.search.facetindex import related
from resources.search.facetindex.overlay import Row
from resources.search.facetindex.postings import BITMAP_VALUES, Codes, Postings
from resources.search.facetindex.query import Query, _top_candidates
from resources.search.facetindex.snapshot import Snapshot
from resources.search.facetindex.state import View
from resources.search.library import LibraryIndex

COUNTRIES = ["GH", "TZ", "PE", "CO"]
THEMES = ["mercury", "gender", "finance"]
COMMODITIES = ["gold", "diamonds", "cobalt"]
TAGS = ["mercury", "women", "policy", "health", "water", "credit"]
TYPES = ["report", "paper", "brief"]
LANGUAGES = ["en", "es", "fr"]
TITLES = ["Gold", "Mercury in mines", "Women miners", "Water"]
ORGANISATIONS = ["igf", "pact"]
ARRAYS = ("country", "theme", "commodity", "tag", "organisation")
SCALARS = ("type", "language")
SORTS = ("newest", "oldest", "title")

checked = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=list(HealthCheck)
)


def subset(values):
    return st.frozensets(st.sampled_from(values), max_size=3)


# A row without its id: ids are given when a library is drawn, so they are unique.
row_fields = st.fixed_dictionaries(
    {
        "year": st.sampled_from([None, 1998, 2005, 2011, 2011, 2020]),
        "date": st.sampled_from([None, datetime.date(2011, 3, 1), datetime.date(2020, 5, 9)]),
        "title": st.sampled_from(TITLES),
        "type": st.sampled_from(TYPES),
        "language": st.sampled_from(LANGUAGES),
        "country": subset(COUNTRIES),
        "theme": subset(THEMES),
        "commodity": subset(COMMODITIES),
        "tag": subset(TAGS),
        "organisation": subset(ORGANISATIONS),
    }
)


@st.composite
def libraries(draw, max_size=40):
    """Rows with unique ids (not consecutive: the snapshot maps ids to positions)."""
    fields = draw(st.lists(row_fields, max_size=max_size))
    size = len(fields)
    ids = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    return [Row(resource_id=pk, **each) for pk, each in zip(ids, fields, strict=True)]


def chosen(values):
    """The values a visitor picks for a facet, an unknown one among them now and then."""
    return st.lists(st.sampled_from([*values, "unknown"]), max_size=2, unique=True)


states = st.builds(
    lambda filters, years, top: LibraryIndex(
        filters, year_from=years[0], year_to=years[1], top_tags=top
    ),
    st.fixed_dictionaries(
        {
            "country": chosen(COUNTRIES),
            "theme": chosen(THEMES),
            "commodity": chosen(COMMODITIES),
            "tag": chosen(TAGS),
            "type": chosen(TYPES),
            "language": chosen(LANGUAGES),
            "organisation": chosen(ORGANISATIONS),
        }
    ),
    st.sampled_from([(None, None), (2005, None), (None, 2011), (2011, 2020), (2030, None)]),
    st.sampled_from([1, 2, 3, 15]),
)


# -- the reference: each row on its own ----------------------------------------------------


def matches(row, library, without=None):
    """Whether row passes every filter of library but without's (OR within a facet, AND
    across; a year bound excludes rows with no year), as the SQL's WHERE does."""
    for name, values in library.filters.items():
        if name != without and set(values).isdisjoint(row.values(name)):
            return False
    if without != "year":
        if library.year_from is not None and (row.year is None or row.year < library.year_from):
            return False
        if library.year_to is not None and (row.year is None or row.year > library.year_to):
            return False
    return True


def expected_facets(rows, library):
    facets = {}
    for name in (*ARRAYS, *SCALARS):
        tally = Counter(
            value for row in rows if matches(row, library, name) for value in row.values(name)
        )
        items = sorted(tally.items())
        if name == "tag":
            # The SQL: ORDER BY count DESC, value LIMIT top_tags.
            items = sorted(items, key=lambda item: (-item[1], item[0]))[: library.top_tags]
        facets[name] = sorted(items)
    decades = Counter(
        str(row.year // 10 * 10)
        for row in rows
        if row.year is not None and matches(row, library, "year")
    )
    facets["year"] = sorted(decades.items())
    return facets, sum(matches(row, library) for row in rows)


def nulls_last(value, descending):
    if value is None:
        return (1, 0)
    number = value.toordinal() if isinstance(value, datetime.date) else value
    return (0, -number if descending else number)


ORDER = {
    # "s.year DESC NULLS LAST, s.date DESC NULLS LAST, s.title, s.resource_id", and so on.
    "newest": lambda r: (
        nulls_last(r.year, True),
        nulls_last(r.date, True),
        r.title,
        r.resource_id,
    ),
    "oldest": lambda r: (
        nulls_last(r.year, False),
        nulls_last(r.date, False),
        r.title,
        r.resource_id,
    ),
    "title": lambda r: (r.title, r.resource_id),
}


def expected_page(rows, library, sort, offset, limit):
    found = sorted((row for row in rows if matches(row, library)), key=ORDER[sort])
    return [row.resource_id for row in found[offset : offset + limit]]


def shared(row, other):
    return sum(len(row.values(name) & other.values(name)) for name in ("tag", "country", "theme"))


def expected_related(rows, pk, facets, limit):
    """One pass of related_sql.RELATED_SQL: among the RELATED_WINDOW newest rows sharing a
    value of facets with pk's, the most values shared first, then the newest."""
    me = next(row for row in rows if row.resource_id == pk)
    sharing = [
        row
        for row in rows
        if row.resource_id != pk and any(row.values(name) & me.values(name) for name in facets)
    ]
    window = sorted(sharing, key=ORDER["newest"])[: related_sql.RELATED_WINDOW]
    best = sorted(window, key=lambda row: (-shared(row, me), ORDER["newest"](row)))
    return [row.resource_id for row in best[:limit]]


# -- the facet index on the same rows ------------------------------------------------------


def normalised(facets):
    facets, total = facets
    return {name: sorted(items) for name, items in facets.items()}, total


def view_of(rows):
    return View.of(Snapshot.from_rows(rows), version=1)


def test_a_snapshot_from_rows_holds_them_as_columns():
    def row(pk, year, title, kind, countries=(), tags=()):
        none = frozenset()
        return Row(
            pk, year, None, title, kind, "en", frozenset(countries), none, none, frozenset(tags)
        )

    rows = [
        row(9, 2011, "b", "report", countries=["GH"], tags=["water"]),
        row(4, None, "a", "paper", countries=["GH", "TZ"]),
        row(7, 2020, "c", "report", tags=["water"]),
    ]
    snapshot = Snapshot.from_rows(rows)
    assert snapshot.ids.tolist() == [4, 7, 9]
    country = snapshot.postings["country"]
    assert country.values == ["GH", "TZ"]
    assert country.counts(np.ones(3, dtype=bool)).tolist() == [2, 1]
    assert snapshot.codes["type"].values == ["paper", "report"]
    assert snapshot.years.tolist() == [0, 2020, 2011]
    assert snapshot.ids[snapshot.orders["newest"]].tolist() == [7, 9, 4]
    assert snapshot.ids[snapshot.orders["oldest"]].tolist() == [9, 7, 4]
    assert snapshot.ids[snapshot.orders["title"]].tolist() == [4, 9, 7]


@checked
@given(
    size=st.integers(1, 300),
    values=st.one_of(
        st.integers(1, BITMAP_VALUES), st.integers(BITMAP_VALUES + 1, BITMAP_VALUES + 40)
    ),
    seed=st.integers(0, 2**32 - 1),
    density=st.one_of(st.floats(0, 0.15), st.floats(0, 1), st.floats(0.85, 1)),
)
def test_counts_from_bitmaps_are_the_documents_counted(size, values, seed, density):
    """A facet of few values counts from a bitmap a value (a bit a document, in 64-bit
    words); a facet of many from the chosen documents' own values when the mask holds
    few documents (or all but a few), else by gathering its postings: each the documents
    under the mask carrying each value, for any mask and any number of documents across
    a word's edge."""
    rng = np.random.default_rng(seed)
    parts = [
        np.unique(rng.integers(0, size, rng.integers(1, size + 1))).astype(np.int32)
        for _ in range(values)
    ]
    offsets = np.concatenate(([0], np.cumsum([len(part) for part in parts])))
    postings = Postings(list(range(values)), offsets, np.concatenate(parts), size)
    assert (postings.bitmaps is not None) == (values <= BITMAP_VALUES)
    mask = rng.random(size) < density
    assert postings.counts(mask).tolist() == [int(mask[part].sum()) for part in parts]
    codes = Codes(list(range(values)), rng.integers(0, values, size).astype(np.int16))
    assert (codes.bitmaps is not None) == (values <= BITMAP_VALUES)
    expected = [int(np.count_nonzero(mask & (codes.codes == i))) for i in range(values)]
    assert codes.counts(mask).tolist() == expected


def test_an_empty_library_counts_nothing():
    engine = Query(LibraryIndex({"tag": ["water"]}), view_of([]))
    facets, total = engine.facet_counts()
    assert total == 0 and engine.count() == 0
    assert all(items == [] for items in facets.values())
    assert engine.page_ids("newest", 0, 10) == []


@checked
@given(rows=libraries(), library=states)
def test_facet_counts_and_totals_are_the_rows_counted_one_by_one(rows, library):
    engine = Query(library, view_of(rows))
    assert normalised(engine.facet_counts()) == expected_facets(rows, library)
    assert engine.count() == sum(matches(row, library) for row in rows)


@checked
@given(
    rows=libraries(),
    library=states,
    sort=st.sampled_from(SORTS),
    offset=st.sampled_from([0, 1, 5, 30]),
    limit=st.sampled_from([1, 4, 20]),
)
def test_pages_are_the_rows_sorted_one_by_one(rows, library, sort, offset, limit):
    engine = Query(library, view_of(rows))
    assert engine.page_ids(sort, offset, limit) == expected_page(rows, library, sort, offset, limit)


@checked
@given(rows=libraries(), changes=st.data(), library=states)
def test_changed_rows_in_the_overlay_count_as_the_current_library(rows, changes, library):
    """Rows changed or withdrawn since the snapshot: dead in it, their current versions
    (if any) in the overlay, counted in Python; the counts are the current rows'."""
    view = view_of(rows)
    changed = changes.draw(st.lists(st.sampled_from(rows), unique=True) if rows else st.just([]))
    new = changes.draw(st.lists(row_fields, max_size=4))
    overlay = {}
    for row in changed:
        if changes.draw(st.booleans()):  # changed, else withdrawn
            overlay[row.resource_id] = Row(resource_id=row.resource_id, **changes.draw(row_fields))
    for n, each in enumerate(new):
        overlay[1000 + n] = Row(resource_id=1000 + n, **each)
    alive = view.alive.copy()
    alive[view.snapshot.positions([row.resource_id for row in changed])] = False
    patched = View(view.snapshot, 2, alive, overlay, frozenset(), 0)
    current = [row for row in rows if row not in changed] + list(overlay.values())

    engine = Query(library, patched)
    assert normalised(engine.facet_counts()) == expected_facets(current, library)
    assert engine.count() == sum(matches(row, library) for row in current)


def test_changed_rows_on_a_year_bound_count():
    """A year range includes its bounds, in the overlay as in the snapshot."""
    rows = [Row(1, 2011, None, "a", "report", "en", *[frozenset()] * 4)]
    view = view_of(rows)
    changed = {
        n: Row(n, year, None, "b", "paper", "en", *[frozenset()] * 4)
        for n, year in ((2, 2011), (3, 2020), (4, 2010), (5, None), (6, 2021))
    }
    patched = View(view.snapshot, 2, view.alive, changed, frozenset(), 0)
    engine = Query(LibraryIndex({}, year_from=2011, year_to=2020), patched)
    assert engine.count() == 3
    facets, total = engine.facet_counts()
    assert total == 3
    assert sorted(facets["type"]) == [("paper", 2), ("report", 1)]
    assert sorted(facets["year"]) == [("2010", 3), ("2020", 2)]


@pytest.mark.parametrize("window", [2000, 3])
def test_related_passes_score_as_the_sql_does(monkeypatch, window):
    monkeypatch.setattr(related_sql, "RELATED_WINDOW", window)

    @checked
    @given(rows=libraries(max_size=30), limit=st.sampled_from([1, 5]))
    def check(rows, limit):
        view = view_of(rows)
        for row in rows:
            me = {name: sorted(row.values(name)) for name in ("country", "theme", "tag")}
            for _sql, facets in related_sql.RELATED_PASSES:
                positions = related.window(view, row.resource_id, me, facets)
                found = related.ranked(view.snapshot, me, positions, limit)
                assert found == expected_related(rows, row.resource_id, facets, limit)
                assert related.changed_sharing(view, row.resource_id, me, facets) == []

    check()


@pytest.mark.parametrize(
    "slack, expected",
    [(0, [0, 5]), (1, [0, 5]), (2, [0, 2, 3, 5, 6]), (4, [0, 2, 3, 4, 5, 6])],
)
def test_the_top_tags_are_chosen_among_the_values_that_can_reach_them(slack, expected):
    counts = np.array([5, 0, 3, 3, 1, 7, 3])
    nonzero = np.flatnonzero(counts)
    chosen = _top_candidates(counts, nonzero, 2, slack)
    assert chosen.tolist() == expected
    # Whatever the overlay adds (at most one each), the true top two are among them.
    rng = random.Random(slack)
    for _ in range(50):
        final = counts + np.array([rng.randint(0, slack) if c else 0 for c in counts])
        top = sorted(range(len(counts)), key=lambda i: (-final[i], i))[:2]
        assert set(top) <= set(chosen.tolist())
    assert _top_candidates(counts, nonzero, 10, 0).tolist() == nonzero.tolist()
