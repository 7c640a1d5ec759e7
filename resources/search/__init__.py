"""Search of the library: the index table and what reads it.

Each module holds one concern: ``version`` (the content version and what is cached under
it), ``indexing`` (building the index rows), ``tsquery`` (reading a visitor's words),
``snippets`` and ``suggest`` (what a result list shows beside the results), ``library``
(one state of the library page answered in SQL, the reference), ``related`` (related
resources) and ``facetindex`` (the same answers from columns held in memory).
"""
