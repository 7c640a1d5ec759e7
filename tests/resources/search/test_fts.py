"""SQLite's FTS5 index: kept equal to a rebuild whatever happens to the library; its
query language; and, on both databases, a draft's words never found, suggested or shown."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from resources.models import Resource
from resources.search import fts_index, fts_words
from resources.search.backends import backend
from tests.factories import ResourceFactory, ThemeFactory

from . import changes

pytestmark = pytest.mark.django_db

URL = reverse("resources:list")


@pytest.fixture
def on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index; PostgreSQL's index table is tested in test_search")


def rebuilt_rows():
    current = fts_index.indexed_rows()
    fts_index.reindex()
    rebuilt = fts_index.indexed_rows()
    return current, rebuilt


@pytest.mark.usefixtures("on_sqlite")
@changes.random_changes(25)
def test_index_equals_a_rebuild_after_any_changes(operations):
    changes.apply(operations)
    current, rebuilt = rebuilt_rows()
    assert current == rebuilt
    published = set(Resource.objects.published().values_list("pk", flat=True))
    assert {row[0] for row in current} == published


@pytest.mark.usefixtures("on_sqlite")
def test_renamed_theme_and_author_reach_the_index():
    theme = ThemeFactory(slug="t", name="Cooperatives")
    resource = ResourceFactory(themes=[theme], authors=["Hilson, Gavin"])
    assert backend().library({}, q="cooperative").count() == 1
    theme.name = "Cooperativas mineras"
    theme.save()
    assert backend().library({}, q="cooperativas").count() == 1
    assert backend().library({}, q="hilson").count() == 1
    resource.authors.all().delete()
    assert backend().library({}, q="hilson").count() == 0
    assert fts_index.indexed_rows() == rebuilt_rows()[1]


@pytest.mark.usefixtures("on_sqlite")
def test_reindex_command_rebuilds_from_nothing():
    ResourceFactory(title="Tantalum")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts_index.TABLE}")
    assert backend().library({}, q="tantalum").count() == 0
    call_command("reindex", "--skip-extraction")
    assert backend().library({}, q="tantalum").count() == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("-gold", ""),
        ("-", ""),
        ('"', ""),
        ("or", '{title meta summary body} : ("or")'),
    ],
)
def test_match_expression_of_odd_searches(text, expected):
    assert fts_words.match_expression(text) == expected


def test_match_expression_reads_every_language_and_the_prefix():
    expression = fts_words.match_expression('Formalización "child labour" -cyanide or')
    assert '"formaliz"' in expression  # Spanish stem, accents folded
    assert '"formalizacion"' in expression  # the word itself
    assert '"child labour"' in expression
    assert "NOT" in expression and '"cyanid"' in expression
    assert fts_words.match_expression("gold wom").endswith('OR {words} : "wom"*)')


def test_a_drafts_words_are_never_found_suggested_or_shown(client):
    ResourceFactory(title="Artisanal mining", summary="Common words.")
    draft = ResourceFactory(
        title="Zirconolite survey",
        summary="Zirconolite in the tailings.",
        status=Resource.Status.DRAFT,
    )
    for query in ("zirconolite", "zirconolit", "zirc"):
        response = client.get(URL, {"q": query})
        assert response.context["result_count"] == 0
        assert "spellings" not in response.context
        assert "Zirconolite survey" not in response.content.decode()
    assert backend().snippets([draft.pk], "zirconolite") == {}
    assert backend().spellings("zirconolit", 0) == []
    draft.status = Resource.Status.PUBLISHED
    draft.save()
    assert client.get(URL, {"q": "zirconolite"}).context["result_count"] == 1
    assert backend().spellings("zirconolit", 0) == ["zirconolite"]
    draft.status = Resource.Status.WITHDRAWN
    draft.save()
    assert client.get(URL, {"q": "zirconolite"}).context["result_count"] == 0
    assert backend().spellings("zirconolit", 0) == []
    assert backend().snippets([draft.pk], "zirconolite") == {}


@pytest.mark.usefixtures("on_sqlite")
def test_reindex_gives_the_planner_its_statistics():
    """After a rebuild the feed's newest published resources are read from their own index,
    in order, not sorted from the status index (SQLite keeps statistics only when asked)."""
    from resources.sorts import LATEST_PUBLISHED

    for n in range(30):
        ResourceFactory(title=f"Report {n}")
    ResourceFactory(title="Draft", status=Resource.Status.DRAFT)
    newest = Resource.objects.published().order_by(*LATEST_PUBLISHED.order_by)[:10]
    sql, params = newest.query.sql_with_params()
    fts_index.reindex()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "resource_published_newest" in plan
    assert "TEMP B-TREE" not in plan
