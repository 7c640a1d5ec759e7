"""Related resources on the facet index: the SQL's passes (related_sql.py) answered from
the snapshot's postings, scored exactly as the SQL scores them."""

import numpy as np
from django.db import connection

from .. import related_sql
from ..version import content_version
from .state import enabled, process_index


def related_passes(pk, limit, version=None):
    """related.related_ids's passes on the facet index, or None where it is off: each a
    function returning ids, scored exactly as related_sql.RELATED_SQL scores them."""
    if not enabled():
        return None
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
    snapshot = view.snapshot

    def run(shared, facets):
        mask = view.alive.copy()
        shares = np.zeros(snapshot.size, dtype=bool)
        for name in facets:
            shares |= snapshot.postings[name].mask(me[name], snapshot.size)
        mask &= shares
        mask[snapshot.positions([pk])] = False
        order = snapshot.orders["newest"]
        window = order[mask[order]][: related_sql.RELATED_WINDOW]
        overlay = [
            row.resource_id
            for row in view.overlay.values()
            if row.resource_id != pk
            and any(not set(me[name]).isdisjoint(row.values(name)) for name in facets)
        ]
        if overlay:
            # Where changed resources fall among the window is PostgreSQL's to say.
            among = [*snapshot.ids[window].tolist(), *overlay]
            return related_sql.related_pass_ids(pk, shared, limit, among=among)
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

    return [lambda s=shared, f=facets: run(s, f) for shared, facets in related_sql.RELATED_PASSES]
