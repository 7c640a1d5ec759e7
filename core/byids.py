"""A values_list queryset read for a list of ids, its SQL compiled once per process.

Django compiles a queryset into SQL each time it runs it. For the short statements of a
page of results (its rows, their authors, countries, themes and translated titles) that
compiling cost more of the app's CPU than the statements themselves cost PostgreSQL
(docs/performance.md). A ByIds compiles its queryset once per database alias, with the
ids as one placeholder, and runs that SQL with the ids of each call: the queryset stays
the one description of what is read (its filters, joins and order).
"""

from django.db import connections

# An id no row has: it marks the place of the ids among the compiled statement's
# parameters.
_MARK = -7_777_777_777


class ByIds:
    """The rows (tuples of its values_list fields) of queryset whose key is one of the ids
    given to rows(), in the queryset's order. Only for fields the database returns as
    Python wants them (no converters: strings, integers), checked when compiled, and for a
    queryset whose SQL and parameters do not change while the process runs (no time, no
    setting read when it is compiled)."""

    def __init__(self, queryset, key):
        self.queryset = queryset
        self.key = key
        self._compiled = {}

    def rows(self, ids, using="default"):
        ids = list(ids)
        if not ids:
            return []
        parts, params, at = self._compiled.get(using) or self._compile(using)
        sql = "%s".join(parts[: at + 1]) + ", ".join(["%s"] * len(ids)) + "%s".join(parts[at + 1 :])
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [*params[:at], *ids, *params[at + 1 :]])
            return cursor.fetchall()

    def _compile(self, using):
        queryset = self.queryset.filter(**{f"{self.key}__in": [_MARK]})
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        if compiler.get_converters([column for column, _sql, _alias in compiler.select]):
            raise ValueError(f"ByIds reads plain columns only, not those of {queryset.query}")
        parts, params = sql.split("%s"), list(params)
        if len(parts) != len(params) + 1 or params.count(_MARK) != 1:
            raise ValueError(f"ByIds cannot place the ids in {sql}")
        compiled = (parts, params, params.index(_MARK))
        self._compiled[using] = compiled
        return compiled
