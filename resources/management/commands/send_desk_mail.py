"""Queue the curators' hourly digest of new submissions in the outbox (run it from cron
every few minutes, beside `send_mail`, which sends the outbox)."""

from django.core.management.base import BaseCommand

from resources.curation.notifications import send_submission_digests


class Command(BaseCommand):
    help = "Queue the curators' digests of resources submitted for review (at most hourly)."

    def handle(self, *args, **options):
        queued = send_submission_digests()
        self.stdout.write(f"{queued} digest(s) queued")
