"""The closest spellings of a search that finds little, on any database: up to
MAX_SPELLINGS corrected searches, closest first, each with the typed words the index does
not know replaced by known words near them, and each offered only if it finds more.

The rule is written here once; a backend gives the known words nearest each typed word
(suggest.py with pg_trgm, fts_suggest.py with rapidfuzz, both over the index's own
vocabulary, so a draft's words are never offered) and counts what each search finds.
"""

import re

MAX_SPELLINGS = 3
# Known words read for each typed word, typed words read, and corrected searches counted
# at most (their counts are one statement, each with a LIMIT): the cost stays bounded
# whatever is typed.
CANDIDATES = 3
MAX_WORDS = 6
MAX_COUNTED = 6
_TYPED = re.compile(r"[^\W\d_]{3,}")


def typed_words(text):
    """The words of a search a spelling may replace: none in a search with quotes (a
    phrase is meant as typed)."""
    if not text or '"' in text:
        return []
    return list(dict.fromkeys(_TYPED.findall(text)))[:MAX_WORDS]


def corrected(text, nearest):
    """The distinct corrected searches of text, closest first, at most MAX_COUNTED.

    nearest: {typed word: [(known word, similarity)], closest first} for the typed words
    the index does not know. The first search replaces each by its closest word; then
    each typed word in turn takes a farther one while the others keep their closest,
    ordered by the similarity they add up to."""
    nearest = {word: found[:CANDIDATES] for word, found in nearest.items() if found}
    if not nearest:
        return []
    closest = {word: found[0] for word, found in nearest.items()}
    choices = [closest]
    for word, found in nearest.items():
        choices += [{**closest, word: other} for other in found[1:]]
    choices.sort(key=lambda choice: -sum(similarity for _known, similarity in choice.values()))
    searches = {}
    for choice in choices:
        search = text
        for word, (known, _similarity) in choice.items():
            search = re.sub(rf"\b{re.escape(word)}\b", lambda _match, k=known: k, search)
        searches.setdefault(search.casefold(), search)
    return list(searches.values())[:MAX_COUNTED]


def spellings(text, matches, *, nearest, count):
    """Up to MAX_SPELLINGS corrected searches of text, closest first, each finding more
    than matches, or []. nearest(words): as corrected() reads it; count(searches, limit):
    how many resources each search finds, counted up to limit."""
    words = typed_words(text)
    searches = corrected(text, nearest(words)) if words else []
    if not searches:
        return []
    found = count(searches, matches + 1)
    return [search for search, n in zip(searches, found, strict=True) if n > matches][
        :MAX_SPELLINGS
    ]
