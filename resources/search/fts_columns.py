"""SQLite's library states counted in memory: the published resources' filter values, read
once per content version into the facet index's columns (facetindex/snapshot.py), are
counted and paged there (facetindex/query.py), with a search's matches read from the FTS5
index (fts_index.py).

Counting every facet with a grouped statement over the whole library took 2.5 s a page at
100,000 resources; the columns are read in a few plain statements once after each change
to the library (per process), and a state is then counted in milliseconds
(docs/performance.md). Nothing is patched in place: a new content version is read whole,
which a library of SQLite's size (an organisation's own) affords.
"""

import threading

import numpy as np
from django.db import connection

from resources.sorts import SORTS

from . import columns
from .columns import EQUIVALENT_WEIGHT
from .facetindex import text
from .facetindex.query import Query
from .facetindex.related import ranked
from .facetindex.snapshot import ARRAY_FACETS, SCALAR_FACETS, Snapshot
from .fts_index import RANK, TABLE
from .fts_words import match_expression

_lock = threading.Lock()
# The columns of one content version: (version, View).
_kept = {}


class View:
    """The columns of every published resource, with nothing changed since they were read
    (the shape facetindex/query.py counts: a snapshot, which of its documents are alive,
    and no overlay)."""

    def __init__(self, snapshot):
        self.snapshot = snapshot
        self.alive = np.ones(snapshot.size, dtype=bool)
        self.overlay = {}


def _grouped(pairs):
    """(value, sorted unique ids) pairs in value order, from (value, id) pairs."""
    found = {}
    for value, pk in pairs:
        found.setdefault(value, []).append(pk)
    return [
        (value, np.unique(np.array(each, dtype=np.int64))) for value, each in sorted(found.items())
    ]


def _organisation_pairs(published):
    """(organisation slug, resource id) of each published resource an organisation owns or
    publishes (its name as the publisher), as orm_library.organisation_counts links them."""
    from resources.models import Organisation

    slugs_by_name = {}
    for slug, name in Organisation.objects.values_list("slug", "name"):
        slugs_by_name.setdefault(name, []).append(slug)
    yield from published.filter(owner__isnull=False).values_list("owner__slug", "pk")
    for name, pk in published.filter(publisher__in=list(slugs_by_name)).values_list(
        "publisher", "pk"
    ):
        for slug in slugs_by_name[name]:
            yield slug, pk


def read():
    """The columns of the published resources, as they are now."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    from resources.models import Resource

    published = Resource.objects.published().order_by()
    ids = published.values("pk")
    rows = sorted(published.values_list("pk", "year", "resource_type", "language"))
    through = {
        "country": (Resource.countries.through, "country_id"),
        "theme": (Resource.themes.through, "theme__slug"),
        "commodity": (Resource.commodities.through, "commodity__slug"),
    }
    arrays = {
        name: _grouped(model.objects.filter(resource_id__in=ids).values_list(value, "resource_id"))
        for name, (model, value) in through.items()
    }
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Resource), object_id__in=ids
    )
    arrays["tag"] = _grouped(tagged.values_list("tag__slug", "object_id"))
    arrays["organisation"] = _grouped(_organisation_pairs(published))
    assert set(arrays) == set(ARRAY_FACETS)
    scalars = {
        "type": _grouped((row[2], row[0]) for row in rows),
        "language": _grouped((row[3], row[0]) for row in rows),
    }
    assert set(scalars) == set(SCALAR_FACETS)
    return Snapshot.build(
        ids=np.array([row[0] for row in rows], dtype=np.int64),
        arrays=arrays,
        scalars=scalars,
        years=np.array([row[1] or 0 for row in rows], dtype=np.int16),
        orders=[
            (name, np.array(list(published.order_by(*sort.order_by).values_list("pk", flat=True))))
            for name, sort in SORTS.items()
        ],
        generation=0,
        low_water=0,
        seen=(),
        started=0.0,
    )


def view(version):
    """The columns of content version version, read if this process has not yet."""
    with _lock:
        kept = _kept.get("view")
        if kept is None or kept[0] != version:
            kept = _kept["view"] = (version, View(read()))
        return kept[1]


def forget():
    """Forget the columns and the searches matched (the next state reads them again)."""
    with _lock:
        _kept.clear()


def forget_searches():
    """Forget the searches matched, as if none had been made since the columns were read."""
    with _lock:
        kept = _kept.get("view")
    if kept is not None:
        with kept[1].snapshot.lock:
            kept[1].snapshot.text_matches.clear()
            kept[1].snapshot.rank_scores.clear()


class ColumnsQuery(Query):
    """A library state counted on the columns; the search matched and scored by FTS5,
    relevance ranked among the RANK_WINDOW newest matches as on PostgreSQL."""

    def text_matches(self):
        """The search's matches, read once per search and kept with the columns; the
        first state of a search also scores the documents likely to be in its relevance
        window, in the same statement."""
        snapshot, q = self.snapshot, self.library.q

        def read():
            positions, scores = matched(snapshot, q, self.likely_window())
            text.keep_scores(snapshot, q, scores)
            matching = np.zeros(snapshot.size, dtype=bool)
            matching[positions] = True
            return matching

        return text.kept_matches(snapshot, q, read), set()

    def likely_window(self):
        """The ids of the documents most likely to hold this state's relevance window:
        the first twice RANK_WINDOW of its filters' documents in the newest order (all of
        them for a word in at least half of those; any of the window left out is scored
        when the page is ranked)."""
        filtered = self.view.alive.copy()
        for mask in self.filter_masks().values():
            filtered &= mask
        order = self.snapshot.orders["newest"]
        return self.snapshot.ids[order[filtered[order]][: 2 * columns.RANK_WINDOW]]

    def read_scores(self, q, ids):
        return read_scores(q, ids)

    def page_ids(self, sort, offset, limit):
        if not (sort == "relevance" and self.library.q) and sort not in SORTS:
            sort = "newest"
        return super().page_ids(sort, offset, limit)


def _statement(q):
    """(the score of a match, the MATCH expression, and their parameters in the order
    they are written), or None when the search can match nothing: bm25 over the weighted
    columns, negated (higher first) and scaled down for a resource found only by a
    thesaurus equivalent of the words searched for."""
    expression = match_expression(q)
    if not expression:
        return None
    exact = match_expression(q, thesaurus=False)
    if exact and exact != expression:
        # Whether each match is found by the words themselves (the IN list read once).
        by_words = f"rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
        score = f"-{RANK} * CASE WHEN {by_words} THEN 1 ELSE {EQUIVALENT_WEIGHT} END"
        return score, [exact], expression
    return f"-{RANK}", [], expression


def _chosen(ids):
    """ids as a blob of one byte a rowid, 1 where chosen: `substr(blob, rowid, 1) =
    x'01'` tells a row of them at the cost of a byte read (an IN list of 20,000 ids took
    10 ms to build in each statement, the whole of a rare word's search)."""
    ids = np.asarray(ids, dtype=np.int64)
    chosen = np.zeros(int(ids.max()) if len(ids) else 0, dtype=np.uint8)
    chosen[ids - 1] = 1
    return chosen.tobytes()


CHOSEN = "substr(%s, rowid, 1) = x'01'"


def matched(snapshot, q, wanted):
    """(the positions in snapshot of the resources the search q finds, and
    {resource id: score} of those among wanted): one statement, bm25 only for wanted,
    whose scores are all a page needs where a word is in most of the library (scoring
    each match of "mining" at 100,000 resources took most of a new search's time)."""
    statement = _statement(q)
    if statement is None:
        return np.zeros(0, dtype=np.int64), {}
    score, score_params, expression = statement
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, CASE WHEN {CHOSEN} THEN {score} END"
            f" FROM {TABLE} WHERE {TABLE} MATCH %s",
            [_chosen(wanted), *score_params, expression],
        )
        rows = cursor.fetchall()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    return snapshot.positions(ids), {pk: value for pk, value in rows if value is not None}


def read_scores(q, ids):
    """{resource id: score} of the resources among ids the search q finds (as matched
    scores them): FTS5 matches the search and scores only these (a list of rowids handed
    to FTS5 itself, `rowid IN (...)`, matched the search once per id)."""
    statement = _statement(q)
    if statement is None or not len(ids):
        return {}
    score, score_params, expression = statement
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {score} FROM {TABLE} WHERE {TABLE} MATCH %s AND {CHOSEN}",
            [*score_params, expression, _chosen(ids)],
        )
        return dict(cursor.fetchall())


def related_ids(resource, limit, version):
    """The ids of the limit published resources sharing the most countries, themes and tags
    with resource (each shared value counts one), the newest first among equals, scored
    by the facet index's own rule (facetindex/related.py ranked) among every resource
    sharing any of them."""
    snapshot = view(version).snapshot
    mine = {
        "country": [country.pk for country in resource.countries.all()],
        "theme": [theme.slug for theme in resource.themes.all()],
        "tag": [tag.slug for tag in resource.tags.all()],
    }
    shares = np.zeros(snapshot.size, dtype=bool)
    for name, values in mine.items():
        shares |= snapshot.postings[name].mask(values, snapshot.size)
    shares[snapshot.positions([resource.pk])] = False
    order = snapshot.orders["newest"]
    return ranked(snapshot, mine, order[shares[order]], limit)


def query(library):
    """The state library (a LibraryState) counted on the columns of its content version."""
    return ColumnsQuery(library, view(library.content_version()))
