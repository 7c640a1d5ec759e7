"""One state of the library page on SQLite: its count, facet counts and pages counted on the
columns kept in memory (fts_columns.py), with the search matched and ranked by the FTS5
index (fts_index.py); the ORM's querysets (orm_library.py) find the resources a search
matches elsewhere (the API, feeds)."""

from django.db import connection
from django.db.models.expressions import RawSQL

from resources.sorts import NEWEST

from . import columns, fts_columns
from .columns import EQUIVALENT_WEIGHT
from .fts_index import RANK, TABLE
from .fts_words import match_expression
from .orm_library import OrmLibrary

MATCHED = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"


def matching(queryset, text):
    """The resources of queryset the search text finds in the index."""
    expression = match_expression(text)
    if not expression:
        return queryset.none()
    return queryset.filter(pk__in=RawSQL(MATCHED, [expression]))


class FtsLibrary(OrmLibrary):
    """A library state on SQLite: relevance is bm25 over the weighted columns (a match by
    a thesaurus equivalent alone a little lower), ties to the newest, as PostgreSQL's
    ts_rank (library.py)."""

    def matching(self, queryset):
        return matching(queryset, self.q)

    def counted(self):
        """This state counted on the columns (read once per state)."""
        if not hasattr(self, "_counted"):
            self._counted = fts_columns.query(self)
        return self._counted

    def count(self):
        return self.counted().count()

    def facet_counts(self):
        return self.counted().facet_counts()

    def page_ids(self, sort, offset, limit):
        return self.counted().page_ids(sort, offset, limit)

    # The same answers from SQL: the reference the columns are tested against.

    def sql_count(self):
        return super().count()

    def sql_facet_counts(self):
        return super().facet_counts()

    def sql_page_ids(self, sort, offset, limit):
        if sort != "relevance" or not self.q:
            return super().page_ids(sort, offset, limit)
        expression = match_expression(self.q)
        if not expression:
            return []
        filtered, params = self.resources().values("pk").query.sql_with_params()
        # bm25 is negative, lower first: an equivalent's match is scaled towards zero.
        exact = match_expression(self.q, thesaurus=False)
        rank = (
            f"{RANK} * CASE WHEN r.id IN ({MATCHED}) THEN 1 ELSE {EQUIVALENT_WEIGHT} END"
            if exact and exact != expression
            else RANK
        )
        rank_params = [exact] if rank != RANK else []
        # Ranked among the RANK_WINDOW newest matches, as on PostgreSQL (library.py).
        window = max(columns.RANK_WINDOW, offset + limit)
        sql = (
            "SELECT s.resource_id FROM (SELECT * FROM (SELECT r.id AS resource_id, r.year,"
            f" r.date, r.title, {rank} AS rank FROM {TABLE}"
            f" JOIN resources_resource r ON r.id = {TABLE}.rowid"
            f" WHERE {TABLE} MATCH %s AND r.id IN ({filtered})) m"
            f" ORDER BY {NEWEST.sql('m')} LIMIT %s) s"
            f" ORDER BY s.rank, {NEWEST.sql()} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*rank_params, expression, *params, window, limit, offset])
            return [row[0] for row in cursor.fetchall()]
