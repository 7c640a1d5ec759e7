"""manage.py backup FOLDER: the database and every stored file, with checksums."""

from django.core.management.base import BaseCommand, CommandError

from asmhub.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a consistent database dump and all stored files, with checksums, to FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new folder to write the backup into")

    def handle(self, *args, folder, **options):
        try:
            manifest = create_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in manifest["missing"]:
            self.stderr.write(f"warning: the database refers to {name}, absent from storage")
        self.stdout.write(
            f"Backed up the database ({manifest['database']['size']} bytes) and "
            f"{len(manifest['files'])} files to {folder}."
        )
