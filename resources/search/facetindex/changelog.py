"""The change log the facet index follows, and its generation.

``indexing.refresh`` writes the ids of the resources it rebuilt to ``SearchChange``, with
its transaction id, in the transaction that bumps the content version; a process reads
the entries it has not applied. A new generation (a reindex, a restore, a change to more
resources than the overlay is for) makes every process load its snapshot afresh.
"""

import secrets

from django.db import connection

GENERATION_KEY = "index-generation"
# Overlay rows are counted in Python on every request; past this many, load afresh.
OVERLAY_LIMIT = 2000
# The oldest transaction still running, as a number comparable with the log's xid.
XMIN_SQL = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
# The change log keeps a day; a process whose snapshot is older than this loads afresh
# (it is reloaded in the background long before, at half this age, if it serves at all).
LOG_KEPT = "1 day"
MAX_SNAPSHOT_AGE = 6 * 3600


def generation():
    """The index's generation: replaced when the whole index is rebuilt."""
    from ...models import ContentVersion

    row = ContentVersion.objects.filter(key=GENERATION_KEY).values_list("version", flat=True)
    return next(iter(row), 0)


def new_generation():
    """Every process loads its snapshot afresh at its next request (after a reindex, a
    restore, or a change to more resources than the overlay is for)."""
    from ...models import ContentVersion

    ContentVersion.objects.update_or_create(
        key=GENERATION_KEY, defaults={"version": secrets.randbits(62)}
    )


def log_changes(ids):
    """Record that the index rows of ids were rebuilt (indexing.refresh calls this)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO resources_searchchange (resource_id, at, xid)"
            " SELECT unnest(%s::int[]), now(), pg_current_xact_id()::text::bigint",
            [list(ids)],
        )


def prune_log():
    """Drop change log entries older than LOG_KEPT (after a fresh snapshot is read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM resources_searchchange WHERE at < now() - interval '{LOG_KEPT}'"
        )
