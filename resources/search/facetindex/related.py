"""Related resources on the facet index: the SQL's passes (related_sql.py) answered from
the snapshot's postings, scored exactly as the SQL scores them."""

import numpy as np
from django.db import connection

from .. import related_sql
from ..version import content_version
from .state import process_index


def related_passes(pk, limit, version=None):
    """The related passes on the facet index: each a function returning ids, scored
    exactly as related_sql.RELATED_SQL scores them."""
    if version is None:
        version = content_version()
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

    def run(shared, facets):
        positions = window(view, pk, me, facets)
        overlay = changed_sharing(view, pk, me, facets)
        if overlay:
            # Where changed resources fall among the window is PostgreSQL's to say.
            among = [*view.snapshot.ids[positions].tolist(), *overlay]
            return related_sql.related_pass_ids(pk, shared, limit, among=among)
        return ranked(view.snapshot, me, positions, limit)

    return [lambda s=shared, f=facets: run(s, f) for shared, facets in related_sql.RELATED_PASSES]


def window(view, pk, me, facets):
    """Positions of the RELATED_WINDOW newest current documents of view other than pk that
    share a value of facets with me ({facet: values}), in the newest order."""
    snapshot = view.snapshot
    mask = view.alive.copy()
    shares = np.zeros(snapshot.size, dtype=bool)
    for name in facets:
        shares |= snapshot.postings[name].mask(me[name], snapshot.size)
    mask &= shares
    mask[snapshot.positions([pk])] = False
    order = snapshot.orders["newest"]
    return order[mask[order]][: related_sql.RELATED_WINDOW]


def changed_sharing(view, pk, me, facets):
    """The ids of the overlay's rows other than pk sharing a value of facets with me."""
    return [
        row.resource_id
        for row in view.overlay.values()
        if row.resource_id != pk
        and any(not set(me[name]).isdisjoint(row.values(name)) for name in facets)
    ]


def ranked(snapshot, me, positions, limit):
    """The ids of the first limit documents at positions (in the newest order) sharing
    the most tags, countries and themes with me, newest first among equals."""
    score = np.zeros(snapshot.size, dtype=np.int16)
    for name in ("tag", "country", "theme"):
        postings = snapshot.postings[name]
        for value in me[name]:
            i = postings.index.get(value)
            if i is not None:
                score[postings.docs[postings.offsets[i] : postings.offsets[i + 1]]] += 1
    # Newest first among equal scores: the positions are in newest order already.
    best = positions[np.argsort(-score[positions], kind="stable")][:limit]
    return snapshot.ids[best].tolist()
