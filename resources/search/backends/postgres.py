"""The PostgreSQL backend: the library read from the index table in SQL (LibraryIndex, the
reference implementation), snippets and suggestions from the text index, answers kept
under the content version."""

from django.db.models.expressions import RawSQL

from .. import indexing, related, snippets, suggest
from ..library import LibraryIndex
from ..tsquery import tsquery_sql
from ..version import cached, content_version
from .base import SearchBackend


class PostgresBackend(SearchBackend):
    indexed = True

    def library(self, filters, **options):
        return LibraryIndex(filters, **options)

    def matching(self, queryset, text):
        query, params = tsquery_sql(text)
        return queryset.filter(
            pk__in=RawSQL(
                f"SELECT s.resource_id FROM resources_resourcesearch s WHERE s.vector @@ {query}",
                params,
            )
        )

    def cached(self, library, kind, compute):
        state = {"kind": kind, "state": library.state()}
        return cached(library.content_version(), state, compute)

    def related(self, resource, limit=5):
        version = content_version()
        return cached(
            version,
            ["related", resource.pk],
            lambda: related.resources(self.related_ids(resource.pk, limit, version)),
        )

    def related_ids(self, pk, limit=5, version=None):
        return related.first_ids(self.related_passes(pk, limit, version), limit)

    def related_passes(self, pk, limit, version):
        """Each pass of related_sql, a function returning ids (read when called)."""
        return related.sql_passes(pk, limit)

    def snippets(self, ids, text):
        return snippets.snippets(ids, text)

    def spellings(self, text, matches):
        return suggest.suggest(text, matches)

    def refresh(self, ids):
        indexing.refresh(ids)

    def reindex(self, **options):
        return indexing.reindex(**options)
