"""Words as SQLite's full-text index (FTS5) holds them, and a visitor's search as an FTS5
query.

FTS5 stems only English (Porter), so the words are stemmed here, in Python, with the
Snowball stemmers, into the indexed text and the query alike. Every word is first folded
(lower case, accents removed), then stemmed: one token per word, so phrases keep their
positions, and "formalización", "formalizacion" and "FORMALIZACIÓN" are one token. A
document's words are stemmed in its own language (English, Spanish, French, Portuguese;
any other language is indexed folded, unstemmed); a search is read in every language at
once, its alternatives OR-ed, as PostgreSQL reads it in every configuration
(tsquery.py): a query finds across languages, and a word is found by what it means in
the resource's language. Syntax as ``websearch_to_tsquery`` reads it: ``"a phrase"``,
``-word``, ``or``; the last bare word also matches as a prefix.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

STEMMERS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}
# The columns a search reads; "words" holds the title's, vocabulary's and summary's words
# unstemmed, for prefixes and "did you mean", and is never ranked.
SEARCHED = "{title meta summary body}"
WORDS = "{words}"
MAX_TERMS = 20
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fold(text):
    """Lower case, accents removed (what FTS5's unicode61 tokenizer also does)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text):
    """The folded words of text."""
    return _WORD.findall(fold(text or ""))


_this_thread = threading.local()


def _stemmer(language):
    """This thread's Snowball stemmer for language: a stemmer keeps the word it is
    stemming in itself, and threads sharing one stemmed each other's words (a search
    answered with a 500 under load: tests/resources/search/test_stemming_threads.py)."""
    stemmers = getattr(_this_thread, "stemmers", None)
    if stemmers is None:
        stemmers = _this_thread.stemmers = {}
    found = stemmers.get(language)
    if found is None:
        found = stemmers[language] = snowballstemmer.stemmer(STEMMERS[language])
    return found


@lru_cache(maxsize=200_000)
def stem(word, language):
    """A folded word's stem in language (the word itself where no stemmer applies)."""
    if language not in STEMMERS or word.isdigit():
        return word
    return _stemmer(language).stemWord(word)


def indexed(text, language):
    """text as the index holds it: its folded words stemmed in language."""
    return " ".join(stem(word, language) for word in words(text))


def _quoted(term):
    return '"' + term.replace('"', '""') + '"'


def readings(phrase_words):
    """The distinct stemmed readings of a run of folded words, one per language and the
    words unstemmed: the alternatives a search term matches."""
    found = []
    for language in (*STEMMERS, ""):
        reading = " ".join(stem(word, language) for word in phrase_words)
        if reading not in found:
            found.append(reading)
    return found


def parse(text):
    """The search as groups ANDed together, each a list of alternatives ORed (every one a
    list of folded words: one word, or a phrase), and the negated phrases."""
    groups, negated, joining = [], [], False
    for match in _TOKEN.finditer(text or ""):
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or" and groups:
                joining = True
                continue
            minus = "-" if bare.startswith("-") else ""
            quoted = bare.lstrip("-")
        phrase = words(quoted)
        if not phrase:
            continue
        if minus:
            negated.append(phrase)
        elif joining:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        joining = False
    return groups[:MAX_TERMS], negated[:MAX_TERMS]


def _alternatives(phrase):
    return [_quoted(reading) for reading in readings(phrase)]


def match_expression(text, thesaurus=True):
    """The FTS5 MATCH expression of a visitor's text, or "" when it can match nothing
    (no positive word: a lone -word finds nothing, as on PostgreSQL); thesaurus: its
    words' equivalents too."""
    from .thesaurus import expand
    from .tsquery import last_bare_word

    groups, negated = parse(expand(text) if thesaurus else text)
    if not groups:
        return ""
    prefix = fold(last_bare_word(text))
    parts = []
    for index, group in enumerate(groups):
        terms = list(dict.fromkeys(term for phrase in group for term in _alternatives(phrase)))
        expression = f"{SEARCHED} : ({' OR '.join(terms)})"
        if index == len(groups) - 1 and prefix and words(prefix) in group:
            expression = f"({expression} OR {WORDS} : {_quoted(prefix)}*)"
        parts.append(expression)
    expression = " AND ".join(parts)
    if negated:
        terms = [term for phrase in negated for term in _alternatives(phrase)]
        expression = f"({expression}) NOT {SEARCHED} : ({' OR '.join(terms)})"
    return expression


def highlighted_stems(text):
    """What marks a word of a result as matched: the set of the search's stems in every
    language (and unstemmed), thesaurus equivalents too, and the prefix of its last word.
    """
    from .thesaurus import expand
    from .tsquery import last_bare_word

    groups, _negated = parse(expand(text))
    stems = set()
    for group in groups:
        for phrase in group:
            for word in phrase:
                stems.update(readings([word]))
    return stems, fold(last_bare_word(text))
