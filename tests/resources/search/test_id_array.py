"""Ids handed to PostgreSQL as one array's text (search/db.py id_array)."""

import numpy as np
import pytest
from django.db import connection

from resources.search.db import id_array


@pytest.mark.parametrize(
    "ids",
    [[], [7], [3, 1, 2], np.array([5, 9, 2**40], dtype=np.int64), range(1, 4), {4, 5}],
)
def test_the_text_of_ids_is_the_array_of_those_ids(ids):
    assert id_array(ids) == "{" + ",".join(str(int(i)) for i in ids) + "}"


def test_only_integers_become_an_array():
    with pytest.raises(ValueError):
        id_array(["1}'); DROP TABLE resources_resource; --"])


@pytest.mark.django_db
@pytest.mark.usefixtures("on_postgres")
def test_postgresql_reads_the_text_as_the_ids():
    ids = np.array([12, 3, 2**40, 3], dtype=np.int64)
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::bigint[])", [id_array(ids)])
        assert [row[0] for row in cursor.fetchall()] == ids.tolist()
