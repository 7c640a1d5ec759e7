"""The search index's tables: index rows, words, the change log, the content version."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .resource import Resource


class PostgresOnlyField(models.Field):
    """A column whose type exists only on PostgreSQL (a text array, a tsvector); on SQLite
    it is plain text and stays empty, so one migration serves both databases."""

    def __init__(self, *args, pg_type, **kwargs):
        self.pg_type = pg_type
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["pg_type"] = self.pg_type
        return name, path, args, kwargs

    def db_type(self, connection):
        return self.pg_type if connection.vendor == "postgresql" else "text"


class ResourceSearch(models.Model):
    """The search index row of one published resource (PostgreSQL only; see
    search/indexing.py): the filter values as arrays and the weighted text search vectors,
    so the library is filtered, counted, faceted and ranked from this one table.

    Only published resources have a row, so nothing else can reach a public result."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="search_row"
    )
    title = models.TextField()
    year = models.SmallIntegerField(null=True)
    date = models.DateField(null=True)
    resource_type = models.CharField(max_length=20)
    language = models.CharField(max_length=5)
    countries = PostgresOnlyField(pg_type="text[]")
    themes = PostgresOnlyField(pg_type="text[]")
    commodities = PostgresOnlyField(pg_type="text[]")
    tags = PostgresOnlyField(pg_type="text[]")
    meta_vector = PostgresOnlyField(pg_type="tsvector")
    vector = PostgresOnlyField(pg_type="tsvector")

    class Meta:
        verbose_name = _("search index row")
        verbose_name_plural = _("search index rows")

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word of the titles and vocabularies, for "did you mean" (trigram similarity)."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class SearchChange(models.Model):
    """A resource whose search index row was rebuilt, and when: the log a process reads
    to bring its in-memory facet index up to date (search/facetindex/). Entries are
    kept for a day."""

    resource_id = models.IntegerField()
    at = models.DateTimeField(db_index=True)
    # The writing transaction's id (PostgreSQL's pg_current_xact_id): a process reads the
    # entries of every transaction not yet ended when it last looked.
    xid = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self):
        return f"{self.resource_id} at {self.at}"


class ContentVersion(models.Model):
    """A counter bumped on every change to the library, in the same transaction, so
    cached facet counts and result pages keyed by it are never stale, on any process."""

    key = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return f"{self.key} {self.version}"
