"""The thesaurus of the field (thesaurus.toml), read once per process: a search's words
that name one of its concepts also find the concept's words in every language.

A bare word or run of bare words (up to four) that names a concept is expanded; quoted
phrases and negated words are taken as typed. On SQLite, expand() makes the run a group
of alternatives, ``word or "equivalent one" or equivalent …`` (fts_words.parse); on
PostgreSQL, tsquery.py reads the runs (concept_runs) as groups the same way to match, and
ranks with each equivalent read in the languages it is said in (equivalents). Either way the
expansion is text: it costs no query.
"""

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from .fts_words import fold

PATH = Path(__file__).with_name("thesaurus.toml")
LANGUAGES = ("en-GB", "en-US", "es", "fr", "pt", "sw")
MAX_RUN = 4
# The readings of a search that says "or" on PostgreSQL (variants()): each is read in
# every configuration, so the tsquery grows with them.
MAX_VARIANTS = 40
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


def _key(text):
    """A term as looked up: folded words, a trailing plural s aside."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") else word
        for word in re.findall(r"\w+", fold(text))
    )


@lru_cache(maxsize=1)
def concepts():
    """{concept: {"vocabulary": [...], language: [words], …}} as the file says."""
    with PATH.open("rb") as handle:
        return tomllib.load(handle)


def words(concept):
    """Every word of a concept, in every language, once each, in the file's order."""
    entry = concepts()[concept]
    return list(dict.fromkeys(word for language in LANGUAGES for word in entry.get(language, [])))


@lru_cache(maxsize=1)
def lookup():
    """{key of a word: [concepts it names]}."""
    found = {}
    for concept in concepts():
        for word in words(concept):
            found.setdefault(_key(word), []).append(concept)
    return found


def equivalents(term):
    """{word: {the languages it is said in}} of every concept term names, term's own
    words aside, in the file's order (iterated, the words alone)."""
    own = _key(term)
    found = {}
    for concept in lookup().get(own, []):
        entry = concepts()[concept]
        for language in LANGUAGES:
            for word in entry.get(language, []):
                if _key(word) != own:
                    found.setdefault(word, set()).add(language)
    return found


def other_languages(text, language):
    """The words of the concepts a search names, in languages other than language (the
    interface's): what a search that found nothing may try instead."""
    found = []
    for concept in _named(text):
        entry = concepts()[concept]
        for other in LANGUAGES:
            if not other.startswith(language):
                found += entry.get(other, [])
    keys = {_key(text)}
    return [word for word in dict.fromkeys(found) if _key(word) not in keys]


def _named(text):
    concepts_found = []
    tokens = _TOKEN.findall(text or "")
    for start in range(len(tokens)):
        for end in range(min(len(tokens), start + MAX_RUN), start, -1):
            concepts_found += lookup().get(_key(" ".join(tokens[start:end])), [])
    return list(dict.fromkeys(concepts_found))


def written(word):
    """A word as a search writes it: quoted when it is a phrase."""
    return f'"{word}"' if " " in word or "-" in word or "'" in word else word


def alternatives(tokens, start, end, others):
    """The run tokens[start:end] (quoted when it is a phrase) and its equivalents others,
    each as a search writes it: one group of alternatives."""
    phrase = " ".join(tokens[start:end])
    first = phrase if end - start == 1 else f'"{phrase}"'
    return [first, *(written(word) for word in others)]


def concept_runs(text):
    """The tokens of text, and [(start, end, equivalents)] of its runs naming a concept,
    each run's equivalents with their languages (equivalents())."""
    tokens = _TOKEN.findall(text or "")
    runs, at = [], 0
    while at < len(tokens):
        for end in range(min(len(tokens), at + MAX_RUN), at, -1):
            run = tokens[at:end]
            if any(t.startswith(("-", '"')) or t.lower() == "or" for t in run):
                continue
            others = equivalents(" ".join(run))
            if others:
                runs.append((at, end, others))
                at = end
                break
        else:
            at += 1
    return tokens, runs


def expand(text):
    """text with each run of bare words naming a concept followed by its equivalents,
    joined by "or": as fts_words.parse reads it, the run's group of alternatives."""
    tokens, runs = concept_runs(text)
    for start, end, others in reversed(runs):
        tokens[start:end] = [" or ".join(alternatives(tokens, start, end, others))]
    return " ".join(tokens)


def variants(text, limit=MAX_VARIANTS):
    """text, then text with one run naming a concept replaced by one equivalent, for
    each run and equivalent (at most limit in all): the searches whose union finds what
    text and its equivalents do, for ``websearch_to_tsquery``, where "a or b c" reads
    as a | (b & c) and a run's alternatives cannot be grouped."""
    tokens, runs = concept_runs(text)
    found = [text]
    for start, end, others in runs:
        for word in others:
            found.append(" ".join([*tokens[:start], written(word), *tokens[end:]]))
    return found[:limit]
