"""Rebuild the search index: extract the text of every file again, then every index row."""

import time

from django.core.management.base import BaseCommand

from resources.curation.thumbnails import make_thumbnails
from resources.files.extraction import extract_text
from resources.models import Resource
from resources.search.backends import backend


class Command(BaseCommand):
    help = "Extract the text of resource files again and rebuild the full-text search index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-extraction",
            action="store_true",
            help="Keep the text already extracted; only rebuild the index rows.",
        )
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--workers", type=int, default=1, help="Batches built at once.")
        parser.add_argument(
            "--empty-first",
            action="store_true",
            help="Empty the index and build its text index once at the end (faster for a "
            "fresh database; search finds nothing meanwhile).",
        )

    def handle(self, *args, skip_extraction, batch, workers, empty_first, **options):
        started = time.monotonic()
        if not skip_extraction:
            extracted = 0
            with_files = Resource.objects.exclude(file="").only("pk", "file", "full_text")
            for resource in with_files.iterator(chunk_size=200):
                try:
                    with resource.file.open("rb") as handle:
                        text = extract_text(handle)
                except OSError as error:
                    self.stderr.write(f"Resource {resource.pk}: file unreadable ({error})")
                    text = ""
                if text != resource.full_text:
                    Resource.objects.filter(pk=resource.pk).update(full_text=text)
                extracted += 1
            self.stdout.write(f"Extracted the text of {extracted} files.")
            made, tried = make_thumbnails()
            self.stdout.write(f"Made {made} thumbnails of {tried} files tried.")
        indexed = backend().reindex(
            batch_size=batch,
            progress=lambda n: self.stdout.write(f"  {n} indexed"),
            empty_first=empty_first,
            workers=workers,
        )
        self.stdout.write(
            f"Indexed {indexed} published resources in {time.monotonic() - started:.0f}s."
        )
