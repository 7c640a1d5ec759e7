"""Searches carried from a snapshot to the fresh one that replaces it, so that a reload
does not make every common search cold again: only the documents changed in between are
asked of the text index again."""

import time

import numpy as np

from . import changelog
from .text import matching_among


def carry(cursor, previous, snapshot):
    """Give snapshot the text matches and relevance scores previous had, so that a
    reload (every few minutes while curators work) does not make every common search
    cold again (a new search is the slowest request: docs/performance.md). A document
    that did not change between the two snapshots matches a search, and scores, as it
    did; the ones that changed (the log since previous was read: every transaction not
    in it has an xid at least its xmin) are asked again, in the transaction snapshot is
    read in.
    Returns the number of searches carried."""
    if previous is None or previous.generation != snapshot.generation:
        return 0
    if time.time() - previous.read_at > changelog.MAX_SNAPSHOT_AGE:
        return 0  # the log it would need may be pruned
    with previous.lock:
        matches = list(previous.text_matches.items())
        scores = list(previous.rank_scores.items())  # (ids, scores): arrays never changed
    if not matches and not scores:
        return 0
    cursor.execute(
        "SELECT DISTINCT resource_id FROM resources_searchchange WHERE xid >= %s",
        [previous.low_water],
    )
    changed = sorted(row[0] for row in cursor.fetchall())
    if len(changed) > changelog.OVERLAY_LIMIT:
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
            matching[snapshot.positions(matching_among(changed, q))] = True
        snapshot.text_matches[q] = np.packbits(matching)
    gone = np.array(changed, dtype=np.int64)
    for q, (ids, kept) in scores:
        unchanged = ~np.isin(ids, gone)
        snapshot.rank_scores[q] = (ids[unchanged], kept[unchanged])
    return len(matches)
