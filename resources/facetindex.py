"""The library's filter values held in memory as columns, for facets at search-engine speed.

Counting exact disjunctive facets in SQL means aggregating every array element of every
matching row: at a million resources that is ten million elements and seconds per page,
whatever the indexes. A search engine keeps, for every facet value, the list of documents
that carry it, and counts by intersecting lists with the set of matches. This module does
the same with numpy, on PostgreSQL, from the index table (``resources_resourcesearch``):

- A **snapshot** holds, for the published resources at one moment, the sorted resource
  ids; for each array facet (country, theme, commodity, tag) the documents of every value
  (one array sorted by value, with offsets); type, language and year as one small integer
  per document; and the three sort orders as permutations. It is read in one REPEATABLE
  READ transaction with a few aggregate statements (``load``).
- A filter is a boolean mask over the documents; a facet is counted under the mask of
  every filter but its own (one gather and one ``np.add.reduceat`` over the value lists
  give all counts of a facet at once); a page of results is the first matching documents
  of a sort order.
- **Changes** do not rebuild the snapshot. ``search.refresh`` writes the ids of the
  resources it rebuilt to a change log (``SearchChange``), with its transaction id, in the
  same transaction that bumps the content version. A process that sees a new content
  version reads the log entries it has not applied, marks those documents dead in its
  snapshot and keeps their current rows beside it (the **overlay**, counted in Python: a
  handful of rows). A background thread then builds a fresh snapshot and swaps it in,
  once RELOAD_ROWS have changed or RELOAD_SECONDS have passed. Only a new *generation*
  (``manage.py reindex``, a restore, or a change touching many resources at once) or an
  overlay past ``OVERLAY_LIMIT`` makes a request wait for a full load.

A text search is the one part PostgreSQL must answer (its GIN index finds the matches);
which documents of the snapshot match a query is kept per snapshot as a bitmap
(``TEXT_CACHE_SIZE`` queries), with the relevance scores already read, since a change
only moves documents to the overlay, whose matches are asked again; the matches are also
shared between processes through the cache, under the content version. A fresh snapshot
inherits the searches of the one it replaces, asking again only for the documents
changed in between (``_carry``), so common searches stay warm across reloads.

Everything here is exact: the same counts and pages as the SQL of
``search.LibraryIndex``, which stays the reference implementation (and the path used when
``ASMHUB_FACET_INDEX`` is off) and against which the tests compare this one.
"""

import datetime
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction

from . import search

logger = logging.getLogger(__name__)

ARRAY_FACETS = ("country", "theme", "commodity", "tag")
SCALAR_FACETS = ("type", "language")
GENERATION_KEY = "index-generation"
# Overlay rows are counted in Python on every request; past this many, load afresh.
OVERLAY_LIMIT = 2000
# A background read of a fresh snapshot costs seconds of database time at a million
# resources, in every worker: it starts once the overlay holds this many rows, or when its
# oldest row has waited this long. Until then the overlay serves (exactly, a little slower).
RELOAD_ROWS = 100
RELOAD_SECONDS = 300
# The oldest transaction still running, as a number comparable with the log's xid.
XMIN_SQL = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
TEXT_CACHE_SIZE = 64
# The change log keeps a day; a process whose snapshot is older than this loads afresh
# (it is reloaded in the background long before, at half this age, if it serves at all).
LOG_KEPT = "1 day"
MAX_SNAPSHOT_AGE = 6 * 3600
SORT_SQL = {
    "newest": "year DESC NULLS LAST, date DESC NULLS LAST, title, resource_id",
    "oldest": "year ASC NULLS LAST, date ASC NULLS LAST, title, resource_id",
    "title": "title, resource_id",
}


def enabled():
    return search.is_postgres() and getattr(settings, "ASMHUB_FACET_INDEX", True)


def generation():
    """The index's generation: replaced when the whole index is rebuilt."""
    from .models import ContentVersion

    row = ContentVersion.objects.filter(key=GENERATION_KEY).values_list("version", flat=True)
    return next(iter(row), 0)


def new_generation():
    """Every process loads its snapshot afresh at its next request (after a reindex, a
    restore, or a change to more resources than the overlay is for)."""
    import secrets

    from .models import ContentVersion

    ContentVersion.objects.update_or_create(
        key=GENERATION_KEY, defaults={"version": secrets.randbits(62)}
    )


def log_changes(ids):
    """Record that the index rows of ids were rebuilt (search.refresh calls this)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO resources_searchchange (resource_id, at, xid)"
            " SELECT unnest(%s::int[]), now(), pg_current_xact_id()::text::bigint",
            [list(ids)],
        )


def prune_log():
    """Drop change log entries older than LOG_KEPT (after a fresh snapshot is read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM resources_searchchange WHERE at < now() - interval '{LOG_KEPT}'"
        )


# -- reading rows --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One index row as the overlay keeps it."""

    resource_id: int
    year: int | None
    date: datetime.date | None
    title: str
    type: str
    language: str
    country: frozenset
    theme: frozenset
    commodity: frozenset
    tag: frozenset

    def values(self, name):
        if name == "type":
            return (self.type,)
        if name == "language":
            return (self.language,)
        return getattr(self, name)


ROW_SQL = (
    "SELECT resource_id, year, date, title, resource_type, language, countries, themes,"
    " commodities, tags FROM resources_resourcesearch WHERE resource_id = ANY(%s)"
)


def _rows(cursor, ids):
    cursor.execute(ROW_SQL, [list(ids)])
    return {
        r[0]: Row(r[0], r[1], r[2], r[3], r[4], r[5], *(frozenset(a or ()) for a in r[6:]))
        for r in cursor.fetchall()
    }


def _ids(data):
    """A bytea of big-endian int8s (string_agg of int8send) as an int64 array."""
    if data is None:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(bytes(data), dtype=">i8").astype(np.int64)


def _int16s(data):
    if data is None:
        return np.zeros(0, dtype=np.int16)
    return np.frombuffer(bytes(data), dtype=">i2").astype(np.int16)


# -- the snapshot ----------------------------------------------------------------------


@dataclass
class Postings:
    """The documents of every value of one array facet: docs[offsets[i]:offsets[i+1]]
    are the positions of the documents that carry values[i]."""

    values: list
    offsets: np.ndarray
    docs: np.ndarray
    index: dict = field(init=False)

    def __post_init__(self):
        self.index = {value: i for i, value in enumerate(self.values)}

    def mask(self, wanted, size):
        mask = np.zeros(size, dtype=bool)
        for value in wanted:
            i = self.index.get(value)
            if i is not None:
                mask[self.docs[self.offsets[i] : self.offsets[i + 1]]] = True
        return mask

    def counts(self, mask):
        """The number of documents under mask carrying each value, for all values: one
        gather and one segmented sum (every value has at least one document)."""
        if not len(self.docs):
            return np.zeros(len(self.values), dtype=np.int64)
        return np.add.reduceat(mask[self.docs], self.offsets[:-1], dtype=np.int64)


@dataclass
class Codes:
    """One small integer per document for a single-valued facet."""

    values: list
    codes: np.ndarray
    index: dict = field(init=False)

    def __post_init__(self):
        self.index = {value: i for i, value in enumerate(self.values)}

    def mask(self, wanted, size):
        chosen = [self.index[v] for v in wanted if v in self.index]
        return np.isin(self.codes, np.array(chosen, dtype=self.codes.dtype))

    def counts(self, mask):
        return np.bincount(self.codes[mask], minlength=len(self.values))


class Snapshot:
    """The published resources' filter values at one moment, as columns (see module)."""

    def __init__(
        self, *, generation, low_water, seen, ids, postings, codes, years, orders, started
    ):
        self.generation = generation
        self.low_water = low_water
        self.seen = frozenset(seen)
        self.ids = ids
        self.size = len(ids)
        self.postings = postings
        self.codes = codes
        self.years = years
        self.orders = orders
        self.text_matches = OrderedDict()
        self.rank_scores = OrderedDict()
        self._newest_rank = None
        self.lock = threading.Lock()
        # When its transaction began (monotonic), and when it was read (wall clock).
        self.started = started
        self.read_at = time.time()

    def newest_rank(self):
        """Each position's place in the newest order (read once, 4 bytes a document)."""
        with self.lock:
            if self._newest_rank is None:
                rank = np.empty(self.size, dtype=np.int32)
                rank[self.orders["newest"]] = np.arange(self.size, dtype=np.int32)
                self._newest_rank = rank
            return self._newest_rank

    def positions(self, resource_ids):
        """Positions in this snapshot of the resource ids it holds (others dropped)."""
        resource_ids = np.asarray(resource_ids, dtype=np.int64)
        if not self.size or not len(resource_ids):
            return np.zeros(0, dtype=np.int64)
        at = np.searchsorted(self.ids, resource_ids)
        at = np.minimum(at, self.size - 1)
        return at[self.ids[at] == resource_ids]


# The ordered reads aggregate a subquery's order (PostgreSQL keeps it; the tests compare
# every order with SQL's): the sort orders then come from index-only scans of their
# B-tree indexes, where an ORDER BY inside the aggregate would sort every row again.
LOAD_SQL = {
    "ids": "SELECT string_agg(int8send(resource_id), ''::bytea) FROM"
    " (SELECT resource_id FROM resources_resourcesearch ORDER BY resource_id) s",
    "years": "SELECT string_agg(int2send(coalesce(year, 0)::int2), ''::bytea) FROM"
    " (SELECT year FROM resources_resourcesearch ORDER BY resource_id) s",
    "order": "SELECT string_agg(int8send(resource_id), ''::bytea) FROM"
    " (SELECT resource_id FROM resources_resourcesearch ORDER BY {order}) s",
    "scalar": "SELECT {column}, string_agg(int8send(resource_id), ''::bytea)"
    " FROM resources_resourcesearch GROUP BY 1 ORDER BY 1",
    "array": "SELECT v, string_agg(int8send(s.resource_id), ''::bytea)"
    " FROM resources_resourcesearch s, unnest(s.{column}) v GROUP BY v ORDER BY v",
}


def load(previous=None):
    """A new snapshot of the whole index, read in one consistent transaction; with the
    searches previous (the snapshot it replaces) had answered carried over."""
    started = time.monotonic()
    # Inside a test's transaction the isolation level is already set (and the data
    # cannot move under us); elsewhere the snapshot is read at REPEATABLE READ.
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        current = generation()
        # Every transaction older than the snapshot's xmin is in it; the log entries of
        # the ones since (committed or not yet) are read at the next sync.
        cursor.execute(f"SELECT {XMIN_SQL}")
        low_water = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM resources_searchchange WHERE xid >= %s", [low_water])
        seen = [row[0] for row in cursor.fetchall()]
        cursor.execute(LOAD_SQL["ids"])
        ids = _ids(cursor.fetchone()[0])
        size = len(ids)

        def positions(data):
            return np.searchsorted(ids, _ids(data)).astype(np.int32)

        postings = {}
        for name in ARRAY_FACETS:
            cursor.execute(LOAD_SQL["array"].format(column=search.FACET_COLUMNS[name]))
            values, parts = [], []
            for value, data in cursor.fetchall():
                values.append(value)
                # In document order: the gathers that count them then read memory in order.
                parts.append(np.sort(positions(data)))
            lengths = np.array([len(part) for part in parts], dtype=np.int64)
            offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
            docs = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            postings[name] = Postings(values, offsets, docs)
        codes = {}
        for name in SCALAR_FACETS:
            cursor.execute(LOAD_SQL["scalar"].format(column=search.SCALAR_COLUMNS[name]))
            values = []
            column_codes = np.zeros(size, dtype=np.int16)
            for code, (value, data) in enumerate(cursor.fetchall()):
                values.append(value)
                column_codes[positions(data)] = code
            codes[name] = Codes(values, column_codes)
        cursor.execute(LOAD_SQL["years"])
        years = _int16s(cursor.fetchone()[0])
        orders = {}
        for name, order in SORT_SQL.items():
            cursor.execute(LOAD_SQL["order"].format(order=order))
            orders[name] = positions(cursor.fetchone()[0])
        snapshot = Snapshot(
            generation=current,
            low_water=low_water,
            seen=seen,
            ids=ids,
            postings=postings,
            codes=codes,
            years=years,
            orders=orders,
            started=started,
        )
        carried = _carry(cursor, previous, snapshot)
    logger.info(
        "facet index: loaded %s resources in %.0f ms (%s searches carried over)",
        size,
        (time.monotonic() - started) * 1000,
        carried,
    )
    return snapshot


def _matching_among(ids, q):
    """The ids among ids whose documents match the search q, from the text index."""
    query, params = search.tsquery_sql(q, distinct=True)
    sql = (
        "SELECT s.resource_id FROM resources_resourcesearch s"
        f" WHERE s.resource_id = ANY(%s) AND s.vector @@ {query}"
    )
    return [row[0] for row in search.fetch(sql, [list(ids), *params], searching=True)]


def _carry(cursor, previous, snapshot):
    """Give snapshot the text matches and relevance scores previous had, so that a
    reload (every few minutes while curators work) does not make every common search
    cold again: 0.7 s for a word in most of a million documents. A document that did not
    change between the two snapshots matches a search, and scores, as it did; the ones
    that changed (the log since previous was read: every transaction not in it has an
    xid at least its xmin) are asked again, in the transaction snapshot is read in.
    Returns the number of searches carried."""
    if previous is None or previous.generation != snapshot.generation:
        return 0
    if time.time() - previous.read_at > MAX_SNAPSHOT_AGE:
        return 0  # the log it would need may be pruned
    with previous.lock:
        matches = list(previous.text_matches.items())
        scores = [(q, dict(known)) for q, known in previous.rank_scores.items()]
    if not matches and not scores:
        return 0
    cursor.execute(
        "SELECT DISTINCT resource_id FROM resources_searchchange WHERE xid >= %s",
        [previous.low_water],
    )
    changed = sorted(row[0] for row in cursor.fetchall())
    if len(changed) > OVERLAY_LIMIT:
        return 0
    # Where each document of previous is in snapshot (-1: gone), changed ones gone too.
    moved = np.full(previous.size, -1, dtype=np.int64)
    if previous.size and snapshot.size:
        at = np.minimum(np.searchsorted(snapshot.ids, previous.ids), snapshot.size - 1)
        kept = snapshot.ids[at] == previous.ids
        moved[kept] = at[kept]
        moved[previous.positions(changed)] = -1
    for q, packed in matches:
        was = moved[np.unpackbits(packed, count=previous.size).view(bool)]
        matching = np.zeros(snapshot.size, dtype=bool)
        matching[was[was >= 0]] = True
        if changed:
            matching[snapshot.positions(_matching_among(changed, q))] = True
        snapshot.text_matches[q] = np.packbits(matching)
    gone = set(changed)
    for q, known in scores:
        snapshot.rank_scores[q] = {pk: score for pk, score in known.items() if pk not in gone}
    return len(matches)


# -- the state a process serves from -----------------------------------------------------


@dataclass
class View:
    """What a request counts with: a snapshot, the positions in it that are no longer
    current, and the current rows of the resources changed since it was read."""

    snapshot: Snapshot
    version: int
    alive: np.ndarray
    overlay: dict
    seen: frozenset
    low_water: int
    # When (monotonic) the overlay got its first row: None while it is empty.
    overlay_since: float | None = None

    @classmethod
    def of(cls, snapshot, version):
        """A snapshot just read, with nothing patched in."""
        alive = np.ones(snapshot.size, dtype=bool)
        return cls(snapshot, version, alive, {}, snapshot.seen, snapshot.low_water)


class FacetIndex:
    """The process's view of the index, kept in step with the content version."""

    def __init__(self, background=True):
        self.background = background
        self.view = None
        self.lock = threading.Lock()
        self.reloading = False

    def current(self, version):
        """The view for content version (read by the request), synced first if needed."""
        view = self.view
        if view is None or view.version != version:
            with self.lock:
                view = self.view
                if view is None or view.version != version:
                    view = self._sync(view, version)
                    self.view = view
        if self.background and self._reload_due(view):
            self._reload_in_background()
        return view

    @staticmethod
    def _reload_due(view):
        if time.time() - view.snapshot.read_at > MAX_SNAPSHOT_AGE / 2:
            return True
        if not view.overlay:
            return False
        waited = time.monotonic() - (view.overlay_since or time.monotonic())
        return len(view.overlay) >= RELOAD_ROWS or waited >= RELOAD_SECONDS

    def _sync(self, view, version):
        if view is None or time.time() - view.snapshot.read_at > MAX_SNAPSHOT_AGE:
            return self._fresh(version)
        if view.snapshot.generation != generation():
            return self._fresh(version)
        with connection.cursor() as cursor:
            # One statement, so one snapshot: the entries of every transaction that had
            # not ended at the last sync (low_water), and the xmin they are read at. An
            # entry of a transaction still running is invisible now, and its xid is at
            # least the new xmin, so the next sync reads it: nothing is missed, however
            # long a transaction (an import of thousands of records) takes.
            cursor.execute(
                f"SELECT x.xmin, e.id, e.resource_id, e.xid FROM (SELECT {XMIN_SQL} AS xmin) x"
                " LEFT JOIN resources_searchchange e ON e.xid >= %s",
                [view.low_water],
            )
            result = cursor.fetchall()
            xmin = result[0][0]
            entries = [(pk, rid, xid) for _x, pk, rid, xid in result if pk is not None]
            new = [(pk, rid, xid) for pk, rid, xid in entries if pk not in view.seen]
            changed = {rid for _pk, rid, _xid in new}
            if len(view.overlay) + len(changed) > OVERLAY_LIMIT:
                return self._fresh(version)
            rows = _rows(cursor, changed) if changed else {}
        alive = view.alive
        overlay = view.overlay
        if changed:
            alive = alive.copy()
            alive[view.snapshot.positions(sorted(changed))] = False
            overlay = {k: v for k, v in overlay.items() if k not in changed}
            overlay.update(rows)
        low_water = max(view.low_water, xmin)
        seen = frozenset(pk for pk, _rid, xid in entries if xid >= low_water)
        since = view.overlay_since
        if overlay and since is None:
            since = time.monotonic()
        return View(view.snapshot, version, alive, overlay, seen, low_water, since)

    def _fresh(self, version):
        return View.of(load(self.view.snapshot if self.view else None), version)

    def _reload_in_background(self):
        """Build a fresh snapshot beside the one in use, then swap it in."""
        with self.lock:
            if self.reloading:
                return
            self.reloading = True

        def run():
            try:
                snapshot = load(self.view.snapshot if self.view else None)
                prune_log()
                with self.lock:
                    old = self.view
                    if old is None or snapshot.started < old.snapshot.started:
                        return
                    # Version unknown here: the next request syncs from the new log mark.
                    self.view = View.of(snapshot, None)
            except Exception:
                logger.exception("facet index: background reload failed")
            finally:
                connections.close_all()
                with self.lock:
                    self.reloading = False

        threading.Thread(target=run, name="facet-index-reload", daemon=True).start()


_index = FacetIndex()


def process_index():
    """This process's facet index (background reloads only where settings allow)."""
    _index.background = getattr(settings, "ASMHUB_FACET_INDEX_BACKGROUND", True)
    return _index


# -- answering a page state ---------------------------------------------------------------


class Query:
    """One state of the library (a search.LibraryIndex) answered from a view."""

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

    def _matches_by_id(self):
        """Which resources match the search, as a boolean array over resource ids: from
        the shared cache (Redis, across workers and servers), keyed by the content version
        like every cached part of the library, else from PostgreSQL's text index (0.3 s
        for a word in most of a million documents)."""
        query, params = search.tsquery_sql(self.library.q, distinct=True)

        def read():
            sql = (
                "SET LOCAL work_mem = '64MB'; SELECT string_agg(int8send(s.resource_id),"
                f" ''::bytea) FROM resources_resourcesearch s WHERE s.vector @@ {query}"
            )
            (data,) = search.fetch(sql, params, searching=True)[0]
            ids = _ids(data)
            # A bitmap over the ids: 125 KB per million, where the ids take 8 MB.
            present = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
            present[ids] = True
            return np.packbits(present).tobytes()

        packed = search.cached(self.view.version, ["text-matches", self.library.q], read)
        return np.unpackbits(np.frombuffer(packed, dtype=np.uint8)).view(bool)

    def _text(self):
        """(the snapshot's documents matching the search, as a bitmap packed 8 to a byte,
        so a query costs 120 KB per million documents kept; ids among the overlay)."""
        library = self.library
        snapshot = self.snapshot
        with snapshot.lock:
            base = snapshot.text_matches.get(library.q)
            if base is not None:
                snapshot.text_matches.move_to_end(library.q)
        if base is None:
            # Looked up by id for each document (a gather), not each match's position
            # searched for: under 1 ms where 800,000 binary searches took 20.
            present = self._matches_by_id()
            known = np.searchsorted(snapshot.ids, len(present))
            matching = np.zeros(snapshot.size, dtype=bool)
            matching[:known] = present[snapshot.ids[:known]]
            base = np.packbits(matching)
            with snapshot.lock:
                snapshot.text_matches[library.q] = base
                while len(snapshot.text_matches) > TEXT_CACHE_SIZE:
                    snapshot.text_matches.popitem(last=False)
        overlay = set()
        if self.view.overlay:
            overlay = set(_matching_among(self.view.overlay, library.q))
        return base, overlay

    def _scores(self, candidates):
        """ts_rank of each candidate (resource ids of the snapshot) for the search, as
        PostgreSQL computes it; the scores are kept per snapshot and query, so only
        candidates not scored before are read (their vectors, from the index table)."""
        snapshot = self.snapshot
        q = self.library.q
        with snapshot.lock:
            known = snapshot.rank_scores.get(q)
            if known is None:
                known = snapshot.rank_scores[q] = {}
            snapshot.rank_scores.move_to_end(q)
            while len(snapshot.rank_scores) > TEXT_CACHE_SIZE:
                snapshot.rank_scores.popitem(last=False)
        # One dict lookup a candidate, in C (map), 10,000 of them for a common word.
        ids = candidates.tolist()
        scores = np.array(list(map(known.get, ids)), dtype=np.float64)  # None: NaN
        missing = np.isnan(scores)
        if missing.any():
            read = self._read_scores(candidates[missing].tolist())
            with snapshot.lock:
                known.update(read)
            scores[missing] = [read.get(pk, 0.0) for pk in candidates[missing].tolist()]
        return scores

    def _read_scores(self, ids):
        """{resource id: ts_rank of its vector for the search}, from the index table."""
        query, params = search.tsquery_sql(self.library.q)
        sql = (
            f"SELECT s.resource_id, ts_rank(s.meta_vector, {query})"
            " FROM resources_resourcesearch s WHERE s.resource_id = ANY(%s)"
        )
        return dict(search.fetch(sql, [*params, list(ids)], searching=False))

    def masks(self):
        """(the mask of every filter, by facet name, and the mask every facet shares),
        with the overlay's matches beside them."""
        if hasattr(self, "_masks"):
            return self._masks
        library = self.library
        size = self.snapshot.size
        common = self.view.alive.copy()
        text_overlay = None
        if library.q:
            packed, text_overlay = self._text()
            common &= np.unpackbits(packed, count=size).view(bool)
        by_facet = {
            name: self._field_mask(name, values) for name, values in library.filters.items()
        }
        year = self._year_mask()
        if year is not None:
            by_facet["year"] = year
        self._masks = (by_facet, common, text_overlay)
        return self._masks

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
            self._overlay_rows[without] = self._matching_overlay_rows(without)
        return self._overlay_rows[without]

    def _matching_overlay_rows(self, without):
        library = self.library
        _by, _common, text_overlay = self.masks()
        rows = []
        for row in self.view.overlay.values():
            if text_overlay is not None and row.resource_id not in text_overlay:
                continue
            if not all(
                name == without or not set(values).isdisjoint(row.values(name))
                for name, values in library.filters.items()
            ):
                continue
            if without != "year" and (library.year_from is not None or library.year_to is not None):
                if row.year is None:
                    continue
                if library.year_from is not None and row.year < library.year_from:
                    continue
                if library.year_to is not None and row.year > library.year_to:
                    continue
            rows.append(row)
        return rows

    # answers

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
        matches, as search.LibraryIndex.sql_page_ids ranks)."""
        mask = self.mask_without(None)
        overlay = [row.resource_id for row in self.overlay_rows()]
        searching = sort == "relevance" and self.library.q
        order = self.snapshot.orders["newest" if searching else sort]
        # The snapshot's first documents in order: the page itself, or the window ranked.
        wanted = max(search.RANK_WINDOW, offset + limit) if searching else offset + limit
        candidates = self.snapshot.ids[order[mask[order]][:wanted]]
        if overlay:
            return self._merged_page(candidates, overlay, sort, offset, limit)
        if searching:
            scores = self._scores(candidates)
            # Newest first among equal scores: candidates are in newest order already.
            ranked = candidates[np.argsort(-scores, kind="stable")]
            return ranked[offset : offset + limit].tolist()
        return candidates[offset:].tolist()

    def _newest_with_overlay(self, candidates, overlay):
        """candidates (the snapshot's, in its newest order) and the overlay's matching ids
        together in the newest order, as PostgreSQL would sort them. The overlay rows that
        sort after the last candidate follow it; each of the others goes just after the
        unchanged document before it (one backward step of the newest index, _before_sql),
        rows after the same document in their own order. At most two statements, however
        many the candidates; None when a document PostgreSQL names is not a current one of
        the snapshot (a change not yet seen), for the caller to sort in SQL."""
        snapshot = self.snapshot
        last = candidates[-1:].tolist()
        sql = (
            "SELECT s.resource_id FROM resources_resourcesearch s"
            f" WHERE s.resource_id = ANY(%s) ORDER BY {search.SORTS['newest']}"
        )
        among = [row[0] for row in search.fetch(sql, [[*overlay, *last]], searching=False)]
        if last and last[0] not in among:
            return None
        inside = among[: among.index(last[0])] if last else []
        after = among[len(inside) + len(last) :]
        places = np.zeros(len(inside), dtype=np.float64)
        if inside:
            kinds = {}
            for pk in inside:
                row = self.view.overlay[pk]
                kinds.setdefault((row.year is not None, row.date is not None), []).append(row)
            sql = "WITH changed AS (SELECT %s::bigint[] AS ids) " + " UNION ALL ".join(
                _before_sql(*kind) for kind in kinds
            )
            params = [list(self.view.overlay)]
            for rows in kinds.values():
                params += [[getattr(row, name) for row in rows] for name in ROW_PLACE]
            before = dict(search.fetch(sql, params, searching=False))
            rank = snapshot.newest_rank()
            for i, pk in enumerate(inside):
                if before[pk] is None:
                    places[i] = -0.5
                    continue
                at = snapshot.positions([before[pk]])
                if not len(at) or not self.view.alive[at[0]]:
                    return None
                places[i] = rank[at[0]] + 0.5
            ranks = rank[snapshot.positions(candidates)].astype(np.float64)
            # By place; among rows at the same place, in their own newest order (stable).
            order = np.argsort(np.concatenate([ranks, places]), kind="stable")
            candidates = np.concatenate([candidates, np.array(inside, dtype=np.int64)])[order]
        return np.concatenate([candidates, np.array(after, dtype=np.int64)])

    def _merged_page(self, candidates, overlay, sort, offset, limit):
        """A page when changed resources (the overlay) match too: where they fall among
        the snapshot's documents is PostgreSQL's to say (collation, ranking), so it orders
        the snapshot's first candidates and the overlay's matches together. Exact: no
        document past the snapshot's first offset + limit (or window) can be on the page."""
        ids = [*candidates.tolist(), *overlay]
        if sort == "relevance" and self.library.q:
            window = max(search.RANK_WINDOW, offset + limit)
            ordered = self._newest_with_overlay(candidates, overlay)
            if ordered is None:
                sql = (
                    "SELECT s.resource_id FROM resources_resourcesearch s"
                    f" WHERE s.resource_id = ANY(%s) ORDER BY {search.SORTS['newest']}"
                )
                rows = search.fetch(sql, [ids], searching=False)
                ordered = np.array([row[0] for row in rows], dtype=np.int64)
            ordered = ordered[:window]
            changed = np.isin(ordered, np.array(overlay, dtype=np.int64))
            scores = np.zeros(len(ordered), dtype=np.float64)
            scores[~changed] = self._scores(ordered[~changed])
            if changed.any():
                # The overlay's own scores, read afresh: their vectors have changed.
                fresh = self._read_scores(ordered[changed].tolist())
                scores[changed] = [fresh.get(pk, 0.0) for pk in ordered[changed].tolist()]
            ranked = ordered[np.argsort(-scores, kind="stable")]
            return ranked[offset : offset + limit].tolist()
        sql = (
            "SELECT s.resource_id FROM resources_resourcesearch s"
            f" WHERE s.resource_id = ANY(%s) ORDER BY {search.SORTS[sort]} LIMIT %s OFFSET %s"
        )
        params = [ids, limit, offset]
        return [row[0] for row in search.fetch(sql, params, searching=False)]


# What _before_sql reads of a row, in the order of its arrays.
ROW_PLACE = ("resource_id", "year", "date", "title")
# The newest order read backwards, as its index holds it: what comes just before a place.
NEWEST_BACKWARDS = (
    "s.year ASC NULLS FIRST, s.date ASC NULLS FIRST, s.title DESC, s.resource_id DESC"
)


def _before_sql(year_known, date_known):
    """SQL giving, for each of a set of rows (o: id, year, date, title, from arrays), the
    id of the unchanged document just before it in the newest order (year and date
    descending, then title; NULL if it comes first): one backward step of the newest
    index from the row's place, in whichever of three ranges holds it (the same year and
    date with an earlier title; the same year with a later date; a later year). One query
    per kind of row, those whose year and date are known or missing, as those ranges'
    conditions differ: planned once, however many rows (a statement per row took PostgreSQL
    longer to plan than the sort it replaces)."""
    same_year = "s.year = o.year" if year_known else "s.year IS NULL"
    same_date = "s.date = o.date" if date_known else "s.date IS NULL"
    later_year = "s.year > o.year" if year_known else "s.year IS NOT NULL"
    later_date = "s.date > o.date" if date_known else "s.date IS NOT NULL"
    ranges = [
        f"{same_year} AND {same_date} AND (s.title, s.resource_id) < (o.title, o.id)",
        f"{same_year} AND {later_date}",
        later_year,
    ]
    steps = " UNION ALL ".join(
        "(SELECT s.resource_id FROM resources_resourcesearch s"
        f" WHERE {where} AND s.resource_id <> ALL((SELECT ids FROM changed)::bigint[])"
        f" ORDER BY {NEWEST_BACKWARDS} LIMIT 1)"
        for where in ranges
    )
    return (
        f"SELECT o.id, (SELECT resource_id FROM ({steps}) p LIMIT 1)"
        " FROM unnest(%s::bigint[], %s::int[], %s::date[], %s::text[]) AS o(id, year, date, title)"
    )


def _top_candidates(counts, nonzero, top, slack):
    """The values (positions among nonzero) that can be among the top counts once slack
    more documents, the overlay's, add one each: ties included, a few dozen of 2,000 tags
    where sorting them all was a tenth of a page's Python time."""
    if len(nonzero) <= top:
        return nonzero
    kth = np.partition(counts[nonzero], -top)[-top]
    return nonzero[counts[nonzero] >= kth - slack]


def related_passes(pk, limit, version=None):
    """search.related_ids's passes on the facet index, or None where it is off: each a
    function returning ids, scored exactly as search.RELATED_SQL scores them."""
    if not enabled():
        return None
    if version is None:
        version = search.content_version()
    view = process_index().current(version)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT countries, themes, tags FROM resources_resourcesearch WHERE resource_id = %s",
            [pk],
        )
        row = cursor.fetchone()
    if row is None:
        return ()
    me = {"country": row[0] or [], "theme": row[1] or [], "tag": row[2] or []}
    snapshot = view.snapshot

    def run(shared, facets):
        mask = view.alive.copy()
        shares = np.zeros(snapshot.size, dtype=bool)
        for name in facets:
            shares |= snapshot.postings[name].mask(me[name], snapshot.size)
        mask &= shares
        mask[snapshot.positions([pk])] = False
        order = snapshot.orders["newest"]
        window = order[mask[order]][: search.RELATED_WINDOW]
        overlay = [
            row.resource_id
            for row in view.overlay.values()
            if row.resource_id != pk
            and any(not set(me[name]).isdisjoint(row.values(name)) for name in facets)
        ]
        if overlay:
            # Where changed resources fall among the window is PostgreSQL's to say.
            among = [*snapshot.ids[window].tolist(), *overlay]
            return search.related_pass_ids(pk, shared, limit, among=among)
        score = np.zeros(snapshot.size, dtype=np.int16)
        for name in ("tag", "country", "theme"):
            postings = snapshot.postings[name]
            for value in me[name]:
                i = postings.index.get(value)
                if i is not None:
                    score[postings.docs[postings.offsets[i] : postings.offsets[i + 1]]] += 1
        # Newest first among equal scores: the window is in newest order already.
        ranked = window[np.argsort(-score[window], kind="stable")][:limit]
        return snapshot.ids[ranked].tolist()

    return [lambda s=shared, f=facets: run(s, f) for shared, facets in search.RELATED_PASSES]


def preload(log=logger):
    """Read the facet index now (gunicorn's master does, before it forks its workers), and
    leave no database connection open behind it. A failure is logged: the workers then
    read it at their first request."""
    try:
        if enabled():
            started = time.monotonic()
            view = process_index().current(search.content_version())
            log.info(
                "facet index: %s resources read before the workers start (%.1f s)",
                view.snapshot.size,
                time.monotonic() - started,
            )
    except Exception:
        log.exception("facet index: not read at start; the workers will read it")
    finally:
        connections.close_all()


def published_count(version=None):
    """How many resources are published, counted on this process's view (none read from
    the database once it is current), or None where the facet index is off."""
    if not enabled():
        return None
    view = process_index().current(search.content_version() if version is None else version)
    return int(np.count_nonzero(view.alive)) + len(view.overlay)


def query(library):
    """A Query for library's state on this process's current view, or None when the
    facet index is off (the SQL of LibraryIndex answers then)."""
    if not enabled():
        return None
    version = library.version if library.version is not None else search.content_version()
    return Query(library, process_index().current(version))
