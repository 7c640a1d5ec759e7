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

from .columns import EQUIVALENT_WEIGHT
from .facetindex.query import Query
from .facetindex.related import ranked
from .facetindex.snapshot import ARRAY_FACETS, SCALAR_FACETS, Snapshot
from .facetindex.text import TEXT_CACHE_SIZE
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
            kept[1].snapshot.rank_scores.clear()


class ColumnsQuery(Query):
    """A library state counted on the columns; the search matched and scored by FTS5."""

    def searched(self):
        """(the search's matches as positions of the snapshot, in order, and their bm25
        scores, lower first), read once per search and kept with the columns."""
        snapshot, q = self.snapshot, self.library.q
        with snapshot.lock:
            found = snapshot.rank_scores.get(q)
            if found is not None:
                snapshot.rank_scores.move_to_end(q)
        if found is None:
            found = scored(snapshot, q)
            with snapshot.lock:
                snapshot.rank_scores[q] = found
                while len(snapshot.rank_scores) > TEXT_CACHE_SIZE:
                    snapshot.rank_scores.popitem(last=False)
        return found

    def text_matches(self):
        matching = np.zeros(self.snapshot.size, dtype=bool)
        matching[self.searched()[0]] = True
        return np.packbits(matching), set()

    def page_ids(self, sort, offset, limit):
        """A page in sort's order; relevance: every match ranked by bm25 (an equivalent's
        match a little lower), the newest first among equals."""
        if sort != "relevance" or not self.library.q:
            return super().page_ids(sort if sort in SORTS else "newest", offset, limit)
        positions, scores = self.searched()
        score = np.full(self.snapshot.size, np.inf)
        score[positions] = scores
        order = self.snapshot.orders["newest"]
        candidates = order[self.mask_without(None)[order]]
        ranked = candidates[np.argsort(score[candidates], kind="stable")]
        return self.snapshot.ids[ranked[offset : offset + limit]].tolist()


def scored(snapshot, q):
    """(positions, scores) of the resources of snapshot the search q finds: bm25 over the
    weighted columns, scaled towards zero (bm25 is negative) for a resource found only by a
    thesaurus equivalent of the words searched for."""
    expression = match_expression(q)
    if not expression:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    # One statement, expanded or not: whether each match is found by the words themselves
    # (the IN list is read once).
    exact = match_expression(q, thesaurus=False)
    by_words, params = "1", [expression]
    if exact and exact != expression:
        by_words = f"rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
        params = [exact, expression]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {RANK}, {by_words} FROM {TABLE} WHERE {TABLE} MATCH %s", params
        )
        rows = cursor.fetchall()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    scores = np.array([row[1] for row in rows], dtype=np.float64)
    exact_match = np.array([bool(row[2]) for row in rows], dtype=bool)
    scores = np.where(exact_match, scores, scores * EQUIVALENT_WEIGHT)
    at = np.minimum(np.searchsorted(snapshot.ids, ids), max(snapshot.size - 1, 0))
    known = snapshot.ids[at] == ids if snapshot.size else np.zeros(len(ids), dtype=bool)
    order = np.argsort(at[known], kind="stable")
    return at[known][order], scores[known][order]


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
