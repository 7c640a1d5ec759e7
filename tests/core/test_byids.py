"""A values_list queryset read for a list of ids from SQL compiled once (core/byids.py)."""

import random

import pytest
from django.db import models
from django.db.models import Value

from core.byids import ByIds
from resources.models import Resource, ResourceAuthor
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_rows_are_the_querysets_for_any_ids_from_one_compiling(monkeypatch):
    resources = ResourceFactory.create_batch(6)
    rng = random.Random(3)
    for resource in resources:
        for _n in range(rng.randint(0, 3)):
            ResourceAuthor.objects.create(
                resource=resource, name=f"Author {rng.randint(1, 9)}", position=rng.randint(0, 2)
            )
    authors = ResourceAuthor.objects.order_by("position", "pk").values_list("resource_id", "name")
    reader = ByIds(authors, "resource_id")
    compiled = []
    compile_once = reader._compile
    monkeypatch.setattr(
        reader, "_compile", lambda using: compiled.append(using) or compile_once(using)
    )
    pks = [r.pk for r in resources]
    for ids in ([], [pks[0]], pks, [pks[2], 10**9], rng.sample(pks, 4), [pks[1], pks[1]]):
        assert reader.rows(ids) == list(authors.filter(resource_id__in=ids)), ids
    assert compiled == ["default"]


def test_a_field_the_database_converts_is_refused():
    with_json = Resource.objects.annotate(
        data=Value({}, output_field=models.JSONField())
    ).values_list("pk", "data")
    with pytest.raises(ValueError, match="plain columns only"):
        ByIds(with_json, "pk").rows([1])
