"""One state of the library page (filters, years, a search) read from the index table in
SQL: its count, facet counts and pages. The reference the other backends are tested
against, and the PostgreSQL backend's answer."""

from resources.sorts import NEWEST, SORTS

from . import columns
from .columns import FACET_COLUMNS, SCALAR_COLUMNS
from .db import fetch
from .state import LibraryState
from .tsquery import rank_sql, tsquery_sql


class LibraryIndex(LibraryState):
    """The library's filters, counts, facets and pages read from the index table (see
    LibraryState); each facet is counted with every filter but its own, in one statement."""

    def where(self, without=None, text=True):
        """SQL conditions on the index row s, and parameters, leaving out facet without
        (and the text search unless text)."""
        clauses, params = ["TRUE"], []
        for name, values in self.filters.items():
            if name == without:
                continue
            if name in FACET_COLUMNS:
                clauses.append(f"s.{FACET_COLUMNS[name]} && %s::text[]")
            else:
                clauses.append(f"s.{SCALAR_COLUMNS[name]} = ANY(%s)")
            params.append(values)
        if without != "year":
            if self.year_from is not None:
                clauses.append("s.year >= %s")
                params.append(self.year_from)
            if self.year_to is not None:
                clauses.append("s.year <= %s")
                params.append(self.year_to)
        if self.q and text:
            query, query_params = tsquery_sql(self.q)
            clauses.append(f"s.vector @@ {query}")
            params += query_params
        return " AND ".join(clauses), params

    def count(self):
        return self.sql_count()

    def sql_count(self):
        where, params = self.where()
        sql = f"SELECT count(*) FROM resources_resourcesearch s WHERE {where}"
        return fetch(sql, params, searching=bool(self.q))[0][0]

    def facet_counts(self):
        """{facet: [(value, count), …]} and the total."""
        return self.sql_facet_counts()

    def sql_facet_counts(self):
        """{facet: [(value, count), …]} and the total, from one statement.

        With a text search, the matching rows' facet columns are gathered once (the only
        part that reads the text index) and every facet is counted from them."""
        selects, params = [], []
        source = "resources_resourcesearch"
        prefix, prefix_params = "", []
        if self.q:
            query, prefix_params = tsquery_sql(self.q)
            prefix = (
                "WITH matched AS MATERIALIZED (SELECT s.resource_id, s.year, s.resource_type,"
                " s.language, s.countries, s.themes, s.commodities, s.tags, s.organisations"
                f" FROM resources_resourcesearch s WHERE s.vector @@ {query}) "
            )
            source = "matched"
        text = not prefix
        for name, column in FACET_COLUMNS.items():
            where, where_params = self.where(without=name, text=text)
            limit = f"ORDER BY 3 DESC, 2 LIMIT {int(self.top_tags)}" if name == "tag" else ""
            selects.append(
                f"(SELECT '{name}', v, count(*) FROM {source} s,"
                f" unnest(s.{column}) v WHERE {where} GROUP BY v {limit})"
            )
            params += where_params
        for name, column in SCALAR_COLUMNS.items():
            where, where_params = self.where(without=name, text=text)
            selects.append(
                f"(SELECT '{name}', s.{column}::text, count(*) FROM {source} s"
                f" WHERE {where} GROUP BY 2)"
            )
            params += where_params
        where, where_params = self.where(without="year", text=text)
        selects.append(
            f"(SELECT 'year', (s.year / 10 * 10)::text, count(*) FROM {source} s"
            f" WHERE s.year IS NOT NULL AND {where} GROUP BY 2)"
        )
        params += where_params
        where, where_params = self.where(text=text)
        selects.append(f"(SELECT 'total', '', count(*) FROM {source} s WHERE {where})")
        params += where_params
        facets = {name: [] for name in (*FACET_COLUMNS, *SCALAR_COLUMNS, "year")}
        total = 0
        sql = prefix + " UNION ALL ".join(selects)
        for name, value, n in fetch(sql, [*prefix_params, *params], searching=bool(prefix)):
            if name == "total":
                total = n
            else:
                facets[name].append((value, n))
        return facets, total

    def page_ids(self, sort, offset, limit):
        """Primary keys of one page of results in the order sort asks for."""
        return self.sql_page_ids(sort, offset, limit)

    def sql_page_ids(self, sort, offset, limit):
        """Primary keys of one page of results in the order sort asks for, from SQL.

        Relevance is ranked among the RANK_WINDOW newest matches (exact whenever a search
        matches fewer): ranking reads every candidate's vector, and a word such as
        "mining" matches nearly the whole library."""
        where, params = self.where()
        if sort == "relevance" and self.q:
            rank, query_params = rank_sql("s.meta_vector", self.q)
            window = max(columns.RANK_WINDOW, offset + limit)
            sql = (
                "SELECT s.resource_id FROM (SELECT s.resource_id, s.meta_vector, s.year,"
                " s.date, s.title FROM resources_resourcesearch s"
                f" WHERE {where} ORDER BY {NEWEST.sql()} LIMIT %s) s"
                f" ORDER BY {rank} DESC, {NEWEST.sql()}"
                " LIMIT %s OFFSET %s"
            )
            params = [*params, window, *query_params, limit, offset]
        else:
            sql = (
                f"SELECT s.resource_id FROM resources_resourcesearch s WHERE {where}"
                f" ORDER BY {SORTS.get(sort, NEWEST).sql()} LIMIT %s OFFSET %s"
            )
            params = [*params, limit, offset]
        rows = fetch(sql, params, searching=bool(self.q))
        return [row[0] for row in rows]
