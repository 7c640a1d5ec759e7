"""Counting a detail page's view in one line: `usage_kind = DIALOGUE` on a DetailView."""

from usage.models import Kind
from usage.recording import record


class CountedDetailMixin:
    """Records a view of the page's object once the page is made (not on a 404)."""

    usage_kind = None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record(request, Kind.VIEW, self.usage_kind, self.object.pk)
        return response
