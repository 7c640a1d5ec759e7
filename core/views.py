"""The public list page of a FilterSet, which every app's list pages are."""

from django.conf import settings
from django.urls import reverse
from django.views.generic import ListView

from .filters import canonical_query


class FilteredListPage(ListView):
    """A page of the rows of listing() that the query string's FilterSet keeps
    (self.filterset, also in the context), with the canonical query of the page and,
    where feed names one, the URL of the Atom feed of the same rows."""

    filterset_class = None
    feed = None
    paginate_by = settings.ASMHUB_PAGE_SIZE

    def listing(self):
        """The rows before any filter, with what the page shows of them."""
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, queryset=self.listing())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filterset=self.filterset, **kwargs)
        context["canonical_query"] = canonical_query(self.filterset, context["page_obj"])
        if self.feed:
            context["feed_url"] = reverse(self.feed) + canonical_query(self.filterset)
        return context
