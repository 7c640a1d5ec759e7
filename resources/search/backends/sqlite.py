"""SQLite's backend: library states and related resources counted on columns kept in memory
(fts_columns.py), the ORM's statements (orm.py, orm_library.py) their reference, with the
search matched, ranked, highlighted and corrected by the FTS5 index (fts_index.py), kept
current through refresh as PostgreSQL's index table is."""

from django.db.models.functions import Substr

from .. import fts_columns, fts_index, fts_suggest, highlight, related
from ..fts_library import FtsLibrary, matching
from ..highlight import MAX_SNIPPET_TEXT
from ..version import content_version
from .orm import OrmBackend


class SqliteBackend(OrmBackend):
    def library(self, filters, **options):
        return FtsLibrary(filters, **options)

    def matching(self, queryset, text):
        return matching(queryset, text)

    def snippets(self, ids, text):
        from resources.models import Resource

        rows = (
            Resource.objects.published()
            .filter(pk__in=ids)
            .values_list("pk", "language", "summary", Substr("full_text", 1, MAX_SNIPPET_TEXT))
        )
        return highlight.snippets(rows, text)

    def spellings(self, text, matches):
        return fts_suggest.suggest(text, matches)

    def refresh(self, ids):
        fts_index.refresh(ids)

    def reindex(self, **options):
        return fts_index.reindex(progress=options.get("progress"))

    def related(self, resource, limit=5):
        """Counted on the columns (fts_columns.py); the ORM's statement is the reference."""
        return related.resources(fts_columns.related_ids(resource, limit, content_version()))

    def warm(self, version):
        fts_columns.view(version)

    def forget_searches(self):
        fts_columns.forget_searches()
