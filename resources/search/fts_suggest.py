"""Did you mean" on SQLite: a search's unknown words replaced by the closest words of the
index's own vocabulary (the fts5vocab table over the unstemmed words of published
resources: a draft's words are never offered), by rapidfuzz's similarity."""

import re

from django.db import connection
from rapidfuzz import fuzz, process

from .fts_index import TABLE, vocabulary
from .fts_words import fold, match_expression
from .version import content_version

# Similarity (0-100) below which a known word is not offered for a typed one.
MIN_SIMILARITY = 75
_known = {}


def known_words():
    """The index's words (read once per content version, per process)."""
    version = content_version()
    if version not in _known:
        _known.clear()
        _known[version] = [word for word, _count in vocabulary() if not word.isdigit()]
    return _known[version]


def closest(word, choices):
    """The known word most like word, or None."""
    found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
    return found[0] if found else None


def suggest(text, matches):
    """A corrected search that finds more than matches, or ""."""
    if not text or '"' in text:
        return ""
    choices = known_words()
    present = set(choices)
    corrected, changed = text, False
    for word in re.findall(r"[^\W\d_]{3,}", text)[:6]:
        folded = fold(word)
        if folded in present:
            continue
        replacement = closest(folded, choices)
        if replacement:
            corrected = re.sub(rf"\b{re.escape(word)}\b", replacement, corrected, count=1)
            changed = True
    if not changed:
        return ""
    expression = match_expression(corrected)
    if not expression:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",
            [expression, matches + 1],
        )
        found = cursor.fetchone()[0]
    return corrected if found > matches else ""
