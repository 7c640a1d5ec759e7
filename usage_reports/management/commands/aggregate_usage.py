"""manage.py aggregate_usage: the COUNTER figures of every day with events (safe to
re-run; run it hourly from cron or a systemd timer, see docs/deploy.md)."""

from django.core.management.base import BaseCommand

from usage_reports.services import aggregate_usage


class Command(BaseCommand):
    help = (
        "Aggregate the usage events by the COUNTER rules into daily figures, close the "
        "days that are over (their events and salt deleted) and refresh the views and "
        "downloads shown on resources. Idempotent."
    )

    def handle(self, *args, **options):
        events, days, refreshed, seconds = aggregate_usage()
        self.stdout.write(
            f"{events} events of {days} days aggregated, {refreshed} resources' figures "
            f"refreshed in {seconds:.1f} s"
        )
