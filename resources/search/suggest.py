"""The closest spellings on PostgreSQL: the known words nearest a search's misspelt words
(pg_trgm over the index's vocabulary, resources_searchword) and what each corrected
search finds; the rule that composes them is spelling.py's."""

import unicodedata

from . import spelling
from .db import fetch
from .tsquery import tsquery_sql


def suggest(text, matches):
    """Up to spelling.MAX_SPELLINGS corrected searches, closest first, each finding more
    than matches, or []."""
    return spelling.spellings(text, matches, nearest=nearest, count=count)


def nearest(words):
    """{typed word: [(known word, similarity)], closest first} of the words the index
    does not know, spelling.CANDIDATES each, in one query (a known word is its own
    closest)."""
    rows = fetch(
        "SELECT t.typed, n.word, n.similarity FROM unnest(%s::text[]) WITH ORDINALITY t(typed, at)"
        " CROSS JOIN LATERAL (SELECT w.word, similarity(w.word, asmhub_unaccent(lower(t.typed)))"
        " AS similarity FROM resources_searchword w"
        " WHERE w.word %% asmhub_unaccent(lower(t.typed))"
        " ORDER BY w.word = asmhub_unaccent(lower(t.typed)) DESC, 2 DESC, w.word LIMIT %s) n"
        " ORDER BY t.at, n.word = asmhub_unaccent(lower(t.typed)) DESC, n.similarity DESC, n.word",
        [list(words), spelling.CANDIDATES],
        searching=True,
    )
    found = {}
    for typed, word, similarity in rows:
        found.setdefault(typed, []).append((word, similarity))
    return {
        typed: candidates
        for typed, candidates in found.items()
        if candidates[0][0] not in (typed.lower(), _unaccent(typed.lower()))
    }


def count(searches, limit):
    """How many resources each search finds, up to limit, in one statement."""
    parts, params = [], []
    for search in searches:
        query, query_params = tsquery_sql(search, distinct=True)
        parts.append(
            f"(SELECT count(*) FROM (SELECT 1 FROM resources_resourcesearch s"
            f" WHERE s.vector @@ {query} LIMIT %s) found)"
        )
        params += [*query_params, limit]
    return list(fetch(f"SELECT {', '.join(parts)}", params, searching=True)[0])


def _unaccent(word):
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
