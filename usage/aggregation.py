"""The day's events made into daily figures by the COUNTER rules.

- A double click (the same session, item and kind again within 30 seconds) counts once:
  of clicks closer than that, only the last is kept.
- Unique views and downloads count an item once per session and hour.
- Machine use (machine endpoints, scripts) is kept on rows of its own.

A day is aggregated as a whole and its rows replaced, so running again changes nothing.
Once a day is over (and a grace period for requests still being answered), its figures
are final: its events and its salt are deleted, and it is never aggregated again.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from usage.models import AggregatedDay, DailyUsage, Event, Kind
from usage.sessions import forget_salts

logger = logging.getLogger(__name__)

DOUBLE_CLICK = dt.timedelta(seconds=30)
GRACE = dt.timedelta(minutes=10)
CHUNK = 20_000

# Positions in a day's figures of an item: [views, unique views, downloads, unique
# downloads, machine requests].
TOTAL = {Kind.VIEW: 0, Kind.DOWNLOAD: 2, Kind.REQUEST: 4}


def day_bounds(day):
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=1)


def count_day(day):
    """{(item_kind, item_id, machine): [views, unique views, downloads, unique downloads,
    requests]} of day's events, read in one ordered pass."""
    start, end = day_bounds(day)
    rows = (
        Event.objects.filter(at__gte=start, at__lt=end)
        .order_by("session", "item_kind", "item_id", "kind", "machine", "at")
        .values_list("session", "item_kind", "item_id", "kind", "machine", "at")
        .iterator(chunk_size=CHUNK)
    )
    figures = {}
    group = None
    pending = None  # the time of the group's last click, not yet known to be counted
    hours = set()
    totals = None

    def close():
        if pending is not None:
            totals[TOTAL[group[3]]] += 1
            hours.add(pending.hour)
        if group is not None and group[3] != Kind.REQUEST:
            totals[TOTAL[group[3]] + 1] += len(hours)

    for session, item_kind, item_id, kind, machine, at in rows:
        key = (session, item_kind, item_id, kind, machine)
        if key != group:
            close()
            group, pending, hours = key, None, set()
            totals = figures.setdefault((item_kind, item_id, machine), [0, 0, 0, 0, 0])
        elif at - pending <= DOUBLE_CLICK:
            pending = at  # a double click: only the later click counts
            continue
        else:
            totals[TOTAL[kind]] += 1
            hours.add(pending.hour)
        pending = at
    close()
    return figures


@transaction.atomic
def aggregate_day(day, *, close=False):
    """Replace day's figures by those of its events; with close, delete its events and
    salt and mark it final. Returns the number of events read."""
    figures = count_day(day)
    DailyUsage.objects.filter(day=day).delete()
    DailyUsage.objects.bulk_create(
        [
            DailyUsage(
                day=day,
                item_kind=item_kind,
                item_id=item_id,
                machine=machine,
                views=views,
                unique_views=unique_views,
                downloads=downloads,
                unique_downloads=unique_downloads,
                requests=requests,
            )
            for (item_kind, item_id, machine), (
                views,
                unique_views,
                downloads,
                unique_downloads,
                requests,
            ) in figures.items()
        ],
        batch_size=5000,
    )
    start, end = day_bounds(day)
    events = Event.objects.filter(at__gte=start, at__lt=end)
    read = events.count()
    if close:
        events.delete()
        forget_salts([day])
    AggregatedDay.objects.update_or_create(
        day=day, defaults={"closed": close, "aggregated_at": timezone.now()}
    )
    return read


def aggregate(now=None):
    """Aggregate every day with events, closing those that are over. Idempotent. Returns
    {day: events read}."""
    now = now or timezone.now()
    first = Event.objects.order_by("at").values_list("at", flat=True).first()
    if first is None:
        return {}
    closed = set(AggregatedDay.objects.filter(closed=True).values_list("day", flat=True))
    done = {}
    day = first.date()
    while day <= now.date():
        over = now >= day_bounds(day)[1] + GRACE
        if day in closed:
            start, end = day_bounds(day)
            late = Event.objects.filter(at__gte=start, at__lt=end).delete()[0]
            if late:
                logger.warning("%s events of closed day %s arrived late: dropped", late, day)
        else:
            done[day] = aggregate_day(day, close=over)
        day += dt.timedelta(days=1)
    return done
