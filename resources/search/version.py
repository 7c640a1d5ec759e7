"""The library's content version, and what is cached under it.

Every change to the library replaces the version (in the database, so every process sees
it); counts, pages and whole rendered pages are cached under it, so a change makes them
all stale at once and nothing needs to be invalidated one by one.
"""

import contextvars
import hashlib
import json
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection

VERSION_KEY = "library"

# The version read once for the request being served (pagecache.version_cached_page).
request_version = contextvars.ContextVar("library_version", default=None)
# And the artefacts stamp read for it, as (stamp,): a stamp may be None.
request_artefacts = contextvars.ContextVar("library_artefacts", default=None)


def content_version():
    """The library's current version: it changes, in the database, with every change.
    Read in plain SQL: every page the page cache serves asks it, and the ORM's query
    took four times the CPU of the statement (0.21 ms against 0.05)."""
    from ..models import ContentVersion

    known = request_version.get()
    if known is not None:
        return known

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('version')} FROM {quote(ContentVersion._meta.db_table)}"
            f" WHERE {quote('key')} = %s",
            [VERSION_KEY],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_version():
    """Make every cached count and page of the library stale, on every process.

    The new version is random, not the old one plus one: a transaction that bumped it and
    then rolled back must never hand its number to different content later."""
    from ..models import ContentVersion

    ContentVersion.objects.update_or_create(
        key=VERSION_KEY, defaults={"version": secrets.randbits(62)}
    )


def cached(version, parts, compute):
    """compute(), cached under the content version and parts (a JSON-able description of
    the page state); a version bump makes every earlier entry unreachable."""
    seconds = settings.ASMHUB_SEARCH_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    key = f"library:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, seconds)
    return value


ARTEFACTS_KEY = "library:artefacts"


def artefacts_stamp():
    """A stamp of what is built from the content outside requests (offline packs): cached
    pages keep it in their key, so a page saying "being prepared" goes once one is made.
    Kept in the cache only (no query): a cleared cache merely starts a new stamp."""
    return cache.get(ARTEFACTS_KEY)


def bump_artefacts():
    """Make cached pages that describe built artefacts stale (the content version holds)."""
    cache.set(ARTEFACTS_KEY, secrets.randbits(62), None)


# What this process has read under the content version of the request it was read for:
# {name: (version, value)}.
_per_version = {}


def per_version(name, read, *, artefacts=False):
    """read(), kept in this process while the library's content version holds: the names
    of themes, commodities and organisations, which tags are in use, the rows of result
    lists. Every change to any of them bumps the version (resources/signals.py).
    artefacts: kept while the artefacts stamp holds too (what is said of offline packs).

    Only where the request's version is already known (a page the page cache serves,
    pagecache.version_cached_page): elsewhere finding the version would cost the query
    this saves, so read() runs as before."""
    version = request_version.get()
    if artefacts:
        stamp = request_artefacts.get()
        version = None if version is None or stamp is None else (version, stamp[0])
    if version is None:
        return read()
    kept = _per_version.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = read()
    _per_version[name] = (version, value)
    return value


def forget_kept():
    """Forget what per_version kept: the next request reads it again (tests, whose data
    is rolled back behind the version's back)."""
    _per_version.clear()


# The most values one per_version_lookup keeps: slugs come from query strings, so what
# is asked cannot grow a process's memory without bound.
MAX_LOOKED_UP = 10_000


def per_version_lookup(name, keys, read):
    """{key: value or None} for keys, each looked up once per content version (per_version):
    read(missing keys) gives {key: value} of those that exist; the rest are kept as None."""
    known = per_version(name, dict)
    asked = [key for key in keys if key not in known]
    if asked:
        if len(known) + len(asked) > MAX_LOOKED_UP:
            known.clear()
        found = read(asked)
        known.update((key, found.get(key)) for key in asked)
    return {key: known[key] for key in keys}
