"""Did you mean": a search's misspelt words replaced by the closest words of the library."""

import re
import unicodedata

from django.db import connection

from .db import fetch
from .tsquery import tsquery_sql


def suggest(text, matches):
    """A corrected query for "did you mean", or "": each word not in the lexicon is
    replaced by its most similar known word (pg_trgm); offered only if it finds more."""
    if not text or '"' in text:
        return ""
    words = re.findall(r"[^\W\d_]{3,}", text)[:6]
    changed = False
    corrected = text
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute(
                "SELECT word FROM resources_searchword WHERE word %% asmhub_unaccent(lower(%s))"
                " ORDER BY word = asmhub_unaccent(lower(%s)) DESC,"
                " similarity(word, asmhub_unaccent(lower(%s))) DESC, word LIMIT 1",
                [word, word, word],
            )
            row = cursor.fetchone()
            if row and row[0] != word.lower() and row[0] != _unaccent(word.lower()):
                corrected = re.sub(rf"\b{re.escape(word)}\b", row[0], corrected, count=1)
                changed = True
    if not changed:
        return ""
    query, params = tsquery_sql(corrected, distinct=True)
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM resources_resourcesearch s"
        f" WHERE s.vector @@ {query} LIMIT %s) found"
    )
    found = fetch(sql, [*params, matches + 1], searching=True)[0][0]
    return corrected if found > matches else ""


def _unaccent(word):
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
