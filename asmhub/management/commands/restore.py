"""manage.py restore FOLDER: a backup back into an empty database and storage."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from asmhub.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and storage."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup folder")

    def handle(self, *args, folder, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database and {len(manifest['files'])} files from {folder}."
        )
