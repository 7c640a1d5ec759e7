"""The closest spellings on SQLite: the known words nearest a search's misspelt words in
the index's own vocabulary (the fts5vocab table over the unstemmed words of published
resources: a draft's words are never offered), by rapidfuzz's similarity, and what each
corrected search finds; the rule that composes them is spelling.py's."""

from django.db import connection
from rapidfuzz import fuzz, process

from . import spelling
from .fts_index import TABLE, vocabulary
from .fts_words import fold, match_expression
from .version import content_version

# Similarity (0-100) below which a known word is not offered for a typed one.
MIN_SIMILARITY = 75
_known = {}


def known_words():
    """The index's words, as a list and a set (read once per content version, per
    process)."""
    version = content_version()
    if version not in _known:
        _known.clear()
        words = [word for word, _count in vocabulary() if not word.isdigit()]
        _known[version] = (words, set(words))
    return _known[version]


def suggest(text, matches):
    """Up to spelling.MAX_SPELLINGS corrected searches, closest first, each finding more
    than matches, or []."""
    return spelling.spellings(text, matches, nearest=nearest, count=count)


def nearest(words):
    """{typed word: [(known word, similarity 0-1)], closest first} of the words the
    index does not know, spelling.CANDIDATES each."""
    choices, present = known_words()
    found = {}
    for word in words:
        folded = fold(word)
        if folded in present:
            continue
        matches = process.extract(
            folded,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=MIN_SIMILARITY,
            limit=spelling.CANDIDATES,
        )
        found[word] = sorted(
            ((known, score / 100) for known, score, _index in matches),
            key=lambda pair: (-pair[1], pair[0]),
        )
    return found


def count(searches, limit):
    """How many resources each search finds, up to limit, in one statement."""
    parts, params = [], []
    for search in searches:
        expression = match_expression(search)
        if not expression:
            parts.append("0")
            continue
        parts.append(
            f"(SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s))"
        )
        params += [expression, limit]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return list(cursor.fetchone())
