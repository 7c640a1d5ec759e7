"""Time `aggregate_usage` over N generated usage events (default a million, a busy month)
on the database of DATABASE_URL: `python scripts/bench_usage.py [N]`. Deletes the usage
tables' rows first; use a database of its own."""

import datetime as dt
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from usage.models import AggregatedDay, DailyUsage, Event, Kind  # noqa: E402
from usage_reports.services import aggregate_usage  # noqa: E402


def main(count):
    for model in (Event, DailyUsage, AggregatedDay):
        model.objects.all().delete()
    chance = random.Random(21)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    sessions = [f"{n:032x}" for n in range(60_000)]
    made = time.monotonic()
    batch = []
    for _n in range(count):
        batch.append(
            Event(
                at=start + dt.timedelta(seconds=chance.randrange(30 * 86400)),
                kind=Kind.VIEW if chance.random() < 0.7 else Kind.DOWNLOAD,
                machine=chance.random() < 0.1,
                item_kind="resource",
                item_id=chance.randrange(1, 20_000),
                session=chance.choice(sessions),
            )
        )
        if len(batch) == 20_000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)
    print(f"{count} events made in {time.monotonic() - made:.0f} s", flush=True)
    events, days, refreshed, seconds = aggregate_usage(now=start + dt.timedelta(days=31))
    print(f"aggregated {events} events of {days} days in {seconds:.1f} s")
    print(f"{DailyUsage.objects.count()} daily rows, {Event.objects.count()} events left")
    _e, _d, _r, again = aggregate_usage(now=start + dt.timedelta(days=31))
    print(f"a second run, with nothing new: {again:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
