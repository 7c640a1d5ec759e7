"""A tsquery's text read and written back (search/tsquery_text.py): the phrases an OR's
lone words make redundant are left out, and the documents found stay the same."""

import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from resources.search.facetindex import text as facet_text
from resources.search.tsquery import tsquery_sql
from resources.search.tsquery_text import absorbed, parse, written

JUDGED = tomllib.loads(Path(__file__).with_name("judged_queries.toml").read_text())["query"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("'a' | 'a' <-> 'b'", "'a'"),
        ("'b' <-> 'a' | 'c' | 'a'", "'c' | 'a'"),
        ("'a' <2> 'b' <-> 'c' | 'c'", "'c'"),
        ("'a' & 'b' | 'b'", "'b'"),
        # Nothing alone in the OR, or not the same word as written (prefix, weights).
        ("'a' <-> 'b' | 'c' <-> 'd'", "( 'a' <-> 'b' ) | ( 'c' <-> 'd' )"),
        ("'a':* <-> 'b' | 'a'", "( 'a':* <-> 'b' ) | 'a'"),
        ("'a':B <-> 'b' | 'a'", "( 'a':B <-> 'b' ) | 'a'"),
        # A negated word is not held: !'a' <-> 'b' finds documents without a.
        ("!'a' <-> 'b' | 'a'", "( !'a' <-> 'b' ) | 'a'"),
        ("'a' & !'b' | 'b'", "( 'a' & !'b' ) | 'b'"),
        # Inside a phrase an OR says where it matches: left whole.
        ("( 'a' | 'a' <-> 'b' ) <-> 'c'", "( 'a' | ( 'a' <-> 'b' ) ) <-> 'c'"),
        # Under a NOT and inside groups the rule holds as anywhere else.
        ("!( 'a' | 'a' <-> 'b' )", "!'a'"),
        ("( 'x' | 'y' <-> 'x' ) & ( 'z' | 'w' )", "'x' & ( 'z' | 'w' )"),
        ("'it''s' | 'it''s' <-> 'ok'", "'it''s'"),
        ("", ""),
    ],
)
def test_absorbed(query, expected):
    assert absorbed(query) == expected


def test_a_text_that_is_not_a_tsquerys_is_refused():
    for bad in ["'a' &", "( 'a'", "'a' 'b'", "a | b", "'a' )"]:
        with pytest.raises(ValueError):
            parse(bad)


# Random queries over a few words, with prefixes, weights, negations and phrases; every
# OR lists a word alone beside other operands, which often hold it too.
LEAVES = st.sampled_from(["'a'", "'b'", "'c'", "'a':*", "'b':A", "'it''s'"])


def _tree(children):
    return st.one_of(
        st.tuples(st.just("not"), children),
        st.tuples(st.just("and"), st.lists(children, min_size=2, max_size=3).map(tuple)),
        st.tuples(LEAVES, st.lists(children, min_size=1, max_size=3)).map(
            lambda node: ("or", (("leaf", node[0]), *node[1]))
        ),
        st.tuples(st.just("phrase"), st.sampled_from(["<->", "<2>"]), children, children),
    )


TREES = st.recursive(st.tuples(st.just("leaf"), LEAVES), _tree, max_leaves=8)
VECTORS = st.lists(
    st.tuples(st.sampled_from(["a", "ab", "b", "c", "it's"]), st.integers(1, 4)),
    max_size=5,
).map(lambda words: " ".join(f"'{w.replace(chr(39), chr(39) * 2)}':{p}" for w, p in words))


@pytest.mark.django_db
@pytest.mark.usefixtures("on_postgres")
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=TREES, vectors=st.lists(VECTORS, min_size=1, max_size=8))
# A negated word is not held; inside a phrase an OR's operands say where it matches.
@example(tree=parse("'a' | !'a' <-> 'b'"), vectors=["'b':1"])
@example(tree=parse("( 'a' | 'a' <-> 'b' ) <-> 'c'"), vectors=["'a':1 'b':2 'c':3"])
def test_the_same_documents_are_found(tree, vectors):
    """PostgreSQL itself says which vectors each query finds, read as it writes the query
    back (the text the search reads), and written back unchanged by parse and written."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsquery::text", [written(tree)])
        (text,) = cursor.fetchone()
        cursor.execute("SELECT %s::tsquery::text = %s::tsquery::text", [written(parse(text)), text])
        assert cursor.fetchone()[0], text
        cursor.execute(
            "SELECT array_agg(v::tsvector @@ %s::tsquery ORDER BY n),"
            " array_agg(v::tsvector @@ %s::tsquery ORDER BY n)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n)",
            [text, absorbed(text) or text, vectors],
        )
        before, after = cursor.fetchone()
    assert after == before, (text, absorbed(text))


@pytest.mark.django_db
@pytest.mark.usefixtures("on_postgres")
def test_every_judged_search_finds_what_its_whole_query_finds():
    """Over the demo data, the facet index's match query (absorbed) finds exactly the
    documents tsquery_sql's finds, for every query of the judged set; and it is shorter
    where the thesaurus gives phrases."""
    call_command("load_demo", verbosity=0)
    shorter = 0
    with connection.cursor() as cursor:
        for judged in JUDGED:
            q = judged["q"]
            query, params = tsquery_sql(q, distinct=True)
            cursor.execute(
                f"SELECT array_agg(resource_id ORDER BY resource_id), ({query})::text"
                f" FROM resources_resourcesearch WHERE vector @@ {query}",
                [*params, *params],
            )
            whole, whole_text = cursor.fetchone()
            cursor.execute(
                "SELECT array_agg(resource_id ORDER BY resource_id)"
                " FROM resources_resourcesearch WHERE vector @@ %s::tsquery",
                [facet_text.match_query(q)],
            )
            assert cursor.fetchone()[0] == whole, q
            shorter += len(facet_text.match_query(q)) < len(whole_text or "")
    assert shorter >= 5
