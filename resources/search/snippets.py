"""Snippets: the words of a search highlighted in each result's summary or document text."""

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .tsquery import any_word, headline_tsquery_sql

# Snippets are cut from the start of the document; ts_headline's cost grows with the text.
MAX_SNIPPET_TEXT = 20_000
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def headline(text):
    """Escape a ts_headline result and mark its highlights: safe HTML."""
    html = escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above, only our own tags added


def snippets(ids, text):
    """{resource id: highlighted snippet (safe HTML)} of the words of text found in each
    resource's summary and document text; only for published resources.

    A summary that holds any of the words searched for is the snippet's only source: it
    is what a reader judges a result by, and ts_headline's cost grows with the text it
    reads, and a summary is a fraction of a document's text (docs/performance.md).
    Otherwise the snippet comes from the summary and the start of the document text."""
    if not ids or not text:
        return {}
    query, params = headline_tsquery_sql(text)
    any_query, any_params = headline_tsquery_sql(any_word(text) or text)
    options = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxFragments=2, "
        'MaxWords=28, MinWords=10, FragmentDelimiter=" … "'
    )
    sql = f"""
        SELECT r.id, CASE
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
    return {pk: headline(text) for pk, text in rows if HIGHLIGHT_START in text}
