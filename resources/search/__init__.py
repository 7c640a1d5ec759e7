"""Search of the library: the index table and what reads it.

A view asks ``backends.backend()``, chosen there alone from the database and settings,
for a library state's count, facet counts and pages, related resources, snippets and
the closest spellings of a search. Each other module holds one concern: ``version``
(the content version and what is cached under it), ``pagecache`` (whole pages kept under
it), ``indexing`` (building the index rows), ``tsquery`` (reading a visitor's words),
``snippets``, ``suggest`` and ``spelling`` (the closest spellings, one rule for every
backend), ``state`` (a page state as every backend receives it), ``library`` (a page
state in SQL, the reference), ``orm_library`` (the same from querysets, where there is no
index table), ``related`` and ``related_sql`` (related resources) and ``facetindex`` (the
same answers from columns held in memory). The sort orders are ``resources.sorts``.
"""
