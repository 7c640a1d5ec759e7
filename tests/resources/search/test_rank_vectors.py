"""PostgreSQL's ranking vectors (migration 0020): a narrow table the relevance window's
scores read, kept equal to the index table's by triggers whatever writes the index."""

import pytest
from django.db import connection

from resources.models import Resource
from resources.search import indexing
from tests.factories import ResourceFactory

from . import changes

pytestmark = pytest.mark.usefixtures("on_postgres")


def vectors(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT resource_id, meta_vector::text FROM {table} ORDER BY 1")
        return cursor.fetchall()


def assert_kept_equal():
    kept = vectors("resources_rankvector")
    assert kept == vectors("resources_resourcesearch")
    published = set(Resource.objects.published().values_list("pk", flat=True))
    assert {pk for pk, _vector in kept} == published


@pytest.mark.django_db
@changes.random_changes(20)
def test_the_ranking_vectors_follow_the_index_after_any_changes(operations):
    changes.apply(operations)
    assert_kept_equal()


@pytest.mark.django_db(transaction=True)
def test_the_ranking_vectors_follow_a_reindex_from_empty():
    """A reindex from empty truncates the index table; a later edit updates a row, a
    withdrawal deletes one."""
    resources = [ResourceFactory(title=f"Gold {i}", summary="mercury") for i in range(4)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE resources_rankvector SET meta_vector = ''")
    assert indexing.reindex(batch_size=2, empty_first=True, workers=2) == 4
    assert_kept_equal()
    resources[0].title = "Tin and tantalum"
    resources[0].save()
    resources[1].status = Resource.Status.WITHDRAWN
    resources[1].save()
    assert_kept_equal()
    assert "'tin'" in dict(vectors("resources_rankvector"))[resources[0].pk]
