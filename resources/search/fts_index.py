"""SQLite's full-text index (FTS5) of the library's published resources.

One row of the virtual table ``resources_fts`` per published resource (rowid = its id),
its columns weighted like PostgreSQL's vector (indexing.py): title > authors, tags,
countries, themes and commodities (``meta``) > summary and publisher (``summary``) >
document text (``body``), each folded and stemmed in the resource's language
(fts_words.py), a translated title or summary (ResourceTranslation) beside the original,
stemmed in its own; ``words`` holds the title's, vocabulary's and summary's words unstemmed,
for prefixes and "did you mean", and is never ranked. Rebuilt from the resource and its
relations by the same code path as PostgreSQL's rows (resources/signals.py, through the
backend's refresh, and ``manage.py reindex``); a resource that is not published has no
row, so a draft's words are never found, suggested or shown.

The table is created by a migration on SQLite only (TABLE_SQL).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Concat

from .fts_words import indexed, words
from .version import bump_version
from .vocabulary import country_words, type_words

TABLE = "resources_fts"
VOCABULARY = "resources_fts_vocab"
COLUMNS = ("title", "meta", "summary", "body", "words")
# bm25 weights of COLUMNS, in the proportions of PostgreSQL's ts_rank (A 1.0, B 0.4,
# C 0.2, D 0.1); "words" is never ranked.
WEIGHTS = (10.0, 4.0, 2.0, 1.0, 0.0)
RANK = f"bm25({TABLE}, {', '.join(str(w) for w in WEIGHTS)})"
# As on PostgreSQL (indexing.MAX_INDEXED_TEXT): more document text adds nothing.
MAX_INDEXED_TEXT = 200_000
TABLE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({', '.join(COLUMNS)},"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab({TABLE}, 'col')",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {VOCABULARY}", f"DROP TABLE IF EXISTS {TABLE}"]


def _grouped(rows):
    grouped = defaultdict(list)
    for key, value in rows:
        if value:
            grouped[key].append(str(value))
    return grouped


def meta_names(ids):
    """{resource id: [names]}: its authors, countries (in every interface language),
    themes and commodities (with the synonyms curators gave them) and tags, in a
    fixed number of queries whatever the number of ids."""
    from taggit.models import TaggedItem

    from ..models import Resource, ResourceAuthor

    country_names = country_words()
    names = defaultdict(list)
    sources = [
        ResourceAuthor.objects.filter(resource_id__in=ids)
        .order_by("position", "pk")
        .values_list("resource_id", "name"),
        Resource.themes.through.objects.filter(resource_id__in=ids)
        .order_by("pk")
        .values_list(
            "resource_id",
            Concat("theme__name", Value(" "), "theme__synonyms", output_field=TextField()),
        ),
        Resource.commodities.through.objects.filter(resource_id__in=ids)
        .order_by("pk")
        .values_list(
            "resource_id",
            Concat("commodity__name", Value(" "), "commodity__synonyms", output_field=TextField()),
        ),
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Resource), object_id__in=ids
        )
        .order_by("pk")
        .values_list("object_id", "tag__name"),
    ]
    for source in sources:
        for pk, values in _grouped(source).items():
            names[pk] += values
    countries = Resource.countries.through.objects.filter(resource_id__in=ids).order_by("pk")
    for pk, codes in _grouped(countries.values_list("resource_id", "country_id")).items():
        names[pk] += [str(country_names.get(code.upper(), code)) for code in codes]
    return names


def rows(ids):
    """The index rows of the published resources among ids: (rowid, *COLUMNS)."""
    from ..models import Resource, ResourceTranslation

    resources = Resource.objects.published().filter(pk__in=ids)
    names = meta_names(ids)
    translations = defaultdict(list)
    for pk, *translation in ResourceTranslation.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "language", "title", "summary"
    ):
        translations[pk].append(translation)
    built = []
    types = type_words()
    for pk, title, summary, publisher, language, kind, body in resources.values_list(
        "pk", "title", "summary", "publisher", "language", "resource_type", "full_text"
    ):
        meta = " ".join([*names.get(pk, []), types.get(kind, "")])
        summary_text = f"{summary} {publisher}"
        # A translation weighs as the original, each stemmed in its own language.
        other = translations.get(pk, [])
        titles = " ".join([indexed(title, language), *(indexed(t, code) for code, t, _s in other)])
        summaries = " ".join(
            [indexed(summary_text, language), *(indexed(s, code) for code, _t, s in other)]
        )
        translated_titles = " ".join(t for _code, t, _s in other)
        raw = " ".join(dict.fromkeys(words(f"{title} {translated_titles} {meta} {summary_text}")))
        built.append(
            (
                pk,
                titles,
                indexed(meta, language),
                summaries,
                indexed(body[:MAX_INDEXED_TEXT], language),
                raw,
            )
        )
    return built


def _write(cursor, ids):
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({placeholders})", ids)
    cursor.executemany(
        f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",
        rows(ids),
    )


def refresh(ids, batch_size=500):
    """Rebuild the index rows of the resources ids; drop those no longer published."""
    ids = sorted({int(i) for i in ids if i is not None})
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            _write(cursor, ids[start : start + batch_size])


def reindex(batch_size=500, progress=None, **options):
    """Rebuild the whole index from the published resources; returns the rows indexed."""
    from ..models import Resource

    ids = list(Resource.objects.published().order_by("pk").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        for start in range(0, len(ids), batch_size):
            _write(cursor, ids[start : start + batch_size])
            if progress:
                progress(min(start + batch_size, len(ids)))
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        # The planner's statistics, which SQLite keeps only when asked (PostgreSQL's
        # autovacuum keeps its own): without them the feed's newest published resources
        # were sorted from the status index instead of read from their own (0.9 s at
        # 100,000 resources, docs/performance.md). About a second at 100,000.
        cursor.execute("ANALYZE")
    bump_version()
    return len(ids)


def indexed_rows():
    """Every row of the index, sorted: what a rebuild must reproduce (tests)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM {TABLE} ORDER BY rowid")
        return cursor.fetchall()


def vocabulary():
    """The unstemmed words of the published resources' titles, vocabularies and summaries,
    with the number of resources holding each."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, doc FROM {VOCABULARY} WHERE col = 'words'")
        return cursor.fetchall()
