"""A visitor's words as PostgreSQL text search queries.

A query is read with ``websearch_to_tsquery`` (quotes, ``or``, ``-word``) in every
configuration at once (English, Spanish, French, Portuguese, simple) so a query finds
across languages, and its last bare word also matches as a prefix; a run of words the
thesaurus knows is also read with each of its equivalents in its place (thesaurus.py).
The words to highlight in a result are read in the result's own language only.
"""

import re

from .columns import EQUIVALENT_WEIGHT
from .thesaurus import alternatives, concept_runs, variants, written

CONFIGS = ("english", "spanish", "french", "portuguese", "simple")

_LAST_BARE_WORD = re.compile(r"(?:^|\s)([^\s\"'()\-][^\s\"'()]*)\s*$")


def last_bare_word(text):
    """The last word typed, when it is neither quoted nor negated nor an operator."""
    if text.count('"') % 2:
        return ""
    match = _LAST_BARE_WORD.search(text)
    if not match or match.group(1).lower() == "or":
        return ""
    word = re.sub(r"[^\w]", "", match.group(1))
    return word if len(word) >= 2 else ""


# Configurations whose stemmers know accents: the query is also read with its accents.
ACCENTED_CONFIGS = ("spanish", "french", "portuguese")
_NEGATED = re.compile(r'(?:^|\s)-("[^"]*"|[^\s"]+)')


def _alternatives(text):
    """SQL (and parameters) of websearch_to_tsquery(text) in every configuration."""
    parts = [f"websearch_to_tsquery('{config}', asmhub_unaccent(%s))" for config in CONFIGS]
    parts += [f"websearch_to_tsquery('{config}', %s)" for config in ACCENTED_CONFIGS]
    return parts, [text] * len(parts)


def _own_readings(word, languages):
    """SQL (and parameters) of websearch_to_tsquery(word) in the configuration each of
    languages (the thesaurus's: en-GB, es, …) indexes its documents with
    (asmhub_search_config), unaccented and as written."""
    parts, params = [], []
    for code in sorted({language[:2] for language in languages}):
        parts += [
            "websearch_to_tsquery(asmhub_search_config(%s), asmhub_unaccent(%s))",
            "websearch_to_tsquery(asmhub_search_config(%s), %s)",
        ]
        params += [code, word, code, word]
    return parts, params


def _ranked_readings(positive):
    """SQL (and parameters) of the words that rank a search and its thesaurus
    equivalents: the search read in every configuration, each equivalent in its own
    language's only.

    Read in every configuration, as matching reads them, the equivalents of "gold women"
    were 45 words: the stop words of their phrases ('de' of "minería de oro", 'in' of
    "women in mining"), which only the simple configuration keeps, and the stems other
    languages' stemmers make of them ('jinsi', the Spanish stemmer's "jinsia", Swahili;
    'mulher', the English stemmer's "mulheres", Portuguese), which only a document in
    another language that quotes the word holds. ts_rank looks each word up in every
    vector it scores: read in their own languages they are 23 words, and the relevance
    window's scores take less time (docs/performance.md). Such a quoting document is still
    found (the match reads every configuration); the quoted word then adds nothing to its
    rank."""
    parts, params = _alternatives(positive)
    for _start, _end, others in concept_runs(positive)[1]:
        for word, languages in others.items():
            word_parts, word_params = _own_readings(written(word), languages)
            parts += word_parts
            params += word_params
    return parts, params


def _or(parts, distinct):
    """SQL OR-ing the tsqueries of parts; distinct: each different one once. Most
    configurations read a search alike ("gold women" is the same query in six of the
    nine), and the text index tests every alternative of every document it finds:
    said once each, the index's part of a two-word search takes half the time.
    Empty alternatives (all stop words) are left out; none left matches nothing.

    So is an alternative that needs every one of its words (a phrase or an AND of plain
    words: no |, !, prefix or weight) when one of them is itself an alternative, a plain
    word: a | (a <-> b) finds what a finds. The thesaurus says a concept in words and in
    phrases holding them ('ouro' and 'garimpo' <-> 'de' <-> 'ouro', 'wom' and
    'wom' <-> 'in' <-> 'mining'), and the text index reads the postings of every word
    named, 'in' and 'mining' among them (docs/performance.md). Never inside a phrase:
    these ORs are joined by || and && only."""
    if not distinct:
        return " || ".join(parts)
    return (
        f"(WITH r AS (SELECT a FROM unnest(ARRAY[{', '.join(parts)}]) a WHERE numnode(a) > 0)"
        " SELECT coalesce(string_agg(DISTINCT '(' || a::text || ')', ' | ')::tsquery,"
        " ''::tsquery) FROM r WHERE numnode(a) = 1 OR a::text ~ '[|!:]' OR NOT EXISTS"
        " (SELECT 1 FROM r w WHERE numnode(w.a) = 1 AND w.a::text !~ ':' AND r.a @> w.a))"
    )


def _grouped(positive, distinct):
    """SQL (and parameters) finding what positive and its thesaurus equivalents find, each
    run naming a concept read as one group of alternatives ANDed with the other words,
    (gold | oro | …) & (women | mujeres | …), as SQLite reads it (fts_words.parse); None
    when the thesaurus names nothing in it, or it says "or" (websearch reads "a or b c" as
    a | (b & c): the variants then keep the syntax's own grouping).

    The variants' union (one equivalent in place at a time) made a 237-node tsquery of
    "gold women", 3.6 s of the GIN index at a million resources; the groups make 113
    nodes, 1.4 s, and also find "oro mujeres" (docs/performance.md)."""
    tokens, runs = concept_runs(positive)
    if not runs or any(token.lower() == "or" for token in tokens):
        return None
    inside, groups, params = set(), [], []
    for start, end, others in runs:
        inside.update(range(start, end))
        readings = []
        for alternative in alternatives(tokens, start, end, others):
            alternative_parts, alternative_params = _alternatives(alternative)
            readings += alternative_parts
            params += alternative_params
        groups.append(_or(readings, distinct))
    rest = " ".join(token for at, token in enumerate(tokens) if at not in inside)
    if rest:
        rest_parts, rest_params = _alternatives(rest)
        groups.append(_or(rest_parts, distinct))
        params += rest_params
    return "(" + " && ".join(f"({group})" for group in groups) + ")", params


def tsquery_sql(text, *, distinct=False, thesaurus=True, ranking=False):
    """SQL for the tsquery of a visitor's text, and its parameters: websearch syntax read in
    every configuration, OR-ed (a query finds across languages), the last bare word also
    as a prefix, and each -word excluded whatever the language it is read in.

    distinct: each alternative reading once (_or), for finding matches (@@) where the plan
    is a scan of the text index whatever the query, as the facet index's are: it changes
    nothing but the time. Not where PostgreSQL chooses the plan: it cannot estimate how
    many documents a query made by a subquery matches, and then walks a B-tree for a rare
    word (the Atom feed of a rare word was slower with it: docs/performance.md). Not for
    ranking: ts_rank scores a query whose top is an AND (one reading left) otherwise than
    an OR.

    ranking: the words that rank the search and its thesaurus equivalents, each
    equivalent in its own language (_ranked_readings), rather than the groups that find
    every combination of equivalents (_grouped). ts_rank reads a query's distinct words
    alone, whatever joins them (rank_queries)."""
    negated = [word.strip('"') for word in _NEGATED.findall(text)]
    positive = _NEGATED.sub(" ", text).strip()
    grouped = _grouped(positive, distinct) if thesaurus and not ranking else None
    if grouped:
        parts, params = [grouped[0]], grouped[1]
    elif thesaurus and ranking:
        parts, params = _ranked_readings(positive)
    else:
        parts, params = [], []
        for variant in variants(positive) if thesaurus else [positive]:
            variant_parts, variant_params = _alternatives(variant)
            parts += variant_parts
            params += variant_params
    word = last_bare_word(text)
    if word:
        rest = positive[: positive.rfind(positive.split()[-1])]
        parts.append(
            "(websearch_to_tsquery('simple', asmhub_unaccent(%s))"
            " && to_tsquery('simple', quote_literal(lower(asmhub_unaccent(%s))) || ':*'))"
        )
        params += [rest, word]
    sql = f"({_or(parts, distinct)})"
    if negated:
        excluded, excluded_params = _alternatives(" or ".join(f'"{w}"' for w in negated if w))
        sql = f"({sql} && !!({_or(excluded, distinct)}))"
        params += excluded_params
    return sql, params


def rank_queries(text):
    """[(weight, SQL of a tsquery, parameters)] of a search: its relevance to a vector is
    the sum of weight x ts_rank(vector, tsquery) (weighted_rank). ts_rank of the words as
    typed, plus EQUIVALENT_WEIGHT times that of the words and their thesaurus
    equivalents, each equivalent in its own language (_ranked_readings). An equivalent
    cannot simply scale its match down: a text with accents is indexed twice
    (indexing.py), and its rank for the many readings of an expanded search would
    outweigh the scaling.

    A query without a -word is an OR of its readings, which ts_rank scores by its distinct
    words alone: it is given just those (asmhub_rank_query, migration 0019), the same
    scores at half the database's time for an expanded search. A -word makes the top an
    AND, scored otherwise: that query is given whole."""
    query, params = tsquery_sql(text, ranking=True)
    negated = bool(_NEGATED.search(text))

    def words(sql):
        return sql if negated else f"asmhub_rank_query({sql})"

    if not concept_runs(_NEGATED.sub(" ", text).strip())[1]:
        return [(1, words(query), params)]
    exact, exact_params = tsquery_sql(text, thesaurus=False)
    return [(1, words(exact), exact_params), (EQUIVALENT_WEIGHT, words(query), params)]


def weighted_rank(vector, queries):
    """SQL of the sum of weight x ts_rank(vector, query) for [(weight, query SQL)]."""
    terms = [
        f"ts_rank({vector}, {query})" if weight == 1 else f"{weight} * ts_rank({vector}, {query})"
        for weight, query in queries
    ]
    return terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"


def rank_sql(vector, text):
    """SQL (and parameters) of the relevance of vector (a column) for a search
    (rank_queries)."""
    parts = rank_queries(text)
    rank = weighted_rank(vector, [(weight, query) for weight, query, _params in parts])
    return rank, [param for _weight, _query, params in parts for param in params]


def any_word(text):
    """The words of a search, unquoted and joined with "or" (negated ones left out): what
    finds a text holding any of them."""
    words = re.findall(r"[^\s\"]+", _NEGATED.sub(" ", text))
    return " or ".join(word for word in words if word.lower() != "or")


def headline_tsquery_sql(text):
    """SQL (and parameters) of the words to highlight in a resource's own text: the query
    read in the resource's own configuration (as written and unaccented) and in simple,
    plus the last bare word as a prefix. Negated words are left out: nothing to mark.

    ts_headline's cost grows with the size of the query: the every-language query that
    finds (tsquery_sql) took far longer to highlight a page of results
    (docs/performance.md), and the words a resource was found by are in its own language
    or as written."""
    positive = _NEGATED.sub(" ", text).strip()
    own = "asmhub_search_config(r.language)"
    sql = (
        f"websearch_to_tsquery({own}, asmhub_unaccent(%s)) || websearch_to_tsquery({own}, %s)"
        " || websearch_to_tsquery('simple', asmhub_unaccent(%s))"
    )
    params = [positive] * 3
    word = last_bare_word(text)
    if word:
        sql += " || to_tsquery('simple', quote_literal(lower(asmhub_unaccent(%s))) || ':*')"
        params.append(word)
    return f"({sql})", params
