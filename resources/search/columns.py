"""The index table's columns as the library page names them, its sort orders, and the
bounds of relevance ranking: shared by the SQL reference and the facet index."""

# Relevance is ranked among at most this many of the newest matches.
RANK_WINDOW = 10_000

FACET_COLUMNS = {
    "country": "countries",
    "theme": "themes",
    "commodity": "commodities",
    "tag": "tags",
}
SCALAR_COLUMNS = {"type": "resource_type", "language": "language"}
SORTS = {
    "newest": "s.year DESC NULLS LAST, s.date DESC NULLS LAST, s.title, s.resource_id",
    "oldest": "s.year ASC NULLS LAST, s.date ASC NULLS LAST, s.title, s.resource_id",
    "title": "s.title, s.resource_id",
}
