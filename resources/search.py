"""Full-text search of the library on PostgreSQL, and the index it reads.

Every published resource has one row in ``resources_resourcesearch`` (see ResourceSearch):
its filter values as text arrays with GIN indexes, and a weighted ``tsvector`` — title (A) >
authors, tags, countries, themes and commodities (B) > summary and publisher (C) >
document text (D) — built with the text search configuration of the resource's language,
after unaccent. The row is rebuilt in SQL from the resource and its relations whenever one
of them changes (resources/signals.py) and by ``manage.py reindex``; a resource that is
not published has no row, so its words never reach a public result.

A query is read with ``websearch_to_tsquery`` (quotes, ``or``, ``-word``) in every
configuration at once (English, Spanish, French, Portuguese, simple) so a query finds
across languages, and its last bare word also matches as a prefix.

On SQLite none of this exists: the library falls back to icontains and the same facets.
"""

import contextvars
import hashlib
import json
import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Min
from django_countries import countries as iso_countries

CONFIGS = ("english", "spanish", "french", "portuguese", "simple")
# tsvector holds at most 1 MB and positions stop at 16,383: more text adds nothing.
MAX_INDEXED_TEXT = 200_000
# Snippets are cut from the start of the document; ts_headline's cost grows with the text.
MAX_SNIPPET_TEXT = 20_000
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"
VERSION_KEY = "library"
VECTOR_INDEX = "resourcesearch_vector"


def is_postgres():
    return connection.vendor == "postgresql"


# -- content version -------------------------------------------------------------------


# The version read once for the request being served (see version_cached_page).
_request_version = contextvars.ContextVar("library_version", default=None)


def content_version():
    """The library's current version: it changes, in the database, with every change."""
    from .models import ContentVersion

    known = _request_version.get()
    if known is not None:
        return known

    row = ContentVersion.objects.filter(key=VERSION_KEY).values_list("version", flat=True)
    return next(iter(row), 0)


def bump_version():
    """Make every cached count and page of the library stale, on every process.

    The new version is random, not the old one plus one: a transaction that bumped it and
    then rolled back must never hand its number to different content later."""
    from .models import ContentVersion

    ContentVersion.objects.update_or_create(
        key=VERSION_KEY, defaults={"version": secrets.randbits(62)}
    )


def cached(version, parts, compute):
    """compute(), cached under the content version and parts (a JSON-able description of
    the page state); a version bump makes every earlier entry unreachable."""
    seconds = getattr(settings, "ASMHUB_SEARCH_CACHE_SECONDS", 3600)
    if not seconds:
        return compute()
    digest = hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    key = f"library:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, seconds)
    return value


# -- building the index ----------------------------------------------------------------

# Set-based: the relations of the batch are aggregated once each and joined, rather than
# looked up row by row, so a million rows index in minutes.
BUILD_SQL = """
WITH ids AS (
    SELECT r.id FROM resources_resource r WHERE r.status = 'published' AND {where}
), c AS (
    SELECT x.resource_id, array_agg(x.country_id::text ORDER BY x.country_id) AS slugs,
        string_agg(%(country_names)s::jsonb ->> x.country_id, ' ') AS names
    FROM resources_resource_countries x JOIN ids ON ids.id = x.resource_id GROUP BY 1
), t AS (
    SELECT x.resource_id, array_agg(v.slug::text ORDER BY v.slug) AS slugs,
        string_agg(v.name, ' ') AS names
    FROM resources_resource_themes x JOIN ids ON ids.id = x.resource_id
    JOIN resources_theme v ON v.id = x.theme_id GROUP BY 1
), m AS (
    SELECT x.resource_id, array_agg(v.slug::text ORDER BY v.slug) AS slugs,
        string_agg(v.name, ' ') AS names
    FROM resources_resource_commodities x JOIN ids ON ids.id = x.resource_id
    JOIN resources_commodity v ON v.id = x.commodity_id GROUP BY 1
), g AS (
    SELECT x.object_id AS resource_id, array_agg(v.slug::text ORDER BY v.slug) AS slugs,
        string_agg(v.name, ' ') AS names
    FROM taggit_taggeditem x JOIN ids ON ids.id = x.object_id
    JOIN taggit_tag v ON v.id = x.tag_id
    WHERE x.content_type_id = %(ct)s GROUP BY 1
), a AS (
    SELECT x.resource_id, string_agg(x.name, ' ' ORDER BY x.position) AS names
    FROM resources_resourceauthor x JOIN ids ON ids.id = x.resource_id GROUP BY 1
), src AS (
    SELECT r.id, r.title, r.year, r.date, r.resource_type, r.language,
        asmhub_search_config(r.language) AS cfg,
        concat_ws(' ', r.summary, r.publisher) AS summary_text,
        left(r.full_text, %(max_text)s) AS body,
        coalesce(c.slugs, '{{}}') AS countries, coalesce(t.slugs, '{{}}') AS themes,
        coalesce(m.slugs, '{{}}') AS commodities, coalesce(g.slugs, '{{}}') AS tags,
        concat_ws(' ', a.names, t.names, m.names, g.names, c.names) AS meta_text
    FROM resources_resource r JOIN ids ON ids.id = r.id
    LEFT JOIN c ON c.resource_id = r.id LEFT JOIN t ON t.resource_id = r.id
    LEFT JOIN m ON m.resource_id = r.id LEFT JOIN g ON g.resource_id = r.id
    LEFT JOIN a ON a.resource_id = r.id
), weighted AS MATERIALIZED (
    SELECT src.*,
        setweight(asmhub_tsvector(cfg, title), 'A')
        || setweight(asmhub_tsvector(cfg, meta_text), 'B')
        || setweight(asmhub_tsvector(cfg, summary_text), 'C') AS meta_vector
    FROM src
), words AS (
    INSERT INTO resources_searchword (word)
    SELECT DISTINCT w FROM weighted,
        unnest(tsvector_to_array(to_tsvector('simple', asmhub_unaccent(
            concat_ws(' ', title, meta_text))))) AS w
    WHERE length(w) BETWEEN 3 AND 100 AND w !~ '[0-9]'
    ORDER BY w  -- one order for every writer, so concurrent batches cannot deadlock
    ON CONFLICT DO NOTHING
)
INSERT INTO resources_resourcesearch (resource_id, title, year, date, resource_type, language,
    countries, themes, commodities, tags, meta_vector, vector)
SELECT id, title, year, date, resource_type, language, countries, themes, commodities, tags,
    meta_vector, meta_vector || setweight(asmhub_tsvector(cfg, body), 'D')
FROM weighted
ON CONFLICT (resource_id) DO UPDATE SET
    title = EXCLUDED.title, year = EXCLUDED.year, date = EXCLUDED.date,
    resource_type = EXCLUDED.resource_type, language = EXCLUDED.language,
    countries = EXCLUDED.countries, themes = EXCLUDED.themes,
    commodities = EXCLUDED.commodities, tags = EXCLUDED.tags,
    meta_vector = EXCLUDED.meta_vector, vector = EXCLUDED.vector
"""

DELETE_SQL = """
DELETE FROM resources_resourcesearch s WHERE {where} AND NOT EXISTS (
    SELECT 1 FROM resources_resource r WHERE r.id = s.resource_id AND r.status = 'published')
"""


def _build_params():
    from .models import Resource

    return {
        "ct": ContentType.objects.get_for_model(Resource).pk,
        "country_names": json.dumps({code: str(name) for code, name in iso_countries}),
        "max_text": MAX_INDEXED_TEXT,
    }


def refresh(ids):
    """Rebuild the index rows of the resources ids (drop those no longer published), and
    tell the processes' facet indexes: the ids go to the change log, or, when they are
    more than a process would patch in, a new generation makes every process load anew."""
    from . import facetindex

    ids = sorted({int(i) for i in ids if i is not None})
    if not ids or not is_postgres():
        return
    params = {**_build_params(), "ids": ids}
    with connection.cursor() as cursor:
        cursor.execute(DELETE_SQL.format(where="s.resource_id = ANY(%(ids)s)"), params)
        cursor.execute(BUILD_SQL.format(where="r.id = ANY(%(ids)s)"), params)
    if len(ids) > facetindex.OVERLAY_LIMIT // 2:
        facetindex.new_generation()
    else:
        facetindex.log_changes(ids)


def _build_batch(params, low, batch_size):
    with transaction.atomic(), connection.cursor() as cursor:
        where = "r.id >= %(low)s AND r.id < %(high)s"
        cursor.execute(
            BUILD_SQL.format(where=where), {**params, "low": low, "high": low + batch_size}
        )
        return max(cursor.rowcount, 0)


def reindex(batch_size=5000, progress=None, empty_first=False, workers=1):
    """Rebuild the whole index in batches of primary keys; returns the rows indexed.

    Rows are rebuilt in place, so the site keeps searching while it runs; rows of
    resources no longer published go at the end. empty_first (for a freshly seeded
    database) drops the text index while rows go in and builds it once at the end,
    which is several times faster than growing it row by row."""
    from . import facetindex
    from .models import Resource

    if not is_postgres():
        return 0
    # Index DDL cannot run beside pending deferred constraint checks (inside a test's
    # transaction, say): there the rows simply go in with the index in place.
    empty_first = empty_first and not connection.in_atomic_block
    params = _build_params()
    bounds = Resource.objects.aggregate(first=Min("pk"), last=Max("pk"))
    first, last = bounds["first"] or 0, bounds["last"] if bounds["last"] is not None else -1
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE resources_searchword")
        if empty_first:
            cursor.execute("TRUNCATE resources_resourcesearch")
            cursor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")
    lows = list(range(first, last + 1, batch_size))
    if workers > 1 and not connection.in_atomic_block:
        # Each thread has its own database connection: batches build side by side.
        from concurrent.futures import ThreadPoolExecutor

        def build(low):
            try:
                return _build_batch(params, low, batch_size)
            finally:
                connection.close()

        indexed = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for rows in pool.map(build, lows):
                indexed += rows
                if progress:
                    progress(indexed)
    else:
        indexed = 0
        for low in lows:
            indexed += _build_batch(params, low, batch_size)
            if progress:
                progress(indexed)
    with connection.cursor() as cursor:
        cursor.execute(DELETE_SQL.format(where="TRUE"))
        if empty_first:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX} ON resources_resourcesearch"
                " USING gin (vector)"
            )
        cursor.execute("ANALYZE resources_resourcesearch")
        cursor.execute("ANALYZE resources_searchword")
    facetindex.new_generation()
    bump_version()
    return indexed


# -- reading queries ---------------------------------------------------------------------


def fetch(sql, params, *, searching):
    """Rows of one read of the index, with planner settings fit for it: no JIT (its
    compile time dwarfs these queries), and, when a text search is part of it, no
    sequential scan: the narrow heap looks cheap to scan but every row would then
    detoast its document vector to test the match, where the GIN index tests none."""
    settings_sql = "SET LOCAL jit = off;"
    if searching:
        settings_sql += " SET LOCAL enable_seqscan = off;"
    # One query string: PostgreSQL runs it as one implicit transaction, so SET LOCAL holds
    # for the statement after it and no more.
    with connection.cursor() as cursor:
        cursor.execute(f"{settings_sql} {sql}", params)
        return cursor.fetchall()


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


def _or(parts, distinct):
    """SQL OR-ing the tsqueries of parts; distinct: each different one once. Most
    configurations read a search alike ("gold women" is the same query in six of the
    nine), and the text index tests every alternative of every document it finds:
    said once each, the index's part of a two-word search takes half the time.
    Empty alternatives (all stop words) are left out; none left matches nothing."""
    if not distinct:
        return " || ".join(parts)
    return (
        "(SELECT coalesce(string_agg(DISTINCT '(' || a::text || ')', ' | ')::tsquery,"
        f" ''::tsquery) FROM unnest(ARRAY[{', '.join(parts)}]) a WHERE numnode(a) > 0)"
    )


def tsquery_sql(text, *, distinct=False):
    """SQL for the tsquery of a visitor's text, and its parameters: websearch syntax read in
    every configuration, OR-ed (a query finds across languages), the last bare word also
    as a prefix, and each -word excluded whatever the language it is read in.

    distinct: each alternative reading once (_or), for finding matches (@@) where the plan
    is a scan of the text index whatever the query, as the facet index's are: it changes
    nothing but the time. Not where PostgreSQL chooses the plan: it cannot estimate how
    many documents a query made by a subquery matches, and then walks a B-tree for a rare
    word (the Atom feed of "cinnabar" at a million: 240 ms, 500 with it). Not for ranking:
    ts_rank scores a query whose top is an AND (one reading left) otherwise than an OR."""
    negated = [word.strip('"') for word in _NEGATED.findall(text)]
    positive = _NEGATED.sub(" ", text).strip()
    parts, params = _alternatives(positive)
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
    finds (tsquery_sql) took 0.8 s to highlight a page of 20 results where this takes
    50 ms, and the words a resource was found by are in its own language or as written."""
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


def headline(text):
    """Escape a ts_headline result and mark its highlights: safe HTML."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    html = escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above, only our own tags added


def snippets(ids, text):
    """{resource id: highlighted snippet (safe HTML)} of the words of text found in each
    resource's summary and document text; only for published resources.

    A summary that holds any of the words searched for is the snippet's only source: it
    is what a reader judges a result by, and ts_headline's cost grows with the text it
    reads (1 ms a result for 5,000 characters of document, 0.1 ms for a summary).
    Otherwise the snippet comes from the summary and the start of the document text."""
    if not ids or not text or not is_postgres():
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


def suggest(text, matches):
    """A corrected query for "did you mean", or "": each word not in the lexicon is
    replaced by its most similar known word (pg_trgm); offered only if it finds more."""
    if not is_postgres() or not text or '"' in text:
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
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# -- the library page on the index -----------------------------------------------------

# Relevance is ranked among at most this many of the newest matches.
RANK_WINDOW = 10_000

FACET_COLUMNS = {
    "country": "countries",
    "theme": "themes",
    "commodity": "commodities",
    "tag": "tags",
}
SCALAR_COLUMNS = {"type": "resource_type", "language": "language"}
SORTS = {
    "newest": "s.year DESC NULLS LAST, s.date DESC NULLS LAST, s.title, s.resource_id",
    "oldest": "s.year ASC NULLS LAST, s.date ASC NULLS LAST, s.title, s.resource_id",
    "title": "s.title, s.resource_id",
}


class LibraryIndex:
    """The library's filters, counts, facets and pages read from the index table.

    filters maps a facet name (country, theme, commodity, tag, type, language) to the
    values chosen (OR within a facet, AND across facets); year_from, year_to and q narrow
    further. Each facet is counted with every filter but its own, in one statement."""

    def __init__(self, filters, *, q="", year_from=None, year_to=None, top_tags=15, version=None):
        self.filters = {name: list(values) for name, values in filters.items() if values}
        self.q = q
        self.year_from, self.year_to = year_from, year_to
        self.top_tags = top_tags
        # The content version the request already read, if it did (else read when needed).
        self.version = version

    def state(self):
        return {
            "filters": {k: sorted(v) for k, v in self.filters.items()},
            "q": self.q,
            "years": [self.year_from, self.year_to],
        }

    def where(self, without=None, text=True):
        """SQL conditions on the index row s, and parameters, leaving out facet without
        (and the text search unless text)."""
        clauses, params = ["TRUE"], []
        for name, values in self.filters.items():
            if name == without:
                continue
            if name in FACET_COLUMNS:
                clauses.append(f"s.{FACET_COLUMNS[name]} && %s::text[]")
            else:
                clauses.append(f"s.{SCALAR_COLUMNS[name]} = ANY(%s)")
            params.append(values)
        if without != "year":
            if self.year_from is not None:
                clauses.append("s.year >= %s")
                params.append(self.year_from)
            if self.year_to is not None:
                clauses.append("s.year <= %s")
                params.append(self.year_to)
        if self.q and text:
            query, query_params = tsquery_sql(self.q)
            clauses.append(f"s.vector @@ {query}")
            params += query_params
        return " AND ".join(clauses), params

    def engine(self):
        """This state on the process's in-memory facet index (resources/facetindex.py), or
        None where it is off: then the SQL below answers."""
        from . import facetindex

        if not hasattr(self, "_engine"):
            self._engine = facetindex.query(self)
        return self._engine

    def count(self):
        engine = self.engine()
        if engine is not None:
            return engine.count()
        return self.sql_count()

    def sql_count(self):
        where, params = self.where()
        sql = f"SELECT count(*) FROM resources_resourcesearch s WHERE {where}"
        return fetch(sql, params, searching=bool(self.q))[0][0]

    def facet_counts(self):
        """{facet: [(value, count), …]} and the total."""
        engine = self.engine()
        if engine is not None:
            return engine.facet_counts()
        return self.sql_facet_counts()

    def sql_facet_counts(self):
        """{facet: [(value, count), …]} and the total, from one statement.

        With a text search, the matching rows' facet columns are gathered once (the only
        part that reads the text index) and every facet is counted from them."""
        selects, params = [], []
        source = "resources_resourcesearch"
        prefix, prefix_params = "", []
        if self.q:
            query, prefix_params = tsquery_sql(self.q)
            prefix = (
                "WITH matched AS MATERIALIZED (SELECT s.resource_id, s.year, s.resource_type,"
                " s.language, s.countries, s.themes, s.commodities, s.tags"
                f" FROM resources_resourcesearch s WHERE s.vector @@ {query}) "
            )
            source = "matched"
        text = not prefix
        for name, column in FACET_COLUMNS.items():
            where, where_params = self.where(without=name, text=text)
            limit = f"ORDER BY 3 DESC, 2 LIMIT {int(self.top_tags)}" if name == "tag" else ""
            selects.append(
                f"(SELECT '{name}', v, count(*) FROM {source} s,"
                f" unnest(s.{column}) v WHERE {where} GROUP BY v {limit})"
            )
            params += where_params
        for name, column in SCALAR_COLUMNS.items():
            where, where_params = self.where(without=name, text=text)
            selects.append(
                f"(SELECT '{name}', s.{column}::text, count(*) FROM {source} s"
                f" WHERE {where} GROUP BY 2)"
            )
            params += where_params
        where, where_params = self.where(without="year", text=text)
        selects.append(
            f"(SELECT 'year', (s.year / 10 * 10)::text, count(*) FROM {source} s"
            f" WHERE s.year IS NOT NULL AND {where} GROUP BY 2)"
        )
        params += where_params
        where, where_params = self.where(text=text)
        selects.append(f"(SELECT 'total', '', count(*) FROM {source} s WHERE {where})")
        params += where_params
        facets = {name: [] for name in (*FACET_COLUMNS, *SCALAR_COLUMNS, "year")}
        total = 0
        sql = prefix + " UNION ALL ".join(selects)
        for name, value, n in fetch(sql, [*prefix_params, *params], searching=bool(prefix)):
            if name == "total":
                total = n
            else:
                facets[name].append((value, n))
        return facets, total

    def page_ids(self, sort, offset, limit):
        """Primary keys of one page of results in the order sort asks for."""
        engine = self.engine()
        if engine is not None:
            return engine.page_ids(sort, offset, limit)
        return self.sql_page_ids(sort, offset, limit)

    def sql_page_ids(self, sort, offset, limit):
        """Primary keys of one page of results in the order sort asks for, from SQL.

        Relevance is ranked among the RANK_WINDOW newest matches (exact whenever a search
        matches fewer): ranking reads every candidate's vector, and a word such as
        "mining" matches nearly the whole library."""
        where, params = self.where()
        if sort == "relevance" and self.q:
            query, query_params = tsquery_sql(self.q)
            window = max(RANK_WINDOW, offset + limit)
            sql = (
                "SELECT s.resource_id FROM (SELECT s.resource_id, s.meta_vector, s.year,"
                " s.date, s.title FROM resources_resourcesearch s"
                f" WHERE {where} ORDER BY {SORTS['newest']} LIMIT %s) s"
                f" ORDER BY ts_rank(s.meta_vector, {query}) DESC, {SORTS['newest']}"
                " LIMIT %s OFFSET %s"
            )
            params = [*params, window, *query_params, limit, offset]
        else:
            sql = (
                f"SELECT s.resource_id FROM resources_resourcesearch s WHERE {where}"
                f" ORDER BY {SORTS.get(sort, SORTS['newest'])} LIMIT %s OFFSET %s"
            )
            params = [*params, limit, offset]
        rows = fetch(sql, params, searching=bool(self.q))
        return [row[0] for row in rows]


RELATED_WINDOW = 2000


RELATED_SQL = """
    WITH me AS (SELECT countries, themes, tags FROM resources_resourcesearch
                WHERE resource_id = %(pk)s),
    window_ AS (
        SELECT s.* FROM resources_resourcesearch s, me
        WHERE s.resource_id <> %(pk)s AND {shared} {among}
        ORDER BY s.year DESC NULLS LAST, s.date DESC NULLS LAST, s.title, s.resource_id
        LIMIT %(window)s)
    SELECT w.resource_id FROM window_ w, me
    ORDER BY cardinality(ARRAY(SELECT unnest(w.tags) INTERSECT SELECT unnest(me.tags)))
        + cardinality(ARRAY(SELECT unnest(w.countries) INTERSECT SELECT unnest(me.countries)))
        + cardinality(ARRAY(SELECT unnest(w.themes) INTERSECT SELECT unnest(me.themes)))
        DESC, w.year DESC NULLS LAST, w.date DESC NULLS LAST, w.title, w.resource_id
    LIMIT %(limit)s
"""
# Scored first among the resources sharing a tag, then among those sharing a country or
# a theme: (SQL condition, the facets it names).
RELATED_PASSES = (
    ("s.tags && me.tags", ("tag",)),
    ("(s.countries && me.countries OR s.themes && me.themes)", ("country", "theme")),
)


def related_pass_ids(pk, shared, limit, among=None):
    """One pass of related resources in SQL, among the ids among (all when None)."""
    params = {"pk": pk, "window": RELATED_WINDOW, "limit": limit, "among": among}
    condition = "AND s.resource_id = ANY(%(among)s)" if among is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(RELATED_SQL.format(shared=shared, among=condition), params)
        return [row[0] for row in cursor.fetchall()]


def related_ids(pk, limit=5, version=None):
    """related()'s ids: from the in-memory facet index where it is on, else in SQL."""
    from . import facetindex

    passes = facetindex.related_passes(pk, limit, version)
    if passes is None:
        passes = [
            lambda shared=shared: related_pass_ids(pk, shared, limit)
            for shared, _facets in RELATED_PASSES
        ]
    ids = []
    for found in passes:
        ids += [each for each in found() if each not in ids]
        if len(ids) >= limit:
            break
    return ids[:limit]


def related(resource, limit=5, version=None):
    """Other published resources sharing the most tags, countries and themes with
    resource, newest first among equals. Scored among the RELATED_WINDOW newest that share
    a tag, or failing that a country or theme, so the cost stays bounded at any size."""
    from .models import Resource

    ids = related_ids(resource.pk, limit, version)
    found = Resource.objects.published().only("slug", "title", "year", "resource_type").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def version_cached_page(view):
    """Serve a public page from the cache while the library's content version holds.

    For anonymous GETs on PostgreSQL: the whole rendered page is kept under the content
    version, the language and the full path, so a repeated page costs one small query.
    Anything personal (a signed-in visitor, a pending message) is rendered afresh."""
    from functools import wraps

    from django.http import HttpResponse
    from django.utils import translation

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = request.user.is_authenticated or request.COOKIES.get("messages")
        enabled = getattr(settings, "ASMHUB_SEARCH_PAGE_CACHE", True)
        if request.method != "GET" or personal or not enabled or not is_postgres():
            return view(request, *args, **kwargs)
        hit = {}

        def render():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            hit["response"] = response
            if response.status_code != 200:
                return None
            return (response.content, response["Content-Type"])

        parts = ["page", request.get_full_path(), translation.get_language()]
        version = content_version()
        token = _request_version.set(version)
        try:
            stored = cached(version, parts, render)
        finally:
            _request_version.reset(token)
        if "response" in hit:
            return hit["response"]
        if stored is None:
            return view(request, *args, **kwargs)
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)

    return wrapper
