"""Build the offline packs that are missing or stale (run it on a timer: see
docs/deploy.md)."""

from django.core.management.base import BaseCommand

from resources.discovery.packs import make_packs
from resources.management.limits import add_run_limits


class Command(BaseCommand):
    help = (
        "Build the offline packs (ZIPs of a library state's files with an index page) "
        "asked for by readers, and those of every country and theme, for the current "
        "content version; a pack whose content did not change is only re-stamped. Packs "
        "of searches nobody asked for in 30 days are deleted."
    )

    def add_arguments(self, parser):
        add_run_limits(parser, "packs")

    def handle(self, *args, limit, seconds, **options):
        built, checked = make_packs(limit=limit, seconds=seconds)
        self.stdout.write(f"Built {built} offline packs of {checked} checked.")
