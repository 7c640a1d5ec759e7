"""seed_bench and bench at a tiny N, so the benchmark cannot rot (timings are the
benchmark's business, not the tests')."""

import json

import pytest
from django.core.management import call_command

from resources.models import Resource

pytestmark = pytest.mark.django_db


def test_seed_bench_then_bench(tmp_path):
    call_command("seed_bench", resources=60, batch=25)
    assert Resource.objects.count() == 60
    published = Resource.objects.published().count()
    assert 45 <= published < 60 or published == 60
    assert Resource.objects.filter(tags__isnull=False).distinct().count() == 60
    # Running it again with --if-needed leaves the data alone.
    call_command("seed_bench", resources=60, if_needed=True)
    assert Resource.objects.count() == 60

    out = tmp_path / "bench.json"
    call_command("bench", repeat=1, warmup=0, json_path=str(out), mode=["all", "sql"])
    results = json.loads(out.read_text())
    measured = {row["state"]: row for row in results["states"] if "pending" not in row}
    assert {"library", "common word", "detail", "country profile", "deep page"} <= set(measured)
    # Every human page in a second language too, its own page.
    assert {"library · es", "common word · es", "detail · es"} <= set(measured)
    assert measured["library · es"]["url"].startswith("/es/")
    for row in measured.values():
        for mode in ("cached", "parts", "computed", "changed", "new query", "sql"):
            assert row[mode]["status"] == 200, (mode, row)
        assert row["computed"]["queries"] >= 1, row
