"""Fifty readers download at once, each on its own PostgreSQL connection: every download
is one event, and the aggregation counts exactly fifty."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.conftest import BROWSER_AGENT
from tests.factories import ResourceFactory
from usage.aggregation import aggregate_day
from usage.models import DailyUsage

READERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_downloads_are_counted_exactly(on_postgres):
    resource = ResourceFactory(with_file=True)
    url = resource.get_download_url()

    def download(n):
        try:
            client = Client(headers={"User-Agent": BROWSER_AGENT}, REMOTE_ADDR=f"10.0.0.{n}")
            response = client.get(url)
            b"".join(response.streaming_content)
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        statuses = list(pool.map(download, range(READERS)))
    assert statuses == [200] * READERS
    aggregate_day(timezone.now().date())
    row = DailyUsage.objects.get(item_kind="resource", item_id=resource.pk)
    assert (row.downloads, row.unique_downloads) == (READERS, READERS)
