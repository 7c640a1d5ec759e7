"""The aggregation of usage events, and the figures it refreshes on each resource."""

import time

from django.db.models import Sum

from resources.models import Resource
from usage.aggregation import aggregate
from usage.models import Baseline, DailyUsage
from usage.recording import RESOURCE


def aggregate_usage(now=None):
    """Aggregate the events (usage.aggregation), then refresh the views and downloads
    shown on each resource used on those days. Returns (events read, days, resources
    refreshed, seconds)."""
    started = time.monotonic()
    done = aggregate(now)
    items = set(
        DailyUsage.objects.filter(day__in=list(done), item_kind=RESOURCE)
        .values_list("item_id", flat=True)
        .distinct()
    )
    refreshed = refresh_resource_figures(items) if items else 0
    return sum(done.values()), len(done), refreshed, time.monotonic() - started


def refresh_resource_figures(item_ids):
    """Set each resource's unique views, and its unique downloads plus those counted
    before COUNTER, from people's use (machine use is not shown on the page)."""
    item_ids = list(item_ids)
    totals = {
        row["item_id"]: row
        for row in DailyUsage.objects.filter(
            item_kind=RESOURCE, item_id__in=item_ids, machine=False
        )
        .values("item_id")
        .annotate(views=Sum("unique_views"), downloads=Sum("unique_downloads"))
    }
    before = dict(
        Baseline.objects.filter(item_kind=RESOURCE, item_id__in=item_ids).values_list(
            "item_id", "downloads"
        )
    )
    changed = []
    for resource in Resource.objects.filter(pk__in=item_ids).only(
        "pk", "view_count", "download_count"
    ):
        row = totals.get(resource.pk, {})
        views = row.get("views") or 0
        downloads = (row.get("downloads") or 0) + before.get(resource.pk, 0)
        if (resource.view_count, resource.download_count) != (views, downloads):
            resource.view_count, resource.download_count = views, downloads
            changed.append(resource)
    Resource.objects.bulk_update(changed, ["view_count", "download_count"], batch_size=1000)
    return len(changed)
