"""The index rows of the library's published resources, built in SQL.

Every published resource has one row in ``resources_resourcesearch`` (see ResourceSearch):
its filter values as text arrays with GIN indexes, and a weighted ``tsvector`` — title (A) >
authors, tags, countries, themes and commodities (B) > summary and publisher (C) >
document text (D) — built with the text search configuration of the resource's language,
after unaccent; its titles and summaries in other languages (ResourceTranslation) weigh as
the original's, each read in its own language. The row is rebuilt in SQL from the resource
and its relations whenever one of them changes (resources/signals.py) and by
``manage.py reindex``; a resource that is not published has no row, so its words never
reach a public result.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max, Min
from django_countries import countries as iso_countries

from .facetindex import changelog
from .version import bump_version

# tsvector holds at most 1 MB and positions stop at 16,383: more text adds nothing.
MAX_INDEXED_TEXT = 200_000
VECTOR_INDEX = "resourcesearch_vector"

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
), tr AS (
    SELECT x.resource_id, string_agg(x.title, ' ' ORDER BY x.language) AS titles,
        asmhub_tsvector_agg(
            setweight(asmhub_tsvector(asmhub_search_config(x.language), x.title), 'A')
            || setweight(asmhub_tsvector(asmhub_search_config(x.language), x.summary), 'C')
        ) AS vector
    FROM resources_resourcetranslation x JOIN ids ON ids.id = x.resource_id GROUP BY 1
), src AS (
    SELECT r.id, r.title, r.year, r.date, r.resource_type, r.language,
        coalesce(tr.titles, '') AS translated_titles,
        coalesce(tr.vector, ''::tsvector) AS translated_vector,
        asmhub_search_config(r.language) AS cfg,
        concat_ws(' ', r.summary, r.publisher) AS summary_text,
        left(r.full_text, %(max_text)s) AS body,
        coalesce(c.slugs, '{{}}') AS countries, coalesce(t.slugs, '{{}}') AS themes,
        coalesce(m.slugs, '{{}}') AS commodities, coalesce(g.slugs, '{{}}') AS tags,
        concat_ws(' ', a.names, t.names, m.names, g.names, c.names) AS meta_text
    FROM resources_resource r JOIN ids ON ids.id = r.id
    LEFT JOIN c ON c.resource_id = r.id LEFT JOIN t ON t.resource_id = r.id
    LEFT JOIN m ON m.resource_id = r.id LEFT JOIN g ON g.resource_id = r.id
    LEFT JOIN a ON a.resource_id = r.id LEFT JOIN tr ON tr.resource_id = r.id
), weighted AS MATERIALIZED (
    SELECT src.*,
        setweight(asmhub_tsvector(cfg, title), 'A')
        || setweight(asmhub_tsvector(cfg, meta_text), 'B')
        || setweight(asmhub_tsvector(cfg, summary_text), 'C')
        || translated_vector AS meta_vector
    FROM src
), words AS (
    INSERT INTO resources_searchword (word)
    SELECT DISTINCT w FROM weighted,
        unnest(tsvector_to_array(to_tsvector('simple', asmhub_unaccent(
            concat_ws(' ', title, translated_titles, meta_text))))) AS w
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
    from ..models import Resource

    return {
        "ct": ContentType.objects.get_for_model(Resource).pk,
        "country_names": json.dumps({code: str(name) for code, name in iso_countries}),
        "max_text": MAX_INDEXED_TEXT,
    }


def refresh(ids):
    """Rebuild the index rows of the resources ids (drop those no longer published), and
    tell the processes' facet indexes: the ids go to the change log, or, when they are
    more than a process would patch in, a new generation makes every process load anew."""
    ids = sorted({int(i) for i in ids if i is not None})
    if not ids:
        return
    params = {**_build_params(), "ids": ids}
    with connection.cursor() as cursor:
        cursor.execute(DELETE_SQL.format(where="s.resource_id = ANY(%(ids)s)"), params)
        cursor.execute(BUILD_SQL.format(where="r.id = ANY(%(ids)s)"), params)
    if len(ids) > changelog.OVERLAY_LIMIT // 2:
        changelog.new_generation()
    else:
        changelog.log_changes(ids)


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
    from ..models import Resource

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
    changelog.new_generation()
    bump_version()
    return indexed
