"""PostgreSQL's relevance is ts_rank of a search's distinct words (asmhub_rank_query):
the same scores as ts_rank of the whole expanded query, which names each word many times."""

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from resources.search.columns import EQUIVALENT_WEIGHT
from resources.search.facetindex import text as facet_text
from resources.search.tsquery import rank_sql, tsquery_sql

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_postgres")]

# Thesaurus words (expanded in every language), accents, quotes, "or", a -word, a stop
# word. Each ends in a quoted word or a -word: a last bare word is also read as a prefix
# (women and women:*), and ts_rank keeps one of two equal words as it happens to sort
# them, where the distinct words keep the prefix (test_the_distinct_words_of_a_query).
SEARCHES = [
    'gold "women"',
    'mercurio "Perú"',
    '"formalisation"',
    'formalização "cooperativas"',
    '"child labour" tanzania -congo',
    'mercury or "cyanide"',
    'the "tin"',
    '"dhahabu"',
]


def whole_query_rank(text):
    """rank_sql as it was: ts_rank of the whole queries, every reading repeated."""
    query, params = tsquery_sql(text, ranking=True)
    exact, exact_params = tsquery_sql(text, thesaurus=False)
    if query == exact:
        return f"ts_rank(s.meta_vector, {query})", params
    return (
        f"(ts_rank(s.meta_vector, {exact})"
        f" + {EQUIVALENT_WEIGHT} * ts_rank(s.meta_vector, {query}))",
        [*exact_params, *params],
    )


def scored(rank, params):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.resource_id, {rank} FROM resources_resourcesearch s ORDER BY 1", params
        )
        return cursor.fetchall()


def test_ranking_by_distinct_words_gives_the_whole_querys_scores():
    call_command("load_demo", verbosity=0)
    for text in SEARCHES:
        rank, params = rank_sql("s.meta_vector", text)
        before = scored(*whole_query_rank(text))
        after = scored(rank, params)
        assert [pk for pk, _s in after] == [pk for pk, _s in before]
        assert any(score > 0 for _pk, score in after), text
        for (pk, old), (_pk, new) in zip(before, after, strict=True):
            assert new == pytest.approx(old, abs=1e-6), (text, pk)


def test_an_equivalent_ranks_by_the_words_of_its_own_language():
    """A search is ranked by its words in every configuration and each thesaurus
    equivalent by its own language's: not by the stop words of the equivalents' phrases
    ('de' of "minería de oro", 'in' and 'mining' of "women in mining", kept by the simple
    configuration alone) nor by what other languages' stemmers make of them."""
    query, params = tsquery_sql("gold women", ranking=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT asmhub_rank_query({query})::text", params)
        words = {word.split(":")[0].strip("'") for word in cursor.fetchone()[0].split(" | ")}
    assert {"gold", "wom", "women", "oro", "mujer", "mulh", "femm", "dhahabu", "wanawake"} <= words
    assert not words & {"de", "in", "mining", "mujeres", "mulheres", "mulher", "jinsi"}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            "'gold' & 'women' | 'gold' & 'women':* | 'oro' & 'mujer'",
            "'gold' | 'mujer' | 'oro' | 'women':*",
        ),
        ("'it''s' <-> 'ok' | 'ok'", "'it''s' | 'ok'"),
        ("'mine':AB | 'mine'", "'mine':AB"),
        ("'gold'", "'gold'"),
        ("", ""),
    ],
)
def test_the_distinct_words_of_a_query(query, words):
    with connection.cursor() as cursor:
        cursor.execute("SELECT asmhub_rank_query(%s::tsquery)::text", [query])
        assert cursor.fetchone()[0] == words


def test_scores_read_with_the_queries_read_once_are_rank_sqls(monkeypatch):
    """The facet index's first read of a search's scores also reads its ranking queries,
    and later reads pass them as text: both the same scores, bit for bit, as rank_sql's
    SQL (as a double: a single ts_rank is a real, which the read widens exactly)."""
    call_command("load_demo", verbosity=0)
    monkeypatch.setattr(facet_text, "_rank_queries", {})
    for text in [*SEARCHES, "gold women", "mercurio Perú", "coltan -congo", "wom"]:
        rank, params = rank_sql("s.meta_vector", text)
        expected = dict(scored(f"({rank})::float8", params))
        assert len(expected) > 1 and len(set(expected.values())) > 1, text
        assert text not in facet_text._rank_queries
        assert facet_text.read_scores(text, list(expected)) == expected, text
        assert text in facet_text._rank_queries
        assert facet_text.read_scores(text, list(expected)) == expected, text
        some = np.array(sorted(expected)[::2], dtype=np.int64)
        assert facet_text.read_scores(text, some) == {pk: expected[pk] for pk in some.tolist()}
        assert facet_text.read_scores(text, [0, -1]) == {}
