"""One state of the library page answered from a process's view of the facet index.

A filter is a boolean mask over the snapshot's documents; a facet is counted under the
mask of every filter but its own (one gather and one ``np.add.reduceat`` over the value
lists give all counts of a facet at once), the overlay's rows added in Python; a page of
results is the first matching documents of a sort order, merged with the overlay's.
"""

import numpy as np

from resources.sorts import NEWEST, SORTS

from .. import columns
from ..db import fetch, id_array
from ..library import LibraryIndex
from ..version import content_version
from . import overlay as overlay_module
from . import text
from .snapshot import ARRAY_FACETS, SCALAR_FACETS
from .state import process_index


class Query:
    """One state of the library (a library.LibraryIndex) answered from a view."""

    def __init__(self, library, view):
        self.library = library
        self.view = view
        self.snapshot = view.snapshot
        # Per facet left out (None: none), computed once for the facets, count and page.
        self._without = {}
        self._overlay_rows = {}

    # masks

    def _field_mask(self, name, values):
        snapshot = self.snapshot
        if name in snapshot.postings:
            return snapshot.postings[name].mask(values, snapshot.size)
        return snapshot.codes[name].mask(values, snapshot.size)

    def _year_mask(self):
        library = self.library
        if library.year_from is None and library.year_to is None:
            return None
        years = self.snapshot.years
        mask = years != 0
        if library.year_from is not None:
            mask &= years >= library.year_from
        if library.year_to is not None:
            mask &= years <= library.year_to
        return mask

    def filter_masks(self):
        """The mask of every filter, by facet name (the search apart)."""
        if not hasattr(self, "_filter_masks"):
            library = self.library
            by_facet = {
                name: self._field_mask(name, values) for name, values in library.filters.items()
            }
            year = self._year_mask()
            if year is not None:
                by_facet["year"] = year
            self._filter_masks = by_facet
        return self._filter_masks

    def masks(self):
        """(the mask of every filter, by facet name, and the mask every facet shares),
        with the overlay's matches beside them."""
        if hasattr(self, "_masks"):
            return self._masks
        by_facet = self.filter_masks()
        common = self.view.alive.copy()
        text_overlay = None
        if self.library.q:
            packed, text_overlay = self.text_matches()
            common &= np.unpackbits(packed, count=self.snapshot.size).view(bool)
        self._masks = (by_facet, common, text_overlay)
        return self._masks

    def text_matches(self):
        """(the snapshot's documents the search matches, packed; ids among the overlay)."""
        return text.text_matches(self.view, self.library.q)

    def read_scores(self, q, ids):
        """{resource id: relevance score, higher first} of ids for the search q."""
        return text.read_scores(q, ids)

    def mask_without(self, facet=None):
        """The documents matching every filter but facet's (the same array each time)."""
        by_facet, common, _text = self.masks()
        key = facet if facet in by_facet else None
        if key not in self._without:
            mask = common.copy()
            for name, each in by_facet.items():
                if name != key:
                    mask &= each
            self._without[key] = mask
        return self._without[key]

    def overlay_rows(self, without=None):
        """The overlay's rows matching every filter but without's."""
        if without not in self._overlay_rows:
            _by, _common, text_overlay = self.masks()
            self._overlay_rows[without] = overlay_module.matching_rows(
                self.view.overlay.values(), self.library, text_overlay, without
            )
        return self._overlay_rows[without]

    def facet_counts(self):
        """({facet: [(value, count)]}, total): what LibraryIndex.facet_counts returns."""
        snapshot = self.snapshot
        facets = {}
        for name in (*ARRAY_FACETS, *SCALAR_FACETS):
            column = snapshot.postings.get(name) or snapshot.codes[name]
            counts = column.counts(self.mask_without(name))
            overlay_rows = self.overlay_rows(without=name)
            shown = np.flatnonzero(counts)
            if name == "tag":
                shown = _top_candidates(counts, shown, self.library.top_tags, len(overlay_rows))
            tally = {column.values[i]: int(counts[i]) for i in shown.tolist()}
            for row in overlay_rows:
                for value in row.values(name):
                    tally[value] = tally.get(value, 0) + 1
            items = list(tally.items())
            if name == "tag":
                items = sorted(items, key=lambda item: (-item[1], item[0]))[: self.library.top_tags]
            facets[name] = items
        years = snapshot.years[self.mask_without("year")]
        years = years[years != 0]
        decades = np.bincount((years // 10).astype(np.int64)) if len(years) else []
        tally = {str(d * 10): int(n) for d, n in enumerate(decades) if n}
        for row in self.overlay_rows(without="year"):
            if row.year is not None:
                key = str(row.year // 10 * 10)
                tally[key] = tally.get(key, 0) + 1
        facets["year"] = list(tally.items())
        total = self.count()
        return facets, total

    def count(self):
        return int(np.count_nonzero(self.mask_without(None))) + len(self.overlay_rows())

    def page_ids(self, sort, offset, limit):
        """One page of ids in sort's order (relevance: among the RANK_WINDOW newest
        matches, as library.LibraryIndex.sql_page_ids ranks)."""
        mask = self.mask_without(None)
        overlay = [row.resource_id for row in self.overlay_rows()]
        searching = sort == "relevance" and self.library.q
        order = self.snapshot.orders["newest" if searching else sort]
        # The snapshot's first documents in order: the page itself, or the window ranked.
        wanted = max(columns.RANK_WINDOW, offset + limit) if searching else offset + limit
        candidates = self.snapshot.ids[order[mask[order]][:wanted]]
        if overlay:
            return self._merged_page(candidates, overlay, sort, offset, limit)
        if searching:
            scores = text.scores(self.snapshot, self.library.q, candidates, self.read_scores)
            # Newest first among equal scores: candidates are in newest order already.
            ranked = candidates[np.argsort(-scores, kind="stable")]
            return ranked[offset : offset + limit].tolist()
        return candidates[offset:].tolist()

    def _newest_with_overlay(self, candidates, overlay):
        """candidates and the overlay's matching ids in the newest order (overlay.py)."""
        return overlay_module.newest_with_overlay(self.view, candidates, overlay)

    def _merged_page(self, candidates, overlay, sort, offset, limit):
        """A page when changed resources (the overlay) match too: where they fall among
        the snapshot's documents is PostgreSQL's to say (collation, ranking), so it orders
        the snapshot's first candidates and the overlay's matches together. Exact: no
        document past the snapshot's first offset + limit (or window) can be on the page."""
        ids = [*candidates.tolist(), *overlay]
        if sort == "relevance" and self.library.q:
            window = max(columns.RANK_WINDOW, offset + limit)
            ordered = self._newest_with_overlay(candidates, overlay)
            if ordered is None:
                sql = (
                    "SELECT s.resource_id FROM resources_resourcesearch s"
                    f" WHERE s.resource_id = ANY(%s::bigint[]) ORDER BY {NEWEST.sql()}"
                )
                rows = fetch(sql, [id_array(ids)], searching=False)
                ordered = np.array([row[0] for row in rows], dtype=np.int64)
            ordered = ordered[:window]
            changed = np.isin(ordered, np.array(overlay, dtype=np.int64))
            scores = np.zeros(len(ordered), dtype=np.float64)
            scores[~changed] = text.scores(
                self.snapshot, self.library.q, ordered[~changed], self.read_scores
            )
            if changed.any():
                # The overlay's own scores, read afresh: their vectors have changed.
                fresh = self.read_scores(self.library.q, ordered[changed].tolist())
                scores[changed] = [fresh.get(pk, 0.0) for pk in ordered[changed].tolist()]
            ranked = ordered[np.argsort(-scores, kind="stable")]
            return ranked[offset : offset + limit].tolist()
        sql = (
            "SELECT s.resource_id FROM resources_resourcesearch s"
            f" WHERE s.resource_id = ANY(%s::bigint[]) ORDER BY {SORTS[sort].sql()}"
            " LIMIT %s OFFSET %s"
        )
        params = [id_array(ids), limit, offset]
        return [row[0] for row in fetch(sql, params, searching=False)]


def _top_candidates(counts, nonzero, top, slack):
    """The values (positions among nonzero) that can be among the top counts once slack
    more documents, the overlay's, add one each: ties included, a few dozen of 2,000 tags
    where sorting them all was a visible part of a page's Python time."""
    if len(nonzero) <= top:
        return nonzero
    kth = np.partition(counts[nonzero], -top)[-top]
    return nonzero[counts[nonzero] >= kth - slack]


def published_count(version=None):
    """How many resources are published, counted on this process's view (none read from
    the database once it is current)."""
    view = process_index().current(content_version() if version is None else version)
    return int(np.count_nonzero(view.alive)) + len(view.overlay)


def published_values(name, values, version):
    """Those of values (of the array facet name: tags, countries…) that a published
    resource carries, read from this process's view at the content version version: a
    value's documents still current in the snapshot, or the overlay's rows."""
    view = process_index().current(version)
    postings = view.snapshot.postings[name]
    carried = {row_value for row in view.overlay.values() for row_value in row.values(name)}
    for value in values:
        i = postings.index.get(value)
        if (
            i is not None
            and view.alive[postings.docs[postings.offsets[i] : postings.offsets[i + 1]]].any()
        ):
            carried.add(value)
    return [value for value in values if value in carried]


class IndexedLibrary(LibraryIndex):
    """A library state answered from this process's current view of the facet index (its
    SQL stays, for the tests to compare with)."""

    in_memory = True

    def engine(self):
        if not hasattr(self, "_engine"):
            self._engine = Query(self, process_index().current(self.content_version()))
        return self._engine

    def count(self):
        return self.engine().count()

    def facet_counts(self):
        return self.engine().facet_counts()

    def page_ids(self, sort, offset, limit):
        return self.engine().page_ids(sort, offset, limit)
