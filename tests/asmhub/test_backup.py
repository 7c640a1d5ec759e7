"""manage.py backup and restore: every record and every file back, byte for byte."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from asmhub.backups import stored_names
from resources.search.facetindex import changelog
from tests.factories import CountryFactory, ResourceFactory, ThemeFactory


def dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        # The search index, its change log and its cache key are derived: restore
        # rebuilds and renews them.
        exclude=[
            "contenttypes",
            "auth.permission",
            "resources.resourcesearch",
            "resources.searchchange",
            "resources.contentversion",
        ],
        stdout=out,
    )
    return sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], str(r.get("pk"))))


def files():
    found = {}
    for name in stored_names(default_storage):
        with default_storage.open(name) as handle:
            found[name] = handle.read()
    return found


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_empty_database_and_storage(tmp_path, settings):
    User.objects.create_superuser("curator", "c@example.org", "pw-123456789")
    ResourceFactory(
        slug="with-file",
        external_url="",
        file=ContentFile(bytes(range(256)) * 50, name="a.pdf"),
        countries=[CountryFactory(code="TZ")],
        themes=[ThemeFactory(slug="mercury", name="Mercury")],
        tags=["gold", "women"],
        authors=["Hilson, Gavin", "IIED"],
    )
    ResourceFactory(slug="link-only")
    before_records, before_files = dump(), files()
    assert len(before_files) == 1

    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert [entry["name"] for entry in manifest["files"]] == list(before_files)
    assert manifest["missing"] == []

    # An empty database and an empty storage.
    call_command("flush", interactive=False)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert files() == {}

    call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())
    assert dump() == before_records
    # Every process's in-memory facet index reads the restored index afresh.
    assert changelog.generation() != 0
    assert files() == before_files


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    ResourceFactory()
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_restore_refuses_a_damaged_backup(tmp_path):
    ResourceFactory(external_url="", file=ContentFile(b"%PDF-1.4 original", name="x.pdf"))
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    (stored,) = (tmp_path / "backup" / "files").rglob("*.pdf")
    stored.write_bytes(b"%PDF-1.4 tampered")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_backup_reports_files_the_database_points_at_but_storage_lacks(tmp_path):
    resource = ResourceFactory(external_url="", file=ContentFile(b"%PDF-1.4", name="x.pdf"))
    default_storage.delete(resource.file.name)
    err = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO(), stderr=err)
    assert resource.file.name in err.getvalue()


def test_backup_refuses_an_existing_folder(tmp_path):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_times_come_back_to_the_microsecond(tmp_path):
    """Django's JSON keeps milliseconds; a backup keeps every digit (a time 512 µs past
    the second came back as the whole second, and dumps no longer matched)."""
    import datetime as dt

    from resources.models import Resource

    moment = dt.datetime(2024, 5, 6, 7, 8, 9, 512, tzinfo=dt.UTC)
    resource = ResourceFactory()
    Resource.objects.filter(pk=resource.pk).update(published_at=moment, updated_at=moment)
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    call_command("flush", interactive=False)
    call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())
    restored = Resource.objects.get(pk=resource.pk)
    assert (restored.published_at, restored.updated_at) == (moment, moment)
