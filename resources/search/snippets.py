"""Snippets on PostgreSQL: the words of a search highlighted in each result's summary or
document text.

ts_headline chooses the fragments around the words as typed (in the resource's own
language); the rule that marks a title's words (highlight.Marker) then also marks their
thesaurus equivalents in those fragments, in Python, on the page's twenty short texts.
A resource found only by an equivalent gets its snippet from its summary by that same
rule. Or-ing the equivalents into ts_headline's query instead cost 70 ms of the
database's time a page (docs/search.md).
"""

import re

from django.db import connection
from django.utils.safestring import mark_safe

from core.escaping import escaped

from .highlight import Marker
from .thesaurus import expand
from .tsquery import any_word, headline_tsquery_sql

# Snippets are cut from the start of the document; ts_headline's cost grows with the text.
MAX_SNIPPET_TEXT = 20_000
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


_HIGHLIGHTED = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}", re.S)


def headline(text, marker=None, language=None):
    """A ts_headline result as safe HTML: its highlights marked, and the words marker
    matches in the rest (the thesaurus equivalents ts_headline was not asked for),
    everything else escaped."""

    def rest(part):
        return marker.mark(part, language) if marker else escaped(part)

    parts, at = [], 0
    for found in _HIGHLIGHTED.finditer(text):
        parts += [rest(text[at : found.start()]), "<mark>", escaped(found.group(1)), "</mark>"]
        at = found.end()
    parts.append(rest(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped, only our own tags


def snippets(ids, text):
    """{resource id: highlighted snippet (safe HTML)} of the words of text found in each
    resource's summary and document text; only for published resources.

    A summary that holds any of the words searched for is the snippet's only source: it
    is what a reader judges a result by, and ts_headline's cost grows with the text it
    reads, and a summary is a fraction of a document's text (docs/performance.md).
    Otherwise the snippet comes from the summary and the start of the document text.
    Where neither holds a word as typed, the summary's equivalents make the snippet."""
    if not ids or not text:
        return {}
    query, params = headline_tsquery_sql(text)
    any_query, any_params = headline_tsquery_sql(any_word(text) or text)
    options = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxFragments=2, "
        'MaxWords=28, MinWords=10, FragmentDelimiter=" … "'
    )
    sql = f"""
        SELECT r.id, r.language, r.summary, CASE
            WHEN to_tsvector(h.config, h.summary) @@ h.any_query
            THEN ts_headline(h.config, h.summary, h.query, %s)
            ELSE ts_headline(h.config,
                concat_ws(' … ', nullif(h.summary, ''),
                          translate(left(r.full_text, %s), %s, '')),
                h.query, %s)
        END
        FROM resources_resource r
        CROSS JOIN LATERAL (
            SELECT asmhub_search_config(r.language) AS config,
                   translate(r.summary, %s, '') AS summary,
                   {query} AS query, {any_query} AS any_query
        ) h
        WHERE r.id = ANY(%s) AND r.status = 'published'
    """
    markers = HIGHLIGHT_START + HIGHLIGHT_STOP
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *[options, MAX_SNIPPET_TEXT, markers, options, markers],
                *params,
                *any_params,
                list(ids),
            ],
        )
        rows = cursor.fetchall()
    # A search the thesaurus adds no word to is marked by ts_headline alone (no Python
    # pass over the page's text: 2-4 ms at 100,000 resources).
    marker = Marker(text) if expand(text) != text else None
    found = {}
    for pk, language, summary, cut in rows:
        snippet = headline(cut, marker, language)
        if "<mark>" not in snippet:
            snippet = marker.snippet(summary or "", language) if marker else ""
        if snippet:
            found[pk] = snippet
    return found
