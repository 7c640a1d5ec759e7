"""The text search's part of the facet index: which documents match a search and how they
score, asked of PostgreSQL's text index and kept per snapshot.

Which documents of a snapshot match a query is kept as a bitmap (TEXT_CACHE_SIZE queries),
with the relevance scores already read; the matches are also shared between processes
through the cache, under the content version. A change only moves documents to the
overlay, whose matches are asked again.
"""

import numpy as np

from ..db import fetch, id_array
from ..tsquery import rank_queries, tsquery_sql, weighted_rank
from ..version import cached
from .postings import int8s

TEXT_CACHE_SIZE = 64


def matching_among(ids, q):
    """The ids among ids whose documents match the search q, from the text index."""
    query, params = tsquery_sql(q, distinct=True)
    sql = (
        "SELECT s.resource_id FROM resources_resourcesearch s"
        f" WHERE s.resource_id = ANY(%s::bigint[]) AND s.vector @@ {query}"
    )
    return [row[0] for row in fetch(sql, [id_array(ids), *params], searching=True)]


def matches_by_id(version, q):
    """Which resources match the search, as a boolean array over resource ids: from
    the shared cache (Redis, across workers and servers), keyed by the content version
    like every cached part of the library, else from PostgreSQL's text index (the
    costliest read of a page for a word in most of the library: docs/performance.md)."""
    query, params = tsquery_sql(q, distinct=True)

    def read():
        sql = (
            "SET LOCAL work_mem = '64MB'; SELECT string_agg(int8send(s.resource_id),"
            f" ''::bytea) FROM resources_resourcesearch s WHERE s.vector @@ {query}"
        )
        (data,) = fetch(sql, params, searching=True)[0]
        ids = int8s(data)
        # A bitmap over the ids: 125 KB per million, where the ids take 8 MB.
        present = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
        present[ids] = True
        return np.packbits(present).tobytes()

    packed = cached(version, ["text-matches", q], read)
    return np.unpackbits(np.frombuffer(packed, dtype=np.uint8)).view(bool)


def _recalled(entries, q):
    """What entries (a snapshot's text_matches or rank_scores; the caller holds its lock)
    keep for the search q, now the most recently used, or None."""
    found = entries.get(q)
    if found is not None:
        entries.move_to_end(q)
    return found


def _remember(entries, q, value):
    """Keep value for the search q in entries (the caller holds the snapshot's lock),
    the least recently used dropped past TEXT_CACHE_SIZE searches."""
    entries[q] = value
    entries.move_to_end(q)
    while len(entries) > TEXT_CACHE_SIZE:
        entries.popitem(last=False)


def kept_matches(snapshot, q, read):
    """The snapshot's documents matching the search q, packed 8 to a byte (120 KB per
    million documents kept): kept with the snapshot, else read() (a boolean array over
    its documents) and kept."""
    with snapshot.lock:
        packed = _recalled(snapshot.text_matches, q)
    if packed is None:
        packed = np.packbits(read())
        with snapshot.lock:
            _remember(snapshot.text_matches, q, packed)
    return packed


def text_matches(view, q):
    """(the snapshot's documents matching the search, packed; ids among the overlay)."""
    snapshot = view.snapshot

    def read():
        # Looked up by id for each document (a gather), not each match's position
        # searched for: one vectorised gather rather than a binary search per match.
        present = matches_by_id(view.version, q)
        known = np.searchsorted(snapshot.ids, len(present))
        matching = np.zeros(snapshot.size, dtype=bool)
        matching[:known] = present[snapshot.ids[:known]]
        return matching

    base = kept_matches(snapshot, q, read)
    overlay = set()
    if view.overlay:
        overlay = set(matching_among(view.overlay, q))
    return base, overlay


_NONE_SCORED = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def scores(snapshot, q, candidates, read=None):
    """The relevance score of each candidate (resource ids of the snapshot) for the
    search, higher first: ts_rank as PostgreSQL computes it (read_scores), or what read
    gives ({resource id: score} for a list of ids). The scores are kept per snapshot and
    query, so only candidates not scored before are read (their vectors, from the index
    table). Kept as two arrays, the ids scored in order and their scores: 16 bytes a
    score, where a dict of Python numbers took about a hundred (a worker kept 770,000 of
    them)."""
    with snapshot.lock:
        known = _recalled(snapshot.rank_scores, q)
        if known is None:
            known = _NONE_SCORED
            _remember(snapshot.rank_scores, q, known)
    found, missing = _looked_up(known, candidates)
    if missing.any():
        asked = candidates[missing]
        read = (read or read_scores)(q, asked.tolist())
        found[missing] = [read.get(pk, 0.0) for pk in asked.tolist()]
        keep_scores(snapshot, q, read)
    return found


def keep_scores(snapshot, q, read):
    """Keep the scores read ({resource id: score}) with those kept for the search."""
    read_ids = np.fromiter(read, dtype=np.int64, count=len(read))
    read_values = np.fromiter(read.values(), dtype=np.float64, count=len(read))
    order = np.argsort(read_ids)
    read_ids, read_values = read_ids[order], read_values[order]
    with snapshot.lock:
        # What is kept now (another thread may have scored some of these meanwhile),
        # with the new ones inserted in their places: each id once, in order.
        kept_ids, kept_scores = snapshot.rank_scores.get(q, _NONE_SCORED)
        _, new = _looked_up((kept_ids, kept_scores), read_ids)
        at = np.searchsorted(kept_ids, read_ids[new])
        merged = (
            np.insert(kept_ids, at, read_ids[new]),
            np.insert(kept_scores, at, read_values[new]),
        )
        _remember(snapshot.rank_scores, q, merged)


def _looked_up(known, candidates):
    """(each candidate's kept score, NaN where none is kept; which have none)."""
    ids, kept = known
    found = np.full(len(candidates), np.nan, dtype=np.float64)
    if len(ids):
        at = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
        hit = ids[at] == candidates
        found[hit] = kept[at[hit]]
    else:
        hit = np.zeros(len(candidates), dtype=bool)
    return found, ~hit


# {search: its ranking tsqueries as PostgreSQL read them, [(weight, tsquery as text)]}:
# they depend on the thesaurus and PostgreSQL's dictionaries alone, so each is kept for
# the process's life (up to KEPT_RANK_QUERIES searches).
_rank_queries = {}
KEPT_RANK_QUERIES = 256


def read_scores(q, ids):
    """{resource id: ts_rank of its vector for the search}, from the ranking vectors.

    The first read of a search also returns its ranking queries (tsquery.rank_queries) as
    PostgreSQL read them; later reads pass them as text. Planning the 160 readings of an
    expanded search anew took 12 ms of every statement, most of the time of one that
    scored a few documents. The ids go as one array's text and the scores come back as
    one value of packed pairs (_scored): scoring a window of 10,000 with a list and rows
    cost the app 39 ms of CPU, this way 6 (docs/performance.md)."""
    known = _rank_queries.get(q)
    if known is not None:
        rank = weighted_rank("s.meta_vector", [(weight, "%s::tsquery") for weight, _t in known])
        sql = f"SELECT {_PAIRS.format(rank=rank)} FROM {_VECTORS} WHERE {_AMONG}"
        rows = fetch(sql, [*(text for _w, text in known), id_array(ids)], searching=False)
        return _scored(rows[0][0])
    parts = rank_queries(q)
    weights = [weight for weight, _query, _params in parts]
    names = [f"w.q{n}" for n in range(len(parts))]
    rank = weighted_rank("s.meta_vector", list(zip(weights, names, strict=True)))
    queries = ", ".join(f"{query} AS q{n}" for n, (_w, query, _p) in enumerate(parts))
    texts = ", ".join(f"{name}::text" for name in names)
    sql = (
        f"WITH w AS (SELECT {queries}) SELECT (SELECT {_PAIRS.format(rank=rank)}"
        f" FROM {_VECTORS} WHERE {_AMONG}), {texts} FROM w"
    )
    params = [param for _weight, _query, part_params in parts for param in part_params]
    data, *read = fetch(sql, [*params, id_array(ids)], searching=False)[0]
    if len(_rank_queries) >= KEPT_RANK_QUERIES:
        _rank_queries.clear()
    _rank_queries[q] = tuple(zip(weights, read, strict=True))
    return _scored(data)


# The ranking vectors, each in its row (migration 0020): the index table keeps them out
# of line, which cost a window of 10,000 twice the time to read.
_VECTORS = "resources_rankvector s"
# The documents scored, and each one's id and score packed as two big-endian 8-byte
# numbers, the score as the double PostgreSQL computes (ts_rank's real widened exactly).
_AMONG = "s.resource_id = ANY(%s::bigint[])"
_PAIRS = "string_agg(int8send(s.resource_id) || float8send(({rank})::float8), ''::bytea)"
_PAIR = np.dtype([("id", ">i8"), ("score", ">f8")])


def _scored(data):
    """{resource id: score} of the pairs packed by _PAIRS (None: no document scored)."""
    pairs = np.frombuffer(bytes(data or b""), dtype=_PAIR)
    return dict(zip(pairs["id"].tolist(), pairs["score"].tolist(), strict=True))
