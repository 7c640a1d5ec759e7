"""What the library asks of search, whatever answers it: the interface of every backend.

A view or filterset asks its backend (``backends.backend()``) for a library state, one
set of filters, years and a search (a state.LibraryState), and asks that state for its
count, its facet counts and a page of ids; it asks the backend to keep those answers
(cached), for a resource's related resources, for the resources of a queryset a search
matches, for the snippets and the closest spellings of a search, and tells it which
resources changed. Backends answer alike; the SQL one (``postgres.py``) is the reference
the others are tested against.
"""


class SearchBackend:
    """A backend with no index table: nothing kept, nothing to refresh, no snippets, no
    suggestion.

    indexed: the library is read from the index table (its pages are cached whole under
    the content version). in_memory: states are answered from the process's facet index."""

    indexed = False
    in_memory = False

    def library(self, filters, *, q="", year_from=None, year_to=None, top_tags=15, version=None):
        """The state of the library page these filters describe: count(), facet_counts()
        and page_ids(sort, offset, limit), and state() to cache its answers under."""
        raise NotImplementedError

    def matching(self, queryset, text):
        """The resources of queryset that a search for text finds."""
        raise NotImplementedError

    def cached(self, library, kind, compute):
        """compute(), an answer of the state library of the kind kind (JSON-able), kept
        for as long as the library's content holds where the backend keeps answers."""
        return compute()

    def related(self, resource, limit=5):
        """Other published resources sharing the most tags, countries and themes with
        resource, newest first among equals (their slug, title, year and type)."""
        raise NotImplementedError

    def snippets(self, ids, text):
        """{resource id: highlighted snippet} of text in each resource's own words."""
        return {}

    def spellings(self, text, matches):
        """The closest spellings of a search: up to three corrected searches, closest
        first, each finding more than matches, or [] (the rule: spelling.py)."""
        return []

    def refresh(self, ids):
        """Bring the index rows of the resources ids up to date (none here)."""

    def reindex(self, **options):
        """Rebuild the whole index; the number of rows indexed (none here)."""
        return 0

    def published_count(self, version=None):
        """How many resources are published, when known without a query, else None."""
        return None

    def published_values(self, name, values):
        """Those of values (of the array facet name) carried by a published resource, when
        known without a query, else None. Asked where the request's content version is
        already known (the page cache's requests): finding it would cost the query saved."""
        return None

    def preload(self, log):
        """Read what the backend keeps in memory, before gunicorn forks its workers."""

    def warm(self, version):
        """Bring what the backend keeps in memory up to the content version version, as a
        running server's is after its first request (none kept here)."""

    def forget_searches(self):
        """Forget the searches matched so far, as if none had been made (none kept here)."""
