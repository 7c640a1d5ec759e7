"""A snapshot: the published resources' filter values at one moment, as columns.

It holds the sorted resource ids; for each array facet (country, theme, commodity, tag) the
documents of every value (Postings); type, language and year as one small integer per
document (Codes); and the three sort orders as permutations. ``load`` reads it in one
REPEATABLE READ transaction with a few aggregate statements.
"""

import logging
import threading
import time
from collections import OrderedDict

import numpy as np
from django.db import connection, transaction

from resources.sorts import SORTS

from ..columns import FACET_COLUMNS, SCALAR_COLUMNS
from . import changelog
from .carry import carry
from .postings import Codes, Postings, int8s, int16s

logger = logging.getLogger(__name__)

ARRAY_FACETS = ("country", "theme", "commodity", "tag", "organisation")
SCALAR_FACETS = ("type", "language")


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

    @classmethod
    def build(cls, *, ids, arrays, scalars, years, orders, **moment):
        """A snapshot of columns given by resource id: ids sorted; arrays and scalars map
        each facet to (value, ids carrying it) pairs in value order; years one a document
        (0: none); orders (sort, ids in that order) pairs; moment the rest of __init__'s
        arguments. load reads them from PostgreSQL, from_rows from rows in memory: both
        build here, one facet at a time (each read as the build reaches it)."""
        size = len(ids)

        def positions(found):
            return np.searchsorted(ids, found).astype(np.int32)

        postings = {}
        for name in ARRAY_FACETS:
            values, parts = [], []
            for value, found in arrays[name]:
                values.append(value)
                # In document order: the gathers that count them then read memory in order.
                parts.append(np.sort(positions(found)))
            lengths = np.array([len(part) for part in parts], dtype=np.int64)
            offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
            docs = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            postings[name] = Postings(values, offsets, docs, size)
        codes = {}
        for name in SCALAR_FACETS:
            values = []
            column_codes = np.zeros(size, dtype=np.int16)
            for code, (value, found) in enumerate(scalars[name]):
                values.append(value)
                column_codes[positions(found)] = code
            codes[name] = Codes(values, column_codes)
        return cls(
            ids=ids,
            postings=postings,
            codes=codes,
            years=years,
            orders={name: positions(found) for name, found in orders},
            **moment,
        )

    @classmethod
    def from_rows(cls, rows, *, generation=0, started=0.0):
        """A snapshot of rows (overlay.Row, or anything with its attributes and values()),
        grouped and sorted in Python as load's statements group and sort them in SQL
        (titles compared as Python strings, where PostgreSQL uses its collation)."""
        rows = sorted(rows, key=lambda row: row.resource_id)
        ids = np.array([row.resource_id for row in rows], dtype=np.int64)

        def grouped(name):
            found = {}
            for row in rows:
                for value in row.values(name):
                    found.setdefault(value, []).append(row.resource_id)
            return [
                (value, np.array(each, dtype=np.int64)) for value, each in sorted(found.items())
            ]

        return cls.build(
            ids=ids,
            arrays={name: grouped(name) for name in ARRAY_FACETS},
            scalars={name: grouped(name) for name in SCALAR_FACETS},
            years=np.array([row.year or 0 for row in rows], dtype=np.int16),
            orders=[
                (name, np.array([row.resource_id for row in sorted(rows, key=sort.key)]))
                for name, sort in SORTS.items()
            ],
            generation=generation,
            low_water=0,
            seen=(),
            started=started,
        )

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
        current = changelog.generation()
        # Every transaction older than the snapshot's xmin is in it; the log entries of
        # the ones since (committed or not yet) are read at the next sync.
        cursor.execute(f"SELECT {changelog.XMIN_SQL}")
        low_water = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM resources_searchchange WHERE xid >= %s", [low_water])
        seen = [row[0] for row in cursor.fetchall()]
        cursor.execute(LOAD_SQL["ids"])
        ids = int8s(cursor.fetchone()[0])
        cursor.execute(LOAD_SQL["years"])
        years = int16s(cursor.fetchone()[0])

        def grouped(sql):
            cursor.execute(sql)
            for value, data in cursor.fetchall():
                yield value, int8s(data)

        def ordered():
            for name, sort in SORTS.items():
                cursor.execute(LOAD_SQL["order"].format(order=sort.sql("")))
                yield name, int8s(cursor.fetchone()[0])

        snapshot = Snapshot.build(
            ids=ids,
            arrays={
                name: grouped(LOAD_SQL["array"].format(column=FACET_COLUMNS[name]))
                for name in ARRAY_FACETS
            },
            scalars={
                name: grouped(LOAD_SQL["scalar"].format(column=SCALAR_COLUMNS[name]))
                for name in SCALAR_FACETS
            },
            years=years,
            orders=ordered(),
            generation=current,
            low_water=low_water,
            seen=seen,
            started=started,
        )
        carried = carry(cursor, previous, snapshot)
    logger.info(
        "facet index: loaded %s resources in %.0f ms (%s searches carried over)",
        snapshot.size,
        (time.monotonic() - started) * 1000,
        carried,
    )
    return snapshot
