"""A state of the library page as every backend receives it: the filters, years and search
whose count, facet counts and pages it answers (library.py in SQL, the reference;
orm_library.py from querysets; facetindex/query.py from the in-memory columns)."""

from .version import content_version


class LibraryState:
    """filters maps a facet name (country, theme, commodity, tag, type, language) to the
    values chosen (OR within a facet, AND across facets; a broader commodity's narrower
    ones already among them); year_from, year_to and q narrow further. A subclass
    answers count(), facet_counts() ({facet: [(value, count)]} with values as text, and
    the total) and page_ids(sort, offset, limit)."""

    # Answered from the process's facet index, where few matches are cheap to read whole.
    in_memory = False

    def __init__(self, filters, *, q="", year_from=None, year_to=None, top_tags=15, version=None):
        self.filters = {name: list(values) for name, values in filters.items() if values}
        self.q = q
        self.year_from, self.year_to = year_from, year_to
        self.top_tags = top_tags
        # The content version the request already read, if it did (else read when needed).
        self.version = version

    def state(self):
        """The state as JSON-able data, to cache its answers under."""
        return {
            "filters": {k: sorted(v) for k, v in self.filters.items()},
            "q": self.q,
            "years": [self.year_from, self.year_to],
        }

    def content_version(self):
        """The library's content version, read once for this state."""
        if self.version is None:
            self.version = content_version()
        return self.version
