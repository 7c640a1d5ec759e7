"""manage.py backup of a PostgreSQL database and an S3 bucket, restored into a new empty
database and a new empty bucket: every record and every file come back byte for byte."""

import json

import pytest

from .conftest import partner_uploads, pdf, published
from .servers import BUCKET

pytestmark = pytest.mark.cluster

COMPARED = [
    "dumpdata",
    "--natural-foreign",
    "--exclude",
    "contenttypes",
    "--exclude",
    "auth.permission",
    # Derived: the search index is rebuilt, its change log starts anew and its cache key
    # changes, on restore.
    "--exclude",
    "resources.resourcesearch",
    "--exclude",
    "resources.searchchange",
    "--exclude",
    "resources.contentversion",
]


def records(cluster, env):
    dump = json.loads(cluster.manage(*COMPARED, env=env).stdout)
    return sorted(dump, key=lambda record: (record["model"], str(record["pk"])))


def test_backup_and_restore_round_trip(running, tmp_path):
    # One published, two in review: rows with their workflow history and files.
    for n in range(3):
        upload = published if n == 0 else partner_uploads
        upload(
            running,
            slug=f"backed-up-{n}",
            content=pdf(200_000 + n),
            title=f"Backed up {n}",
            countries=["TZ"],
            tags="gold, mercury",
        )

    backup = tmp_path / "backup"
    running.manage("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["missing"] == []

    running.postgres.createdb("asmhub_restored")
    running.seaweedfs.create_bucket("asmhub-restored")
    restored_env = running.env(database="asmhub_restored", bucket="asmhub-restored")
    result = running.manage("restore", str(backup), env=restored_env)
    assert "Restored" in result.stdout

    assert records(running, restored_env) == records(running, running.env())
    original_files = running.seaweedfs.objects(BUCKET)
    assert len(original_files) >= 3
    assert running.seaweedfs.objects("asmhub-restored") == original_files

    # Restoring twice into the same place is refused, not merged.
    again = running.manage("restore", str(backup), env=restored_env, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr
