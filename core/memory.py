"""Garbage collection for a long-running app process.

CPython's full (generation 2) collection walks every object the collector tracks. A
Django process that has served a few pages holds about 100,000 of them (modules,
functions, the URL resolver, compiled templates, translation catalogues), and the pause
of walking them falls on whichever request happens to allocate at that moment: it was
the 95th percentile of every page (docs/performance.md). None of those objects ever
becomes garbage, so once the process has settled they are moved out of the collector's
sight with gc.freeze(); the collector then only walks what was made since, most of it
the objects of the request in flight.

settle() runs twice in a served process: in gunicorn's master before it forks (the
pattern the gc documentation gives for forking servers: the workers also keep sharing
those pages copy-on-write), and in each process once it has answered
ASMHUB_GC_SETTLE_AFTER requests, by which time it has loaded what its first pages load
lazily.
"""

import gc
import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_served = 0
_settled = False


def settle(final=False):
    """Collect what is garbage now, then freeze everything left: it lives as long as
    the process. final: this process has served its first requests and will not settle
    again (gunicorn's master settles, not finally: its workers do once more). Returns
    the number of objects frozen."""
    global _settled
    gc.collect()
    gc.freeze()
    if final:
        with _lock:
            _settled = True
    return gc.get_freeze_count()


def request_finished(**kwargs):
    """Receiver of request_finished: settle once, after the process's first
    ASMHUB_GC_SETTLE_AFTER requests (0: never)."""
    global _served, _settled
    after = settings.ASMHUB_GC_SETTLE_AFTER
    if _settled or not after:
        return
    with _lock:
        _served += 1
        if _served < after or _settled:
            return
        _settled = True
    frozen = settle(final=True)
    logger.info("gc: %s long-lived objects frozen after %s requests", frozen, after)


def reset():
    """Forget that this process settled (tests; a forked child starts counting anew)."""
    global _served, _settled
    with _lock:
        _served = 0
        _settled = False
