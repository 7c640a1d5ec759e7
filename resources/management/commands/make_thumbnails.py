"""Make the missing and stale thumbnails of resources' PDFs (run it on a timer: see
docs/deploy.md)."""

from django.core.management.base import BaseCommand

from resources.curation.thumbnails import make_thumbnails
from resources.management.limits import add_run_limits


class Command(BaseCommand):
    help = (
        "Render the first page of every PDF whose thumbnail is missing or was made from an "
        "earlier file. Each PDF is rendered in a child process with a memory ceiling and a "
        "time limit; a file that cannot be rendered is logged and not tried again."
    )

    def add_arguments(self, parser):
        add_run_limits(parser, "files")

    def handle(self, *args, limit, seconds, **options):
        made, tried = make_thumbnails(limit=limit, seconds=seconds)
        self.stdout.write(f"Made {made} thumbnails of {tried} files tried.")
