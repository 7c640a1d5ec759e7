"""The facet index backend: PostgreSQL's, with the library's states, related resources and
published count answered from the process's in-memory facet index (search/facetindex/)."""

from ..facetindex import related as facetindex_related
from ..facetindex import state
from ..facetindex.query import IndexedLibrary, published_count, published_values
from ..version import request_version
from .postgres import PostgresBackend


class FacetIndexBackend(PostgresBackend):
    in_memory = True

    def library(self, filters, **options):
        return IndexedLibrary(filters, **options)

    def related_passes(self, pk, limit, version):
        return facetindex_related.related_passes(pk, limit, version)

    def published_count(self, version=None):
        return published_count(version)

    def published_values(self, name, values):
        version = request_version.get()
        if version is None:
            return None
        return published_values(name, values, version)

    def preload(self, log):
        state.preload(log)

    def warm(self, version):
        state.process_index().current(version)

    def forget_searches(self):
        view = state.process_index().view
        if view is not None:
            view.snapshot.text_matches.clear()
            view.snapshot.rank_scores.clear()
