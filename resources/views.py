"""Public views of the library: the list with its facets, a resource, its download."""

import logging

from django.conf import settings
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_countries import countries as iso_countries

from . import search
from .filters import ResourceFilter
from .models import LANGUAGE_CHOICES, Resource
from .querystrings import query_string

logger = logging.getLogger(__name__)

# Fewer results than this and a search offers "did you mean".
SUGGEST_BELOW = 3

FACET_TITLES = {
    "country": gettext_lazy("Country"),
    "theme": gettext_lazy("Theme"),
    "commodity": gettext_lazy("Commodity"),
    "type": gettext_lazy("Type"),
    "language": gettext_lazy("Language"),
    "year": gettext_lazy("Decade"),
    "tag": gettext_lazy("Tags"),
}


class FilteredResourcesMixin:
    """Binds the library's FilterSet to the request: the list, the feed and the API
    share it so the same URL parameters mean the same thing everywhere."""

    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = ResourceFilter(
                self.request.GET, queryset=Resource.objects.for_listing()
            )
        return self.filterset


@method_decorator(search.version_cached_page, name="get")
class ResourceListView(FilteredResourcesMixin, ListView):
    """The library: search, filters, facets with exact counts, removable chips."""

    template_name = "resources/resource_list.html"
    context_object_name = "resources"
    paginate_by = settings.ASMHUB_PAGE_SIZE

    def get_queryset(self):
        # The page shows facets, whose one statement also counts the results.
        return self.get_filterset().sorted_queryset(count_with_facets=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        params = self.request.GET
        cleaned = filterset.cleaned
        context.update(
            filterset=filterset,
            form=filterset.form,
            facets=self._facets(filterset, params, cleaned),
            chips=self._chips(filterset, params, cleaned),
            notes=filterset.ignored_notes(),
            sort=filterset.sort_order,
            sort_links=[
                (value, label, query_string(params, set={"sort": value}))
                for value, label in ResourceFilter.SORT_CHOICES
                if value != "relevance" or filterset.search_query
            ],
            result_count=context["paginator"].count,
            search_query=filterset.search_query,
        )
        few = context["result_count"] < SUGGEST_BELOW
        if search.is_postgres() and filterset.search_query and few:
            suggestion = filterset.cached(
                "suggestion",
                lambda: search.suggest(filterset.search_query, context["result_count"]),
            )
            if suggestion:
                context["suggestion"] = suggestion
                context["suggestion_url"] = query_string(params, set={"q": suggestion})
        return context

    def _facets(self, filterset, params, cleaned):
        facets = []
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        for name, rows in filterset.facet_counts().items():
            items = []
            for value, label, count in rows:
                if name == "year":
                    selected = year_from == value and year_to == value + 9
                    url = query_string(
                        params,
                        set={"year_from": None, "year_to": None}
                        if selected
                        else {"year_from": value, "year_to": value + 9},
                    )
                else:
                    selected = str(value) in [str(v) for v in cleaned.get(name) or []]
                    url = query_string(
                        params,
                        remove=(name, value) if selected else None,
                        add=None
                        if selected
                        else (name, value.lower() if name == "country" else value),
                    )
                items.append(
                    {
                        "value": value,
                        "label": label,
                        "count": count,
                        "selected": selected,
                        "url": url,
                    }
                )
            facets.append({"name": name, "title": FACET_TITLES[name], "items": items})
        return facets

    def _chips(self, filterset, params, cleaned):
        """Active filters, each with the URL that removes it."""
        labels = {
            "country": dict(iso_countries),
            "type": dict(Resource.Type.choices),
            "language": dict(LANGUAGE_CHOICES),
            "theme": dict(filterset.form.fields["theme"].choices),
            "commodity": dict(filterset.form.fields["commodity"].choices),
        }
        chips = []
        if cleaned.get("q"):
            chips.append(
                {
                    "label": _("Search: “%s”") % cleaned["q"],
                    "url": query_string(params, set={"q": None}),
                }
            )
        for name in ("country", "theme", "commodity", "type", "language", "tag"):
            for value in cleaned.get(name) or []:
                label = labels.get(name, {}).get(value, value)
                chips.append(
                    {
                        "label": f"{FACET_TITLES[name]}: {label}",
                        "url": query_string(params, remove=(name, value)),
                    }
                )
        for name, text in (("year_from", _("From %s")), ("year_to", _("To %s"))):
            if cleaned.get(name) is not None:
                chips.append(
                    {"label": text % cleaned[name], "url": query_string(params, set={name: None})}
                )
        return chips


class ResourceDetailView(DetailView):
    """One published resource: all its metadata, its file or link, related resources."""

    template_name = "resources/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if search.is_postgres():
            resource = self.object
            context["related"] = search.cached(
                search.content_version(),
                ["related", resource.pk],
                lambda: list(search.related(resource)),
            )
        else:
            context["related"] = Resource.objects.related_to(self.object)
        return context


@require_safe
def download(request, slug):
    """Stream a published resource's file as an attachment and count the download."""
    resource = get_object_or_404(Resource.objects.published(), slug=slug)
    if not resource.file:
        raise Http404(_("This resource has no file to download."))
    try:
        handle = resource.file.open("rb")
    except OSError:
        logger.error("File of resource %s is missing from storage", resource.pk)
        raise Http404(_("The file of this resource is missing.")) from None
    if request.method == "GET":
        # An UPDATE … SET n = n + 1 in the database, so concurrent downloads lose nothing.
        Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name,
        content_type=resource.content_type,
    )
