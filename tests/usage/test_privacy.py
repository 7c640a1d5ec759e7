"""No address, browser or cookie of a reader is kept: a test reads every column of every
table after a day of use, and the day's salt goes once the day is aggregated."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.factories import DialogueFactory, ResourceFactory
from usage.aggregation import aggregate
from usage.models import DaySalt, Event
from usage.sessions import salt_for, session_of

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.199"
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 UniqueTestAgent"


def every_value():
    """Every value of every column of every table, as text."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values += [str(value) for row in cursor.fetchall() for value in row]
    return values


def test_a_day_of_use_leaves_no_address_or_agent_in_any_table():
    resource = ResourceFactory(with_file=True)
    dialogue = DialogueFactory()
    day = dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC)
    reader = Client(headers={"User-Agent": AGENT}, REMOTE_ADDR=ADDRESS)
    for hour in range(0, 12, 2):
        with mock.patch("usage.recording.timezone.now", return_value=day.replace(hour=hour)):
            reader.get(resource.get_absolute_url())
            b"".join(reader.get(resource.get_download_url()).streaming_content)
            reader.get(dialogue.get_absolute_url())
            reader.get("/api/resources/")
    assert Event.objects.count() == 24
    for when in (day, day + dt.timedelta(days=1, hours=1)):  # the day open, then closed
        aggregate(now=when)
        values = every_value()
        assert not [v for v in values if ADDRESS in v or "UniqueTestAgent" in v]
        assert not [v for v in values if "Firefox/133.0" in v]
    assert not reader.cookies  # counting sets no cookie
    assert not Event.objects.exists()
    assert not DaySalt.objects.filter(day=day.date()).exists()


def test_the_session_hash_changes_with_the_days_salt():
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS, headers={"User-Agent": AGENT})
    cache.clear()
    monday, tuesday = dt.date(2026, 5, 4), dt.date(2026, 5, 5)
    assert session_of(request, monday) == session_of(request, monday)
    assert session_of(request, monday) != session_of(request, tuesday)
    # One salt for the day, whichever process asks: kept in the database for them.
    assert DaySalt.objects.get(day=tuesday).value == salt_for(tuesday)
    assert len({salt_for(monday), salt_for(tuesday)}) == 2
