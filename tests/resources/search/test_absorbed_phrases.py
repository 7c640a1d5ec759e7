"""A search's match query (tsquery_sql with distinct=True) leaves out an alternative that
needs a word the same OR lists alone (a | (a <-> b) is a): the thesaurus's phrases. The
documents found stay the very ones every reading finds, which PostgreSQL judges here."""

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from resources.search import tsquery

from .test_judged import QUERIES as JUDGED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_postgres")]


def ored(alternatives, distinct):
    """The text of _or over literal tsqueries, as PostgreSQL writes it."""
    parts = ["%s::tsquery"] * len(alternatives)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({tsquery._or(parts, distinct)})::text", alternatives)
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("alternatives", "kept"),
    [
        (["a", "a <-> b"], "'a'"),
        (["b <-> c <-> a", "c & d", "a", "d"], "'a' | 'd'"),
        # Not alone, or not the same word as written: a prefix, a weight, a negation.
        (["a <-> b", "c <-> d"], "'a' <-> 'b' | 'c' <-> 'd'"),
        (["a:* <-> b", "a"], "'a' | 'a':* <-> 'b'"),
        (["a:B <-> b", "a"], "'a' | 'a':B <-> 'b'"),
        (["!a <-> b", "a"], "!'a' <-> 'b' | 'a'"),
        (["a:*", "a <-> b"], "'a' <-> 'b' | 'a':*"),
        (["a | b <-> c", "c"], "'a' | 'b' <-> 'c' | 'c'"),
        (["", "a <-> b", "a"], "'a'"),
    ],
)
def test_what_is_left_out(alternatives, kept):
    assert ored(alternatives, distinct=True) == ored([kept], distinct=False)


WORDS = st.sampled_from(["a", "b", "c", "a:*", "b:A", "!a", "!c"])
ALTERNATIVES = st.lists(
    st.lists(WORDS, min_size=1, max_size=3).flatmap(
        lambda words: st.sampled_from([" <-> ", " & ", " <2> ", " | "]).map(
            lambda joint: joint.join(words)
        )
    ),
    min_size=1,
    max_size=5,
)
VECTORS = st.lists(
    st.lists(st.tuples(st.sampled_from(["a", "ab", "b", "c"]), st.integers(1, 4)), max_size=5).map(
        lambda words: " ".join(f"{word}:{at}" for word, at in words)
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(alternatives=ALTERNATIVES, vectors=VECTORS)
@example(alternatives=["a", "!a <-> b"], vectors=["b:1"])
@example(alternatives=["a", "a:* <-> b"], vectors=["ab:1 b:2"])
@example(alternatives=["a", "a | b <-> c"], vectors=["b:1 c:2"])
def test_the_same_documents_are_found(alternatives, vectors):
    whole, distinct = ored(alternatives, distinct=False), ored(alternatives, distinct=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(v::tsvector @@ %s::tsquery ORDER BY n),"
            " array_agg(v::tsvector @@ %s::tsquery ORDER BY n)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n)",
            [whole, distinct, vectors],
        )
        before, after = cursor.fetchone()
    assert after == before, (whole, distinct)


def test_every_judged_search_finds_what_all_its_readings_find():
    """Over the demo data, for every query of the judged set; and the match query of a
    search the thesaurus gives phrases for names none of them."""
    call_command("load_demo", verbosity=0)
    with connection.cursor() as cursor:
        for judged in JUDGED:
            found = []
            for distinct in (False, True):
                query, params = tsquery.tsquery_sql(judged["q"], distinct=distinct)
                cursor.execute(
                    "SELECT array_agg(resource_id ORDER BY resource_id)"
                    f" FROM resources_resourcesearch WHERE vector @@ {query}",
                    params,
                )
                found.append(cursor.fetchone()[0])
            assert found[1] == found[0], judged["q"]
        whole, params = tsquery.tsquery_sql("gold women", distinct=False)
        query, distinct_params = tsquery.tsquery_sql("gold women", distinct=True)
        cursor.execute(f"SELECT ({whole})::text, ({query})::text", [*params, *distinct_params])
        whole_text, text = cursor.fetchone()
    assert "<->" in whole_text and "'mining'" in whole_text
    assert "<" not in text and "'mining'" not in text
    assert "'ouro'" in text and "'wom'" in text
