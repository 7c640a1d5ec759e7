"""manage.py aggregate_usage: idempotent, and the figures each resource page shows."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from resources.models import Resource
from tests.conftest import BROWSER_AGENT
from tests.factories import ResourceFactory
from usage.models import Baseline, DailyUsage

pytestmark = pytest.mark.django_db


def visit(url, moment, address):
    client = Client(headers={"User-Agent": BROWSER_AGENT}, REMOTE_ADDR=address)
    with mock.patch("usage.recording.timezone.now", return_value=moment):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)


def test_the_command_aggregates_and_refreshes_resource_figures_idempotently():
    resource = ResourceFactory(with_file=True)
    Baseline.objects.create(item_kind="resource", item_id=resource.pk, downloads=12)
    noon = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    noon -= dt.timedelta(days=1)
    for n in range(3):
        visit(resource.get_absolute_url(), noon, f"192.0.2.{n}")
    visit(resource.get_download_url(), noon, "192.0.2.1")
    visit(resource.get_download_url(), noon + dt.timedelta(seconds=5), "192.0.2.1")
    out = StringIO()
    call_command("aggregate_usage", stdout=out)
    assert "5 events of 2 days aggregated, 1 resources' figures refreshed" in out.getvalue()
    resource.refresh_from_db()
    # Three readers viewed it; one downloaded it (twice, a double click), and 12 earlier.
    assert (resource.view_count, resource.download_count) == (3, 1 + 12)
    rows = list(DailyUsage.objects.values_list("views", "unique_views", "downloads"))
    call_command("aggregate_usage", stdout=StringIO())
    assert list(DailyUsage.objects.values_list("views", "unique_views", "downloads")) == rows
    assert Resource.objects.get(pk=resource.pk).download_count == 13


def test_the_resource_page_shows_unique_figures_only_once_there_are_some(client):
    resource = ResourceFactory(with_file=True)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Use since publication" not in page
    assert "Downloads" not in page  # the old raw "Downloads 0" is gone
    Resource.objects.filter(pk=resource.pk).update(view_count=5, download_count=1)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Use since publication" in page
    assert "5 views, 1 download" in page
