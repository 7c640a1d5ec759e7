"""Offline packs: the files of a library state (a country, a theme, any search) in one ZIP
with a self-contained ``index.html`` that lists and links them with their metadata and
citations, for a USB stick or a phone with no connection.

A pack is built outside any request (``manage.py make_packs`` on a timer, docs/deploy.md)
once per content version, and kept in storage under a fingerprint of what it holds: a
change elsewhere in the library only re-stamps it. A page asks ``offer()`` (at most one query)
what to say of its pack; the pack's URL serves the stored ZIP or asks for it to be made.
What a pack holds is capped (ASMHUB_PACK_MAX_RESOURCES, ASMHUB_PACK_MAX_BYTES).
"""

import hashlib
import json
import logging
import tempfile
import zipfile
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Count, F, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from resources.discovery import citations
from resources.filters import ResourceFilter
from resources.models import OfflinePack, Resource, Theme
from resources.pictures import thumbnail_url
from resources.search.version import bump_artefacts, content_version, per_version

logger = logging.getLogger(__name__)

# Raised when the pack's layout changes, so every stored pack is made again.
PACK_FORMAT = 1
# A search's pack nobody asked for in this long is deleted (country and theme packs stay).
KEEP_UNASKED = timedelta(days=30)


def max_resources():
    return getattr(settings, "ASMHUB_PACK_MAX_RESOURCES", 200)


def max_bytes():
    return getattr(settings, "ASMHUB_PACK_MAX_BYTES", 100 * 1024 * 1024)


def pack_filterset(params):
    """The library's FilterSet over published resources with all a pack shows."""
    return ResourceFilter(params, queryset=Resource.objects.for_detail())


def pack_query(filterset):
    """The state's one spelling (its valid filters and search, not its order or page)."""
    return urlencode(filterset.canonical_params())


def pack_key(query, language):
    return hashlib.sha1(f"{language}\n{query}".encode()).hexdigest()


def pack_url(query):
    return reverse("resources:pack") + (f"?{query}" if query else "")


def offer(filterset, language):
    """What a page says of its state's pack: its URL, whether it is ready for the current
    content version and then its size and number of files (built_packs)."""
    query = pack_query(filterset)
    row = built_packs(filterset.index().content_version).get(pack_key(query, language))
    return {
        "url": pack_url(query),
        "ready": row is not None,
        "size": row[0] if row else None,
        "files": row[1] if row else None,
    }


def built_packs(version=content_version):
    """{key: (size, number of files)} of every pack built for the content version: one
    query, none where the page cache knows the content version and the artefacts stamp:
    what was read is kept while both hold (per_version), as a built or lost pack bumps
    the stamp. Every state of a varied load asked for its own pack's row (4 % of the
    app's samples, docs/performance.md); the packs built are few, one per state asked
    for in the last weeks."""

    def read():
        built = OfflinePack.objects.filter(version=version()).exclude(file="")
        return {
            key: (size, files)
            for key, size, files in built.values_list("key", "size", "file_count")
        }

    return per_version("built packs", read, artefacts=True)


def ready_pack(query, language, version=content_version):
    """The pack of query stored for the content version (version(), read only when a
    built pack is found), or None."""
    row = OfflinePack.objects.filter(key=pack_key(query, language)).exclude(file="").first()
    return row if row is not None and row.version == version() else None


def request_pack(query, language):
    """Ask the next ``make_packs`` run for this pack (and keep it from being pruned)."""
    OfflinePack.objects.update_or_create(
        key=pack_key(query, language),
        defaults={"query": query, "language": language, "requested_at": timezone.now()},
    )


def mark_stale(row):
    """Have the next run make row's pack again (its stored file went missing); pages
    stop saying it is ready."""
    OfflinePack.objects.filter(pk=row.pk).update(version=None, fingerprint="")
    bump_artefacts()


# -- what a pack holds ----------------------------------------------------------------------


class Entry:
    """One stored file of a pack: where it is read from and where it goes in the ZIP."""

    def __init__(self, stored, name, arcname, size):
        self.stored, self.name, self.arcname, self.size = stored, name, arcname, size


def resource_entries(resource):
    """The public files of a published resource: its file, its language versions' files
    and the picture of its first page."""
    entries = []
    if resource.file:
        entries.append(
            Entry(
                resource.file,
                resource.file.name,
                f"files/{resource.slug}/{resource.file_name}",
                resource.file_size or 0,
            )
        )
    for version in resource.versions.all():
        entries.append(
            Entry(
                version.file,
                version.file.name,
                f"files/{resource.slug}/{version.language}/{version.file_name}",
                version.file_size or 0,
            )
        )
    if thumbnail_url(resource):
        entries.append(
            Entry(resource.file, resource.thumbnail, f"thumbnails/{resource.slug}.webp", 0)
        )
    return entries


def select(filterset):
    """[(resource, its entries, whether they fit)]: the first resources of the state in
    its order, their files included while the pack stays under its size cap."""
    selection, total = [], 0
    for resource in filterset.sorted_queryset()[: max_resources()]:
        entries = resource_entries(resource)
        size = sum(entry.size for entry in entries)
        fits = total + size <= max_bytes()
        total += size if fits else 0
        selection.append((resource, entries, fits))
    return selection


def fingerprint(query, language, selection):
    """A digest of what the pack holds: it changes only when the pack would."""
    rows = [
        [r.pk, r.updated_at.isoformat(), fits, [(e.name, e.arcname) for e in entries]]
        for r, entries, fits in selection
    ]
    parts = [PACK_FORMAT, settings.ASMHUB_BASE_URL, language, query, rows]
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()


def describe(filterset):
    """The state in words, "Country: Tanzania; Theme: Mercury", or "" for the whole library."""
    labels = filterset.value_labels
    words = []
    for name, value in filterset.canonical_params():
        known = value.upper() if name == "country" else value
        label = (labels[name](known) if name in labels else None) or value
        words.append(f"{filterset.filters[name].label}: {label}")
    return "; ".join(words)


# -- building -------------------------------------------------------------------------------


def absolute(path):
    return settings.ASMHUB_BASE_URL + path


def render_index(filterset, query, selection):
    """The pack's index.html: self-contained, every link to a file relative."""
    items = []
    for resource, entries, fits in selection:
        items.append(
            {
                "resource": resource,
                "reference": citations.apa_reference(resource, absolute),
                "online": absolute(resource.get_absolute_url()),
                "files": [e for e in entries if not e.arcname.startswith("thumbnails/")]
                if fits
                else [],
                "left_out": not fits and any(entries),
                "thumbnail": next(
                    (e.arcname for e in entries if e.arcname.startswith("thumbnails/") and fits),
                    "",
                ),
            }
        )
    return render_to_string(
        "resources/pack_index.html",
        {
            "title": describe(filterset),
            "items": items,
            "source": absolute(reverse("resources:list")) + (f"?{query}" if query else ""),
            "made": timezone.now(),
            "max_resources": max_resources(),
            "max_megabytes": max_bytes() // (1024 * 1024),
            "total": filterset.sorted_queryset().count(),
        },
    )


def folder_name(filterset):
    return "asm-hub-" + (slugify(describe(filterset))[:60].strip("-") or "library")


def write_zip(handle, filterset, query, selection):
    """Write the pack into handle; returns the number of files it holds (index included)."""
    folder = folder_name(filterset)
    count = 0
    with zipfile.ZipFile(handle, "w") as archive:
        archive.writestr(
            f"{folder}/index.html",
            render_index(filterset, query, selection),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        resources = [resource for resource, _, _ in selection]
        archive.writestr(
            f"{folder}/citations.bib",
            "\n".join(citations.bibtex_entry(r, absolute) for r in resources),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr(
            f"{folder}/citations.ris",
            "".join(citations.ris_record(r, absolute) for r in resources),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        count += 3
        for _resource, entries, fits in selection:
            for entry in entries if fits else []:
                # Documents are compressed already: stored as they are, read in chunks.
                with (
                    entry.stored.storage.open(entry.name, "rb") as source,
                    archive.open(f"{folder}/{entry.arcname}", "w", force_zip64=True) as target,
                ):
                    for chunk in iter(lambda s=source: s.read(1024 * 1024), b""):
                        target.write(chunk)
                count += 1
    return count


def build(row):
    """Make row's pack for the current content version, unless what it would hold is what
    the stored one holds: then only re-stamp it. Returns True if a ZIP was written."""
    version = content_version()  # read first: a change during the build leaves it stale
    with translation.override(row.language):
        filterset = pack_filterset(QueryDict(row.query))
        selection = select(filterset)
        digest = fingerprint(row.query, row.language, selection)
        if row.file and row.fingerprint == digest and default_storage.exists(row.file):
            OfflinePack.objects.filter(pk=row.pk).update(version=version)
            return False
        with tempfile.TemporaryFile() as handle:
            count = write_zip(handle, filterset, row.query, selection)
            size = handle.tell()
            handle.seek(0)
            name = default_storage.save(f"packs/{row.key}-{digest[:12]}.zip", File(handle))
    old = row.file
    OfflinePack.objects.filter(pk=row.pk).update(
        version=version,
        fingerprint=digest,
        file=name,
        size=size,
        file_count=count,
        resource_count=len(selection),
        built_at=timezone.now(),
    )
    if old and old != name:
        delete_file(old)
    return True


def delete_file(name):
    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("Stale offline pack %s not deleted", name)


def standing_queries():
    """The packs kept ready whether asked for or not: every country and every theme with a
    published resource."""
    published = Q(resources__status=Resource.Status.PUBLISHED)
    countries = Resource.objects.published().values_list("countries__code", flat=True).distinct()
    themes = (
        Theme.objects.annotate(n=Count("resources", filter=published))
        .filter(n__gt=0)
        .values_list("slug", flat=True)
    )
    queries = [urlencode({"country": code.lower()}) for code in countries if code]
    return sorted(queries) + sorted(urlencode({"theme": slug}) for slug in themes)


def make_packs(*, seconds=None, limit=None):
    """Build the packs that are missing or stale, the asked-for first, for about seconds or
    at most limit of them; delete the packs nobody asks for. Returns (built, checked)."""
    started = timezone.now()
    language = settings.LANGUAGE_CODE
    standing = set(standing_queries())
    for query in standing:
        OfflinePack.objects.get_or_create(
            key=pack_key(query, language), defaults={"query": query, "language": language}
        )
    cutoff = started - KEEP_UNASKED
    dropped = 0
    for row in OfflinePack.objects.exclude(
        Q(language=language, query__in=standing) | Q(requested_at__gte=cutoff)
    ):
        if row.file:
            delete_file(row.file)
            dropped += 1
        row.delete()
    built = checked = 0
    stale = OfflinePack.objects.exclude(version=content_version()).order_by(
        F("requested_at").desc(nulls_last=True), "query"
    )
    for row in stale:
        if limit is not None and checked >= limit:
            break
        if seconds is not None and (timezone.now() - started).total_seconds() > seconds:
            break
        checked += 1
        try:
            built += build(row)
        except Exception:
            # One unreadable file or a storage hiccup must not hold up every other pack:
            # this one stays stale and is tried again on the next run.
            logger.exception("Offline pack ?%s (%s) not built", row.query, row.language)
    if checked or dropped:
        bump_artefacts()
    return built, checked
