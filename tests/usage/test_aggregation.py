"""The COUNTER rules applied by the daily aggregation: double clicks, unique counts per
session-hour, resumed downloads, idempotence, and what is thrown away after a day."""

import datetime as dt
import itertools
import random
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client

from tests.conftest import BROWSER_AGENT
from tests.factories import ResourceFactory
from usage.aggregation import aggregate, aggregate_day
from usage.models import AggregatedDay, DailyUsage, DaySalt, Event, Kind
from usage.sessions import salt_for

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 4)


def at(hour, minute=0, second=0):
    return dt.datetime(2026, 3, 4, hour, minute, second, tzinfo=dt.UTC)


def visit(url, moment, address="192.0.2.10", **headers):
    client = Client(headers={"User-Agent": BROWSER_AGENT, **headers}, REMOTE_ADDR=address)
    with mock.patch("usage.recording.timezone.now", return_value=moment):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response


def figures(item_id, machine=False):
    rows = DailyUsage.objects.filter(item_kind="resource", item_id=item_id, machine=machine)
    return [(r.views, r.unique_views, r.downloads, r.unique_downloads) for r in rows]


def test_a_double_click_within_30_seconds_counts_once():
    resource = ResourceFactory(with_file=True)
    url = resource.get_download_url()
    visit(url, at(10, 0, 0))
    visit(url, at(10, 0, 20))  # a double click: one download
    visit(url, at(10, 5, 0))  # well apart: a second download
    visit(resource.get_absolute_url(), at(10, 0, 10))  # a view is another kind
    aggregate_day(DAY)
    assert figures(resource.pk) == [(1, 1, 2, 1)]


def test_a_chain_of_quick_clicks_counts_once_and_other_visitors_apart():
    resource = ResourceFactory()
    url = resource.get_absolute_url()
    for second in (0, 25, 50):  # each within 30 s of the one before
        visit(url, at(9, 0, second))
    visit(url, at(9, 0, 10), address="198.51.100.2")  # someone else, the same moment
    aggregate_day(DAY)
    assert figures(resource.pk) == [(2, 2, 0, 0)]


def test_unique_counts_are_per_session_and_hour():
    resource = ResourceFactory()
    url = resource.get_absolute_url()
    for moment in (at(10, 0), at(10, 20), at(10, 40), at(11, 5)):
        visit(url, moment)
    visit(url, at(10, 30), address="198.51.100.2")
    visit(url, at(10, 30), address="192.0.2.10", **{"User-Agent": BROWSER_AGENT + " other"})
    aggregate_day(DAY)
    # 6 views; unique: the first visitor in hours 10 and 11, two others in hour 10.
    assert figures(resource.pk) == [(6, 4, 0, 0)]


def test_a_resumed_range_download_counts_once():
    body = bytes(range(256)) * 800
    resource = ResourceFactory(external_url="", file=ContentFile(body, name="big.pdf"))
    url = resource.get_download_url()
    first = visit(url, at(12, 0, 0))
    resumed = visit(url, at(12, 3, 0), Range="bytes=65536-", If_Range=first["ETag"])
    assert resumed.status_code == 206
    aggregate_day(DAY)
    assert figures(resource.pk) == [(0, 0, 1, 1)]


def test_machine_use_is_kept_apart():
    resource = ResourceFactory()
    visit(resource.get_absolute_url(), at(8), **{"User-Agent": "curl/8.4.0"})
    visit(resource.get_absolute_url(), at(8))
    visit("/api/resources/", at(8), address="198.51.100.3")
    aggregate_day(DAY)
    assert figures(resource.pk) == [(1, 1, 0, 0)]
    assert figures(resource.pk, machine=True) == [(1, 1, 0, 0)]
    api = DailyUsage.objects.get(item_kind="api")
    assert (api.machine, api.requests, api.views) == (True, 1, 0)


def reference(events):
    """The rules counted another way: for each click, is there a later click of the same
    session, item and kind within 30 s? Then it is a double click. Unique: the distinct
    (session, item, kind, hour) among the clicks that count."""
    counted = []
    for event in events:
        later = [
            other
            for other in events
            if other is not event
            and (other.session, other.item_id, other.kind, other.machine)
            == (event.session, event.item_id, event.kind, event.machine)
            and (other.at, other.pk) > (event.at, event.pk)
            and other.at - event.at <= dt.timedelta(seconds=30)
        ]
        if not later:
            counted.append(event)
    result = {}
    for event in counted:
        key = (event.item_id, event.machine)
        totals = result.setdefault(key, [0, 0, 0, 0])
        totals[0 if event.kind == Kind.VIEW else 2] += 1
    for (item_id, machine, kind), group in itertools.groupby(
        sorted(counted, key=lambda e: (e.item_id, e.machine, e.kind)),
        key=lambda e: (e.item_id, e.machine, e.kind),
    ):
        hours = {(e.session, e.at.hour) for e in group}
        result[(item_id, machine)][1 if kind == Kind.VIEW else 3] += len(hours)
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregation_equals_a_direct_count_and_is_idempotent(seed):
    chance = random.Random(seed)
    rows = [
        Event(
            at=at(0) + dt.timedelta(seconds=chance.randrange(0, 3 * 3600)),
            kind=chance.choice([Kind.VIEW, Kind.DOWNLOAD]),
            machine=chance.random() < 0.2,
            item_kind="resource",
            item_id=chance.randrange(1, 6),
            session=f"s{chance.randrange(8):031d}",
        )
        for _ in range(400)
    ]
    Event.objects.bulk_create(rows)
    expected = reference(list(Event.objects.all()))
    aggregate_day(DAY)
    first = sorted(
        DailyUsage.objects.values_list(
            "item_id", "machine", "views", "unique_views", "downloads", "unique_downloads"
        )
    )
    assert first == sorted((k[0], k[1], *v) for k, v in expected.items())
    aggregate_day(DAY)
    aggregate(now=at(23))
    assert (
        sorted(
            DailyUsage.objects.values_list(
                "item_id", "machine", "views", "unique_views", "downloads", "unique_downloads"
            )
        )
        == first
    )


def test_a_day_over_is_closed_its_events_and_salt_thrown_away():
    resource = ResourceFactory()
    cache.clear()  # no salt of the day left in the cache by another test
    salt_for(DAY)
    assert DaySalt.objects.filter(day=DAY).exists()
    visit(resource.get_absolute_url(), at(10))
    visit(resource.get_absolute_url(), at(11))
    # The day is not over: its figures are provisional and its events stay.
    aggregate(now=at(23, 59))
    assert figures(resource.pk) == [(2, 2, 0, 0)]
    assert Event.objects.count() == 2 and not AggregatedDay.objects.get(day=DAY).closed
    # Past midnight and the grace period: closed.
    later = at(0) + dt.timedelta(days=1, minutes=30)
    aggregate(now=later)
    assert AggregatedDay.objects.get(day=DAY).closed
    assert not Event.objects.exists()
    assert not DaySalt.objects.filter(day=DAY).exists()
    assert figures(resource.pk) == [(2, 2, 0, 0)]
    # A late event of the closed day changes nothing, and is dropped.
    visit(resource.get_absolute_url(), at(23, 59, 59))
    aggregate(now=later)
    assert figures(resource.pk) == [(2, 2, 0, 0)]
    assert not Event.objects.exists()
