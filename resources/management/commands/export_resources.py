"""Export resources as CSV in the column layout that import_resources reads."""

import sys

from django.core.management.base import BaseCommand

from resources.curation.imports import export_csv
from resources.models import Resource


class Command(BaseCommand):
    help = "Export resources as CSV (the import's columns); '-' or no file writes to stdout."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-")
        parser.add_argument(
            "--published-only", action="store_true", help="Leave out unpublished resources."
        )

    def handle(self, *args, file="-", published_only=False, **options):
        queryset = Resource.objects.all()
        if published_only:
            queryset = queryset.published()
        if file == "-":
            export_csv(queryset, sys.stdout)
            return
        with open(file, "w", newline="", encoding="utf-8") as handle:
            export_csv(queryset, handle)
