"""The search backend is chosen in one place, from the database and the settings, and each
backend answers the library's questions alike."""

import pytest
from django.db import connection

from resources.search.backends import backend
from resources.search.backends.facetindex import FacetIndexBackend
from resources.search.backends.orm import OrmBackend
from resources.search.backends.postgres import PostgresBackend
from resources.search.facetindex.query import IndexedLibrary
from resources.search.library import LibraryIndex
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_sqlite_has_the_orm_backend(settings):
    if connection.vendor == "postgresql":
        pytest.skip("the ORM backend is SQLite's; PostgreSQL's are checked below")
    settings.ASMHUB_FACET_INDEX = True
    chosen = backend()
    assert isinstance(chosen, OrmBackend)
    assert not chosen.indexed and not chosen.in_memory
    assert chosen.snippets([1], "gold") == {}
    assert chosen.suggest("gold", 0) == ""
    assert chosen.reindex() == 0
    assert chosen.published_count() is None


@pytest.mark.usefixtures("on_postgres")
def test_postgresql_has_the_facet_index_unless_it_is_off(settings):
    settings.ASMHUB_FACET_INDEX = True
    assert isinstance(backend(), FacetIndexBackend)
    assert isinstance(backend().library({}), IndexedLibrary)
    settings.ASMHUB_FACET_INDEX = False
    assert type(backend()) is PostgresBackend
    assert type(backend().library({})) is LibraryIndex
    assert backend().published_count() is None


@pytest.mark.usefixtures("on_postgres")
def test_every_postgresql_backend_counts_and_pages_alike(settings):
    ResourceFactory.create_batch(4, title="Gold in Ghana")
    ResourceFactory(title="Cobalt")
    answers = []
    for on in (True, False):
        settings.ASMHUB_FACET_INDEX = on
        library = backend().library({}, q="gold")
        answers.append(
            (library.count(), library.facet_counts()[1], library.page_ids("newest", 0, 10))
        )
    assert answers[0] == answers[1]
    assert answers[0][:2] == (4, 4)
