"""What the tests read of the usage events a request recorded."""

from usage.models import Event, Kind


def downloads_recorded(resource, **filters):
    """Download events of resource, before the COUNTER rules are applied (robots are
    never recorded, double clicks are removed by the aggregation)."""
    return Event.objects.filter(
        kind=Kind.DOWNLOAD, item_kind="resource", item_id=resource.pk, **filters
    ).count()
