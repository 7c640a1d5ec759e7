"""The state a process serves from: its view of the facet index (a snapshot, the positions
no longer current, the overlay), kept in step with the content version, and read afresh
in a background thread once enough has changed."""

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, connections

from ..version import content_version
from . import changelog
from .overlay import read_rows
from .snapshot import Snapshot, load

logger = logging.getLogger(__name__)

# A background read of a fresh snapshot reads the whole index table, in every worker
# (docs/performance.md): it starts once the overlay holds this many rows, or when its
# oldest row has waited this long. Until then the overlay serves (exactly, a little slower).
RELOAD_ROWS = 100
RELOAD_SECONDS = 300


@dataclass
class View:
    """What a request counts with: a snapshot, the positions in it that are no longer
    current, and the current rows of the resources changed since it was read."""

    snapshot: Snapshot
    version: int
    alive: np.ndarray
    overlay: dict
    seen: frozenset
    low_water: int
    # When (monotonic) the overlay got its first row: None while it is empty.
    overlay_since: float | None = None

    @classmethod
    def of(cls, snapshot, version):
        """A snapshot just read, with nothing patched in."""
        alive = np.ones(snapshot.size, dtype=bool)
        return cls(snapshot, version, alive, {}, snapshot.seen, snapshot.low_water)


class FacetIndex:
    """The process's view of the index, kept in step with the content version."""

    def __init__(self, background=True):
        self.background = background
        self.view = None
        self.lock = threading.Lock()
        self.reloading = False

    def current(self, version):
        """The view for content version (read by the request), synced first if needed."""
        view = self.view
        if view is None or view.version != version:
            with self.lock:
                view = self.view
                if view is None or view.version != version:
                    view = self._sync(view, version)
                    self.view = view
        if self.background and self._reload_due(view):
            self._reload_in_background()
        return view

    @staticmethod
    def _reload_due(view):
        if time.time() - view.snapshot.read_at > changelog.MAX_SNAPSHOT_AGE / 2:
            return True
        if not view.overlay:
            return False
        waited = time.monotonic() - (view.overlay_since or time.monotonic())
        return len(view.overlay) >= RELOAD_ROWS or waited >= RELOAD_SECONDS

    def _sync(self, view, version):
        if view is None or time.time() - view.snapshot.read_at > changelog.MAX_SNAPSHOT_AGE:
            return self._fresh(version)
        if view.snapshot.generation != changelog.generation():
            return self._fresh(version)
        with connection.cursor() as cursor:
            # One statement, so one snapshot: the entries of every transaction that had
            # not ended at the last sync (low_water), and the xmin they are read at. An
            # entry of a transaction still running is invisible now, and its xid is at
            # least the new xmin, so the next sync reads it: nothing is missed, however
            # long a transaction (an import of thousands of records) takes.
            cursor.execute(
                "SELECT x.xmin, e.id, e.resource_id, e.xid"
                f" FROM (SELECT {changelog.XMIN_SQL} AS xmin) x"
                " LEFT JOIN resources_searchchange e ON e.xid >= %s",
                [view.low_water],
            )
            result = cursor.fetchall()
            xmin = result[0][0]
            entries = [(pk, rid, xid) for _x, pk, rid, xid in result if pk is not None]
            new = [(pk, rid, xid) for pk, rid, xid in entries if pk not in view.seen]
            changed = {rid for _pk, rid, _xid in new}
            if len(view.overlay) + len(changed) > changelog.OVERLAY_LIMIT:
                return self._fresh(version)
            rows = read_rows(cursor, changed) if changed else {}
        alive = view.alive
        overlay = view.overlay
        if changed:
            alive = alive.copy()
            alive[view.snapshot.positions(sorted(changed))] = False
            overlay = {k: v for k, v in overlay.items() if k not in changed}
            overlay.update(rows)
        low_water = max(view.low_water, xmin)
        seen = frozenset(pk for pk, _rid, xid in entries if xid >= low_water)
        since = view.overlay_since
        if overlay and since is None:
            since = time.monotonic()
        return View(view.snapshot, version, alive, overlay, seen, low_water, since)

    def _fresh(self, version):
        return View.of(load(self.view.snapshot if self.view else None), version)

    def _reload_in_background(self):
        """Build a fresh snapshot beside the one in use, then swap it in."""
        with self.lock:
            if self.reloading:
                return
            self.reloading = True

        def run():
            try:
                snapshot = load(self.view.snapshot if self.view else None)
                changelog.prune_log()
                with self.lock:
                    old = self.view
                    if old is None or snapshot.started < old.snapshot.started:
                        return
                    # Version unknown here: the next request syncs from the new log mark.
                    self.view = View.of(snapshot, None)
            except Exception:
                logger.exception("facet index: background reload failed")
            finally:
                connections.close_all()
                with self.lock:
                    self.reloading = False

        threading.Thread(target=run, name="facet-index-reload", daemon=True).start()


_index = FacetIndex()


def process_index():
    """This process's facet index (background reloads only where settings allow)."""
    _index.background = settings.ASMHUB_FACET_INDEX_BACKGROUND
    return _index


def preload(log=logger):
    """Read the facet index now (gunicorn's master does, before it forks its workers), and
    leave no database connection open behind it. A failure is logged: the workers then
    read it at their first request."""
    try:
        started = time.monotonic()
        view = process_index().current(content_version())
        log.info(
            "facet index: %s resources read before the workers start (%.1f s)",
            view.snapshot.size,
            time.monotonic() - started,
        )
    except Exception:
        log.exception("facet index: not read at start; the workers will read it")
    finally:
        connections.close_all()
