"""Build the offline packs that are missing or stale (run it on a timer: see
docs/deploy.md)."""

from django.core.management.base import BaseCommand

from resources.discovery.packs import make_packs


class Command(BaseCommand):
    help = (
        "Build the offline packs (ZIPs of a library state's files with an index page) "
        "asked for by readers, and those of every country and theme, for the current "
        "content version; a pack whose content did not change is only re-stamped. Packs "
        "of searches nobody asked for in 30 days are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many packs.")
        parser.add_argument(
            "--seconds",
            type=int,
            default=None,
            help="Start no new pack after this many seconds (keeps a timer's run short).",
        )

    def handle(self, *args, limit, seconds, **options):
        built, checked = make_packs(limit=limit, seconds=seconds)
        self.stdout.write(f"Built {built} offline packs of {checked} checked.")
