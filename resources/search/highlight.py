"""The words of a search marked in a text, escaped, on any database: a result's title and
the snippet cut from its summary or document text (SQLite's snippets; titles on both).

A word of the text is marked when its stem in the text's language is one of the search's
stems in any language (fts_words.highlighted_stems), as the index matched it, or when it
starts with the last word typed. Everything else is escaped: the result is safe HTML.
"""

import re

from django.utils.safestring import mark_safe

from core.escaping import escaped

from .fts_words import STEMMERS, fold, highlighted_stems, stem

_WORD = re.compile(r"\w+")
# As PostgreSQL's ts_headline options (snippets.py): two fragments of about 28 words.
FRAGMENT_WORDS = 28
MAX_FRAGMENTS = 2
# Snippets are cut from the start of the document, as on PostgreSQL.
MAX_SNIPPET_TEXT = 20_000


class Marker:
    """The search's words, read once, marking any number of texts."""

    def __init__(self, text):
        self.stems, self.prefix = highlighted_stems(text)
        # A page's texts repeat their words: each (word, language) is judged once.
        self._judged = {}

    def matches(self, word, language):
        """Whether word matched; language None: in any language."""
        key = (word, language)
        judged = self._judged.get(key)
        if judged is None:
            judged = self._judged[key] = self._matches(word, language)
        return judged

    def _matches(self, word, language):
        folded = fold(word)
        if self.prefix and len(self.prefix) >= 2 and folded.startswith(self.prefix):
            return True
        languages = STEMMERS if language is None else (language,)
        return folded in self.stems or any(stem(folded, lang) in self.stems for lang in languages)

    def spans(self, text, language):
        """(start, end) of every matched word of text."""
        return [
            match.span() for match in _WORD.finditer(text) if self.matches(match.group(), language)
        ]

    def mark(self, text, language, spans=None):
        """text escaped, its matched words in <mark>."""
        spans = self.spans(text, language) if spans is None else spans
        parts, at = [], 0
        for start, end in spans:
            parts += [escaped(text[at:start]), "<mark>", escaped(text[start:end]), "</mark>"]
            at = end
        parts.append(escaped(text[at:]))
        return mark_safe("".join(parts))  # noqa: S308 - escaped above, only our own tags

    def snippet(self, text, language):
        """Up to MAX_FRAGMENTS runs of about FRAGMENT_WORDS words of text around its
        matched words, marked, or "" when none matches."""
        words = list(_WORD.finditer(text))
        hits = [i for i, match in enumerate(words) if self.matches(match.group(), language)]
        if not hits:
            return ""
        fragments, covered = [], -1
        for hit in hits:
            if hit <= covered:
                continue
            first = max(hit - FRAGMENT_WORDS // 3, covered + 1, 0)
            last = min(first + FRAGMENT_WORDS, len(words)) - 1
            covered = last
            start, end = words[first].start(), words[last].end()
            spans = [
                (words[i].start() - start, words[i].end() - start)
                for i in hits
                if first <= i <= last
            ]
            fragment = self.mark(text[start:end], language, spans)
            fragments.append(("… " if first else "") + fragment)
            if len(fragments) == MAX_FRAGMENTS:
                break
        return mark_safe(" ".join(fragments) + (" …" if covered < len(words) - 1 else ""))  # noqa: S308


def snippets(rows, text):
    """{id: snippet} from rows of (id, language, summary, document text): the summary when
    it holds a word of the search (what a reader judges a result by), else the summary
    and the start of the document text; no entry where nothing matches."""
    marker = Marker(text)
    found = {}
    for pk, language, summary, body in rows:
        snippet = marker.snippet(summary or "", language)
        if not snippet:
            snippet = marker.snippet(
                " … ".join(part for part in (summary, body[:MAX_SNIPPET_TEXT]) if part),
                language,
            )
        if snippet:
            found[pk] = snippet
    return found
