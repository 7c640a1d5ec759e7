"""Related resources in SQL: the passes the facet index is compared with, and what
answers where the facet index is off. A pass scores, among the RELATED_WINDOW newest
resources sharing a tag (or a country or theme), how many of them each shares."""

from django.db import connection

from resources.sorts import NEWEST

# Related resources are scored among at most this many of the newest candidates.
RELATED_WINDOW = 2000

RELATED_SQL = f"""
    WITH me AS (SELECT countries, themes, tags FROM resources_resourcesearch
                WHERE resource_id = %(pk)s),
    window_ AS (
        SELECT s.* FROM resources_resourcesearch s, me
        WHERE s.resource_id <> %(pk)s AND {{shared}} {{among}}
        ORDER BY {NEWEST.sql("s")}
        LIMIT %(window)s)
    SELECT w.resource_id FROM window_ w, me
    ORDER BY cardinality(ARRAY(SELECT unnest(w.tags) INTERSECT SELECT unnest(me.tags)))
        + cardinality(ARRAY(SELECT unnest(w.countries) INTERSECT SELECT unnest(me.countries)))
        + cardinality(ARRAY(SELECT unnest(w.themes) INTERSECT SELECT unnest(me.themes)))
        DESC, {NEWEST.sql("w")}
    LIMIT %(limit)s
"""
# Scored first among the resources sharing a tag, then among those sharing a country or
# a theme: (SQL condition, the facets it names).
RELATED_PASSES = (
    ("s.tags && me.tags", ("tag",)),
    ("(s.countries && me.countries OR s.themes && me.themes)", ("country", "theme")),
)


def related_pass_ids(pk, shared, limit, among=None):
    """One pass of related resources in SQL, among the ids among (all when None)."""
    params = {"pk": pk, "window": RELATED_WINDOW, "limit": limit, "among": among}
    condition = "AND s.resource_id = ANY(%(among)s)" if among is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(RELATED_SQL.format(shared=shared, among=condition), params)
        return [row[0] for row in cursor.fetchall()]
