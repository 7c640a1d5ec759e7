"""The library's sort orders, each written once: a Sort renders its ORM ordering, its SQL
ORDER BY on the search index (forwards or backwards) and its key for rows held in Python.

The index table names the resource resource_id where the models say pk; the other columns
have the same names in both.
"""

from dataclasses import dataclass

from django.db.models import F


@dataclass(frozen=True)
class Key:
    """One part of a sort order: a column, its direction, and whether it can be missing
    (missing values always last)."""

    column: str
    descending: bool = False
    nullable: bool = False

    @property
    def field(self):
        return "pk" if self.column == "resource_id" else self.column

    @property
    def order_by(self):
        if self.nullable:
            field = F(self.field)
            return field.desc(nulls_last=True) if self.descending else field.asc(nulls_last=True)
        return f"-{self.field}" if self.descending else self.field

    def sql(self, alias, backwards=False):
        descending = self.descending != backwards
        text = f"{alias}.{self.column}" if alias else self.column
        if self.nullable:
            nulls = "FIRST" if backwards else "LAST"
            return f"{text} {'DESC' if descending else 'ASC'} NULLS {nulls}"
        return f"{text} DESC" if descending else text


def _missing_last(value, descending):
    """A key part: known values first (ascending or descending), missing ones last."""
    if value is None:
        return (1, 0)
    number = value.toordinal() if hasattr(value, "toordinal") else value
    return (0, -number if descending else number)


class Sort:
    """A sort order of resources: order_by for a queryset, sql() for the index table,
    key() for rows in Python (any object with the columns as attributes)."""

    def __init__(self, *keys):
        self.keys = keys

    @property
    def order_by(self):
        """The ordering of a queryset of resources (missing values last)."""
        return tuple(key.order_by for key in self.keys)

    def sql(self, alias="s", backwards=False):
        """The ORDER BY list on the index table aliased alias ("" for none); backwards:
        the same order read from its end, as a backward scan of its index reads it."""
        return ", ".join(key.sql(alias, backwards) for key in self.keys)

    def key(self, row):
        """The sort key of a row in Python, as the SQL orders rows (titles compared as
        Python strings, where PostgreSQL uses its collation)."""
        parts = []
        for key in self.keys:
            value = getattr(row, key.column)
            if key.nullable:
                parts.append(_missing_last(value, key.descending))
            elif key.descending:
                parts.append(-value)
            else:
                parts.append(value)
        return tuple(parts)


NEWEST = Sort(
    Key("year", descending=True, nullable=True),
    Key("date", descending=True, nullable=True),
    Key("title"),
    Key("resource_id"),
)
OLDEST = Sort(
    Key("year", nullable=True),
    Key("date", nullable=True),
    Key("title"),
    Key("resource_id"),
)
TITLE = Sort(Key("title"), Key("resource_id"))
# The order of feeds and alerts: the latest published first (not a column of the index).
LATEST_PUBLISHED = Sort(Key("published_at", descending=True), Key("resource_id", descending=True))

# The orders a visitor can choose besides relevance, by the name the library page uses.
SORTS = {"newest": NEWEST, "oldest": OLDEST, "title": TITLE}
