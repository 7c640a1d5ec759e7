"""The overlay: the current rows of the resources changed since a snapshot was read, kept
beside it and counted in Python (a handful of rows), matched against a page state, and
placed among the snapshot's documents in the newest order for the relevance window."""

import datetime
from dataclasses import dataclass

import numpy as np

from resources.sorts import NEWEST

from ..db import fetch, id_array


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
    # Last, with a default: rows written before the facet existed read the same.
    organisation: frozenset = frozenset()

    def values(self, name):
        if name == "type":
            return (self.type,)
        if name == "language":
            return (self.language,)
        return getattr(self, name)


ROW_SQL = (
    "SELECT resource_id, year, date, title, resource_type, language, countries, themes,"
    " commodities, tags, organisations FROM resources_resourcesearch"
    " WHERE resource_id = ANY(%s::bigint[])"
)


def read_rows(cursor, ids):
    """{resource id: Row} of the current index rows of ids."""
    cursor.execute(ROW_SQL, [id_array(ids)])
    return {
        r[0]: Row(r[0], r[1], r[2], r[3], r[4], r[5], *(frozenset(a or ()) for a in r[6:]))
        for r in cursor.fetchall()
    }


def matching_rows(rows, library, text_overlay, without):
    """The rows among rows (the overlay's) matching every filter of library but without's,
    and the search (text_overlay: the ids among them that match it, None: no search)."""
    matching = []
    for row in rows:
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
        matching.append(row)
    return matching


def newest_with_overlay(view, candidates, overlay):
    """candidates (the snapshot's, in its newest order) and the overlay's matching ids
    together in the newest order, as PostgreSQL would sort them. The overlay rows that
    sort after the last candidate follow it; each of the others goes just after the
    unchanged document before it (one backward step of the newest index, before_sql),
    rows after the same document in their own order. At most two statements, however
    many the candidates; None when a document PostgreSQL names is not a current one of
    the snapshot (a change not yet seen), for the caller to sort in SQL."""
    snapshot = view.snapshot
    last = candidates[-1:].tolist()
    sql = (
        "SELECT s.resource_id FROM resources_resourcesearch s"
        f" WHERE s.resource_id = ANY(%s::bigint[]) ORDER BY {NEWEST.sql()}"
    )
    among = [row[0] for row in fetch(sql, [id_array([*overlay, *last])], searching=False)]
    if last and last[0] not in among:
        return None
    inside = among[: among.index(last[0])] if last else []
    after = among[len(inside) + len(last) :]
    places = np.zeros(len(inside), dtype=np.float64)
    if inside:
        kinds = {}
        for pk in inside:
            row = view.overlay[pk]
            kinds.setdefault((row.year is not None, row.date is not None), []).append(row)
        sql = "WITH changed AS (SELECT %s::bigint[] AS ids) " + " UNION ALL ".join(
            before_sql(*kind) for kind in kinds
        )
        params = [id_array(view.overlay)]
        for rows in kinds.values():
            params += [[getattr(row, name) for row in rows] for name in ROW_PLACE]
        before = dict(fetch(sql, params, searching=False))
        rank = snapshot.newest_rank()
        for i, pk in enumerate(inside):
            if before[pk] is None:
                places[i] = -0.5
                continue
            at = snapshot.positions([before[pk]])
            if not len(at) or not view.alive[at[0]]:
                return None
            places[i] = rank[at[0]] + 0.5
        ranks = rank[snapshot.positions(candidates)].astype(np.float64)
        # By place; among rows at the same place, in their own newest order (stable).
        order = np.argsort(np.concatenate([ranks, places]), kind="stable")
        candidates = np.concatenate([candidates, np.array(inside, dtype=np.int64)])[order]
    return np.concatenate([candidates, np.array(after, dtype=np.int64)])


# What before_sql reads of a row, in the order of its arrays.
ROW_PLACE = ("resource_id", "year", "date", "title")


def before_sql(year_known, date_known):
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
        f" ORDER BY {NEWEST.sql(backwards=True)} LIMIT 1)"
        for where in ranges
    )
    return (
        f"SELECT o.id, (SELECT resource_id FROM ({steps}) p LIMIT 1)"
        " FROM unnest(%s::bigint[], %s::int[], %s::date[], %s::text[]) AS o(id, year, date, title)"
    )
