"""The one way this package reads the index table (``resources_resourcesearch``, on
PostgreSQL only: which database answers is the backends' choice, backends/)."""

from django.db import connection


def fetch(sql, params, *, searching):
    """Rows of one read of the index, with planner settings fit for it: no JIT (its
    compile time dwarfs these queries), and, when a text search is part of it, no
    sequential scan: the narrow heap looks cheap to scan but every row would then
    detoast its document vector to test the match, where the GIN index tests none."""
    settings_sql = "SET LOCAL jit = off;"
    if searching:
        settings_sql += " SET LOCAL enable_seqscan = off;"
    # One query string: PostgreSQL runs it as one implicit transaction, so SET LOCAL holds
    # for the statement after it and no more.
    with connection.cursor() as cursor:
        cursor.execute(f"{settings_sql} {sql}", params)
        return cursor.fetchall()


def id_array(ids):
    """ids (ints, or a NumPy array of them) as one parameter for ``= ANY(%s::bigint[])``:
    the array's text, which the driver sends as one quoted string. Given a list, psycopg2
    adapts each element in Python: the 10,000 ids of a relevance window cost 27 ms of the
    app's CPU that way, against 3 as text (docs/performance.md)."""
    if hasattr(ids, "tolist"):
        ids = ids.tolist()
    return "{" + ",".join(map(str, map(int, ids))) + "}"
