"""The one place the search backend is chosen, from the database and the settings.

SQLite has no index table: the ORM answers, with the search read from its FTS5 index
(sqlite.py); another database, without either, searches with the ORM alone (orm.py).
PostgreSQL reads the index table in SQL (postgres.py), or, with ASMHUB_FACET_INDEX on (the
default), counts and pages from the process's in-memory facet index (facetindex.py). Read at
each call, so a setting changed at run time (a test's) takes effect at once; the backends
themselves hold no state.
"""

from django.conf import settings
from django.db import connection

from .facetindex import FacetIndexBackend
from .orm import OrmBackend
from .postgres import PostgresBackend
from .sqlite import SqliteBackend

_ORM, _SQLITE = OrmBackend(), SqliteBackend()
_POSTGRES, _FACET_INDEX = PostgresBackend(), FacetIndexBackend()


def backend():
    """The backend that answers searches on this process's database."""
    if connection.vendor == "sqlite":
        return _SQLITE
    if connection.vendor != "postgresql":
        return _ORM
    if settings.ASMHUB_FACET_INDEX:
        return _FACET_INDEX
    return _POSTGRES
