"""Import resources from a CSV file in the library's column layout (all or nothing)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from resources.curation.imports import CREATED, REFUSED, UNCHANGED, UPDATED, import_csv
from resources.curation.thumbnails import make_thumbnails
from resources.models import Resource


class Command(BaseCommand):
    help = (
        "Import resources from a CSV file (columns of resources/demo/resources.csv). "
        "Rows match existing resources on an identifier, else on title and year; any "
        "refused row leaves the library unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, UTF-8")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new resources at once (default: they start as drafts).",
        )
        parser.add_argument("--user", help="Username recorded as having made the changes.")

    def handle(self, *args, file, dry_run=False, publish=False, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user!r}.")
        try:
            with open(file, newline="", encoding="utf-8-sig") as handle:
                report = import_csv(
                    handle,
                    dry_run=dry_run,
                    user=actor,
                    status=Resource.Status.PUBLISHED if publish else Resource.Status.DRAFT,
                )
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        counts = report.counts
        would = "would be " if dry_run else ""
        for action in (CREATED, UPDATED, UNCHANGED, REFUSED):
            self.stdout.write(f"{counts[action]} {would}{action}")
        if not report.ok:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError("Nothing was imported: fix the lines above and run it again.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS("Import done."))
            made, tried = make_thumbnails()
            self.stdout.write(f"Made {made} thumbnails of {tried} files tried.")
