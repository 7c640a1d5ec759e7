"""Backups of the whole hub: a consistent database dump and every stored file, with
checksums, in one folder that `manage.py restore` turns back into a working hub.

Layout of a backup folder:

    manifest.json   format version, time, the dump's and each file's size and SHA-256
    database.pjson  every record with its primary key (dumpdata, as JSON with times to the
                    microsecond: core/precise_json.py), read in one snapshot
    files/<name>    each file of the default storage (disk or bucket), by its stored name

Content types and permissions are left out of the dump: `migrate` creates them in the
new database, and the records that point at them do so by natural key.
"""

import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from resources.models import Resource
from resources.search.backends import backend
from resources.search.facetindex import changelog
from resources.search.version import bump_version

FORMAT = 1
CHUNK_SIZE = 1024 * 1024
# The search index and its change log are derived from the rest: restore rebuilds the
# index (and starts a new generation of it) rather than loading them.
EXCLUDED_MODELS = [
    "contenttypes",
    "auth.permission",
    "resources.resourcesearch",
    "resources.searchchange",
]


class BackupError(Exception):
    pass


def sha256_of(handle):
    """Hex SHA-256 and size of an open binary file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def stored_names(storage, folder=""):
    """Every file name under folder of a storage, walking its directories."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage nothing was ever saved to
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from stored_names(storage, f"{folder}/{directory}" if folder else directory)


def referenced_files():
    """Names of the stored files the database points at (every FileField, every model)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "attname", None) and field.get_internal_type() in {
                "FileField",
                "ImageField",
            }:
                names.update(
                    model._default_manager.exclude(**{field.attname: ""})
                    .values_list(field.attname, flat=True)
                    .distinct()
                )
    return names


def dump_database(path):
    """dumpdata inside one read-only snapshot, so the dump is consistent under writes."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED_MODELS,
            format="pjson",  # times to the microsecond (core/precise_json.py)
            output=str(path),
            verbosity=0,
        )
        return referenced_files()


def create_backup(target):
    """Write a backup into the folder target (which must not exist); return the manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; give a new folder.")
    (target / "files").mkdir(parents=True)
    # The database first: a file uploaded after the snapshot is merely extra; a file
    # the snapshot points at was stored before its row was written, so it is there.
    database = target / "database.pjson"
    referenced = dump_database(database)
    with database.open("rb") as handle:
        database_sha, database_size = sha256_of(handle)
    files = []
    for name in stored_names(default_storage):
        destination = target / "files" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            while chunk := source.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    stored = {entry["name"] for entry in files}
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": {"file": database.name, "size": database_size, "sha256": database_sha},
        "files": files,
        "missing": sorted(referenced - stored),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def verify_backup(source):
    """Check every checksum of a backup folder; return its manifest or raise BackupError."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable manifest.json: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    entries = [(manifest["database"]["file"], manifest["database"])] + [
        (str(Path("files") / entry["name"]), entry) for entry in manifest["files"]
    ]
    for relative, entry in entries:
        path = source / relative
        if not path.is_file():
            raise BackupError(f"{relative} is missing from the backup.")
        with path.open("rb") as handle:
            digest, size = sha256_of(handle)
        if (digest, size) != (entry["sha256"], entry["size"]):
            raise BackupError(f"{relative} does not match its checksum: the backup is damaged.")
    return manifest


def database_is_empty():
    """True when no table holds a row, except those migrate fills by itself (content
    types, permissions, and the Partners and Curators groups of the roles migration)."""
    skipped = {("contenttypes", "contenttype"), ("auth", "permission"), ("auth", "group")}
    return not any(
        model._default_manager.exists()
        for model in apps.get_models()
        if (model._meta.app_label, model._meta.model_name) not in skipped
        and model._meta.managed
        and not model._meta.proxy
    )


def restore_backup(source):
    """Restore a verified backup into an empty, migrated database and storage."""
    source = Path(source)
    manifest = verify_backup(source)
    if not database_is_empty():
        raise BackupError("The database is not empty: restore only into a new database.")
    taken = [e["name"] for e in manifest["files"] if default_storage.exists(e["name"])]
    if taken:
        raise BackupError(f"The storage already holds {len(taken)} of the files, e.g. {taken[0]}.")
    # Files first: if the storage fails half-way the database is still empty and the
    # restore can simply be run again into a fresh storage.
    for entry in manifest["files"]:
        with (source / "files" / entry["name"]).open("rb") as handle:
            saved = default_storage.save(entry["name"], File(handle, name=entry["name"]))
        if saved != entry["name"]:
            raise BackupError(f"The storage renamed {entry['name']} to {saved}.")
    with transaction.atomic():
        # The backup holds the groups as they were, permissions included: it replaces the
        # ones migrate made, whatever their primary keys.
        Group.objects.all().delete()
        # The dump holds the history as it was; loading it must not write more history
        # (simple-history records many-to-many changes even on raw loads).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(source / manifest["database"]["file"]), verbosity=0)
        backend().refresh(Resource.objects.values_list("pk", flat=True))
        changelog.new_generation()
        bump_version()
    return manifest
