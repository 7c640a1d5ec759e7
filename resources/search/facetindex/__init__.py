"""The library's filter values held in memory as columns, for facets at search-engine speed.

Counting exact disjunctive facets in SQL means aggregating every array element of every
matching row: at a million resources that is ten million elements per page,
whatever the indexes. A search engine keeps, for every facet value, the list of documents
that carry it, and counts by intersecting lists with the set of matches. This package does
the same with numpy, on PostgreSQL, from the index table (``resources_resourcesearch``):

- A **snapshot** holds, for the published resources at one moment, the sorted resource
  ids; for each array facet (country, theme, commodity, tag) the documents of every value
  (one array sorted by value, with offsets); type, language and year as one small integer
  per document; and the three sort orders as permutations. It is read in one REPEATABLE
  READ transaction with a few aggregate statements (``snapshot.load``).
- A filter is a boolean mask over the documents; a facet is counted under the mask of
  every filter but its own (one gather and one ``np.add.reduceat`` over the value lists
  give all counts of a facet at once); a page of results is the first matching documents
  of a sort order (``query``).
- **Changes** do not rebuild the snapshot. ``indexing.refresh`` writes the ids of the
  resources it rebuilt to a change log (``SearchChange``), with its transaction id, in the
  same transaction that bumps the content version. A process that sees a new content
  version reads the log entries it has not applied, marks those documents dead in its
  snapshot and keeps their current rows beside it (the **overlay**, counted in Python: a
  handful of rows; ``changelog``, ``overlay``, ``state``). A background thread then
  builds a fresh snapshot and swaps it in, once RELOAD_ROWS have changed or
  RELOAD_SECONDS have passed. Only a new *generation*
  (``manage.py reindex``, a restore, or a change touching many resources at once) or an
  overlay past ``OVERLAY_LIMIT`` makes a request wait for a full load.

A text search is the one part PostgreSQL must answer (its GIN index finds the matches);
which documents of the snapshot match a query is kept per snapshot as a bitmap
(``text.TEXT_CACHE_SIZE`` queries), with the relevance scores already read, since a change
only moves documents to the overlay, whose matches are asked again; the matches are also
shared between processes through the cache, under the content version. A fresh snapshot
inherits the searches of the one it replaces, asking again only for the documents
changed in between (``carry``), so common searches stay warm across reloads.

Everything here is exact: the same counts and pages as the SQL of
``library.LibraryIndex``, which stays the reference implementation (and the path used when
``ASMHUB_FACET_INDEX`` is off) and against which the tests compare this one.
"""
