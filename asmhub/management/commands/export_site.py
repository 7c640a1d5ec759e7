"""Write the whole public hub as static files into a folder (docs/offline.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from asmhub.export import export_site


class Command(BaseCommand):
    help = (
        "Write every public page in every language, the files, thumbnails, feeds, static "
        "assets and an OAI-PMH Static Repository into DIR (new or empty), for any static "
        "host. Set ASMHUB_BASE_URL to the address the copy will be served at first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            choices=[code for code, _ in settings.LANGUAGES],
            help="Only this interface language (repeatable); every language by default.",
        )

    def handle(self, *args, directory, languages, **options):
        if directory.exists() and any(directory.iterdir()):
            raise CommandError(f"{directory} is not empty.")
        result = export_site(directory, languages=languages)
        self.stdout.write(
            f"Exported {result['pages']} pages and {result['files']} files into {directory}."
        )
        if result["missing"]:
            self.stdout.write(
                f"{len(result['missing'])} linked addresses answered no page and are left "
                "unlinked (see the log)."
            )
