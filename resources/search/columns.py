"""The index table's columns as the library page names them, and the bounds of relevance
ranking: shared by the SQL reference and the facet index (the sort orders: resources/sorts.py)."""

# Relevance is ranked among at most this many of the newest matches.
RANK_WINDOW = 10_000
# A resource found only by a thesaurus equivalent of the words searched for ranks at this
# fraction of its score (SQLite), or of the score of the words themselves added to it
# (PostgreSQL, tsquery.rank_sql): a little below one found by the words themselves.
EQUIVALENT_WEIGHT = 0.8

FACET_COLUMNS = {
    "country": "countries",
    "theme": "themes",
    "commodity": "commodities",
    "tag": "tags",
    "organisation": "organisations",
}
SCALAR_COLUMNS = {"type": "resource_type", "language": "language"}
