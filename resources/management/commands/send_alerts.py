"""Queue the e-mail alert digests of one frequency in the outbox (`send_mail` sends them);
cron-able and safe to re-run."""

from django.core.management.base import BaseCommand

from resources.alerts.services import alerts_send
from resources.models import Subscription


class Command(BaseCommand):
    help = "Queue daily or weekly digests of new resources for confirmed alert subscribers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            choices=[value for value, _ in Subscription.Frequency.choices],
        )

    def handle(self, *args, frequency, **options):
        sent = alerts_send(frequency=frequency)
        self.stdout.write(f"{sent} {frequency} digest(s) queued.")
