"""Public views of the library: the list with its facets, a resource, its download."""

import logging
from urllib.parse import urlencode

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import DetailView, ListView

from core.outages import STORAGE, outage_of, unavailable_response
from core.querystrings import QueryStrings, query_string
from core.translations import in_language, pick
from resources.curation.roles import is_curator, partner_organisation
from resources.discovery import citations, metadata, oai, packs
from resources.files.downloads import ranged_file_response
from resources.filters import ResourceFilter
from resources.models import Resource
from resources.querysets import ordered_authors
from resources.search import thesaurus
from resources.search.backends import backend
from resources.search.pagecache import version_cached_page
from usage.recording import RESOURCE, Kind, record

logger = logging.getLogger(__name__)

# Fewer results than this and a search offers "did you mean".
SUGGEST_BELOW = 3
# A page that finds nothing: the filters tried left out, one at a time, and the
# thesaurus's words in other languages offered.
MAX_RELAXED = 8
MAX_OTHER_LANGUAGE_WORDS = 8

# A facet shows its most frequent values; the rest wait behind "more".
FACET_TOP = 5

FACET_TITLES = {
    "country": gettext_lazy("Country"),
    "theme": gettext_lazy("Theme"),
    "commodity": gettext_lazy("Commodity"),
    "type": gettext_lazy("Type"),
    "language": gettext_lazy("Language"),
    "year": gettext_lazy("Decade"),
    "tag": gettext_lazy("Tags"),
    "organisation": gettext_lazy("Organisation"),
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


@method_decorator(version_cached_page, name="get")
class ResourceListView(FilteredResourcesMixin, ListView):
    """The library: search, filters, facets with exact counts, removable chips."""

    template_name = "resources/resource_list.html"
    context_object_name = "resources"
    paginate_by = settings.ASMHUB_PAGE_SIZE

    def get_queryset(self):
        # The page shows facets, whose one statement also counts the results.
        return self.get_filterset().sorted_queryset(count_with_facets=True, listed=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        params = self.request.GET
        cleaned = filterset.cleaned
        context.update(
            filterset=filterset,
            form=filterset.form,
            facets=self._facets(filterset, params, cleaned),
            chips=(chips := self._chips(filterset, params, cleaned)),
            # The search box is not a filter: the Filters disclosure counts the others.
            active_filter_count=len(chips) - bool(cleaned.get("q")),
            notes=filterset.ignored_notes(),
            sort=filterset.sort_order,
            sort_links=[
                (value, label, query_string(params, set={"sort": value}))
                for value, label in ResourceFilter.SORT_CHOICES
                if value != "relevance" or filterset.search_query
            ],
            result_count=context["paginator"].count,
            search_query=filterset.search_query,
            pack=packs.offer(filterset, get_language()) if context["paginator"].count else None,
            **self._discovery(filterset, context["page_obj"]),
        )
        few = context["result_count"] < SUGGEST_BELOW
        if filterset.search_query and few:
            spellings = filterset.cached(
                "spellings",
                lambda: backend().spellings(filterset.search_query, context["result_count"]),
            )
            if spellings:
                context["spellings"] = [
                    (spelling, query_string(params, set={"q": spelling})) for spelling in spellings
                ]
        if not context["result_count"]:
            context["relaxed"] = self._relaxed(filterset, chips)
            context["other_languages"] = [
                (word, query_string(params, set={"q": word}))
                for word in thesaurus.other_languages(filterset.search_query, get_language())[
                    :MAX_OTHER_LANGUAGE_WORDS
                ]
            ]
        return context

    def _relaxed(self, filterset, chips):
        """The same search without the one filter whose removal finds the most (the most
        restrictive), as a chip with its count, or None: each filter counted once, at most
        MAX_RELAXED of them (a page that finds nothing may ask a few more counts)."""
        best = None
        for chip in [chip for chip in chips if chip["key"][0] != "q"][:MAX_RELAXED]:
            count = filterset.count_without(*chip["key"])
            if count and (best is None or count > best["count"]):
                best = {**chip, "count": count}
        return best

    def _discovery(self, filterset, page_obj):
        """The canonical URL, the feed and the citation exports of this result set."""
        params = filterset.canonical_params()
        query = urlencode(params)
        canonical = urlencode(params + ([("page", page_obj.number)] if page_obj.number > 1 else []))
        suffix = f"?{query}" if query else ""
        return {
            "canonical_query": f"?{canonical}" if canonical else "",
            "feed_url": reverse("feeds:resources") + suffix,
            "export_bib_url": reverse("resources:list-bib") + suffix,
            "export_ris_url": reverse("resources:list-ris") + suffix,
            "alert_url": reverse("alerts:subscribe") + suffix,
        }

    def _facets(self, filterset, params, cleaned):
        links = QueryStrings(params)
        facets = []
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        for name, rows in filterset.facet_counts().items():
            items = []
            chosen = {str(v) for v in cleaned.get(name) or []}
            for value, label, count in rows:
                if name == "year":
                    selected = year_from == value and year_to == value + 9
                    url = links(
                        set={"year_from": None, "year_to": None}
                        if selected
                        else {"year_from": value, "year_to": value + 9},
                    )
                else:
                    selected = str(value) in chosen
                    url = links(
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
            facets.append(
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "items": items[:FACET_TOP],
                    "more": items[FACET_TOP:],
                    "more_selected": any(item["selected"] for item in items[FACET_TOP:]),
                }
            )
        return facets

    def _chips(self, filterset, params, cleaned):
        """Active filters, each with the URL that removes it."""
        labels = filterset.value_labels
        chips = []
        if cleaned.get("q"):
            chips.append(
                {
                    "label": _("Search: “%s”") % cleaned["q"],
                    "url": query_string(params, set={"q": None}),
                    "key": ("q", None),
                }
            )
        for name in ("country", "theme", "commodity", "organisation", "type", "language", "tag"):
            for value in cleaned.get(name) or []:
                label = (labels[name](value) if name in labels else None) or value
                chips.append(
                    {
                        "label": f"{FACET_TITLES[name]}: {label}",
                        "url": query_string(params, remove=(name, value)),
                        "key": (name, value),
                    }
                )
        for name, text in (("year_from", _("From %s")), ("year_to", _("To %s"))):
            if cleaned.get(name) is not None:
                chips.append(
                    {
                        "label": text % cleaned[name],
                        "url": query_string(params, set={name: None}),
                        "key": (name, None),
                    }
                )
        return chips


def gone(request, slug):
    """410 Gone with the citation of a withdrawn resource, or None if it is not one."""
    resource = Resource.objects.for_citation().filter(slug=slug).first()
    if resource is None:
        return None
    return render(request, "resources/resource_withdrawn.html", {"resource": resource}, status=410)


class ResourceDetailView(DetailView):
    """One published resource: all its metadata, its files or link, related resources.
    A withdrawn one answers 410 Gone with its citation, so links to it still explain."""

    template_name = "resources/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.for_detail()

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            response = gone(request, kwargs["slug"])
            if response is None:
                raise
            return response
        record(request, Kind.VIEW, RESOURCE, self.object.pk)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource = self.object
        absolute = self.request.build_absolute_uri
        context.update(
            reference=citations.apa_reference(resource, absolute),
            highwire_tags=metadata.highwire_tags(resource, absolute),
            dublin_core_tags=metadata.dublin_core(resource, absolute),
            open_graph_tags=metadata.open_graph(resource, absolute),
            jsonld=[
                metadata.resource_jsonld(resource, absolute),
                metadata.breadcrumbs_jsonld(
                    [
                        (_("Home"), reverse("home")),
                        (_("Library"), reverse("resources:list")),
                        (in_language(resource, "title"), resource.get_absolute_url()),
                    ],
                    absolute,
                ),
            ],
        )
        context["related"] = backend().related(resource)
        reader = translation.get_language()
        context["translation"] = pick(resource.translations.all(), reader)
        # The file in the reader's language first, then the others in their order.
        context["versions"] = sorted(resource.versions.all(), key=lambda v: v.language != reader)
        return context


EXPORT_CHUNK = 200

CITATION_FORMATS = {
    "bib": (citations.bibtex_entry, "application/x-bibtex; charset=utf-8"),
    "ris": (citations.ris_record, "application/x-research-info-systems; charset=utf-8"),
}


@require_safe
def cite(request, slug, fmt):
    """One resource as a BibTeX or RIS file."""
    resource = get_object_or_404(Resource.objects.for_detail(), slug=slug)
    render_one, content_type = CITATION_FORMATS[fmt]
    response = HttpResponse(
        render_one(resource, request.build_absolute_uri), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{resource.slug}.{fmt}"'
    return response


@require_safe
def cite_list(request, fmt):
    """The library's current result list (its filters and search apply) as one BibTeX or
    RIS file, at most ASMHUB_EXPORT_LIMIT records, streamed in chunks."""
    filterset = ResourceFilter(request.GET, queryset=Resource.objects.for_detail())
    limit = settings.ASMHUB_EXPORT_LIMIT
    results = filterset.sorted_queryset()
    render_one, content_type = CITATION_FORMATS[fmt]
    absolute = request.build_absolute_uri

    def records():
        # Slices of 200, each a page of ids and the resources with their prefetches: a few
        # queries per chunk.
        for start in range(0, limit, EXPORT_CHUNK):
            chunk = results[start : min(start + EXPORT_CHUNK, limit)]
            for resource in chunk:
                yield render_one(resource, absolute) + ("\n" if fmt == "bib" else "")
            if len(chunk) < EXPORT_CHUNK:
                return

    response = StreamingHttpResponse(records(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="asm-hub-resources.{fmt}"'
    response["X-Export-Limit"] = str(limit)
    return response


def _published_or_gone(request, slug):
    resource = Resource.objects.published().filter(slug=slug).first()
    if resource is None:
        response = gone(request, slug)
        if response is None:
            raise Http404(_("No such resource."))
        return None, response
    return resource, None


def _attachment(request, resource, stored, *, filename, content_type, variant=""):
    """Hand out a stored file as an attachment, never to be rendered or sniffed by the
    browser, and count the download.

    Streams through the app with Range support (see downloads.py), or with
    ASMHUB_DOWNLOAD_REDIRECT on a bucket, counts and redirects to a short-lived signed URL.
    A download is counted once: a request resuming from a later byte is not counted again.
    """
    storage, name = stored.storage, stored.name
    if settings.ASMHUB_DOWNLOAD_REDIRECT and hasattr(storage, "bucket_name"):
        _count_download(request, resource, variant)
        return HttpResponseRedirect(
            storage.url(
                name,
                parameters={
                    "ResponseContentDisposition": content_disposition_header(True, filename),
                    "ResponseContentType": content_type,
                },
            )
        )
    try:
        handle = storage.open(name, "rb")
        response = ranged_file_response(
            request, handle, filename=filename, content_type=content_type
        )
    except (OSError, BotoCoreError, ClientError) as error:
        if outage_of(error) == STORAGE:
            logger.warning("Storage unavailable for resource %s: %s", resource.pk, error)
            return unavailable_response(STORAGE)
        logger.error("A file of resource %s is missing from storage", resource.pk)
        raise Http404(_("The file of this resource is missing.")) from None
    if response.status_code == 200 or response.get("Content-Range", "").startswith("bytes 0-"):
        try:
            _count_download(request, resource, variant)
        except Exception:
            response.close()  # the open file or bucket stream, before the 503 page
            raise
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, nothing in it may run.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _count_download(request, resource, variant):
    """One usage event (an INSERT, so concurrent downloads lose nothing); the COUNTER
    rules and the resource's shown figure are applied by `manage.py aggregate_usage`."""
    record(request, Kind.DOWNLOAD, RESOURCE, resource.pk, variant=variant)


@require_safe
def download(request, slug):
    """A published resource's main file as an attachment; 410 when withdrawn."""
    resource, gone_response = _published_or_gone(request, slug)
    if gone_response:
        return gone_response
    if not resource.file:
        raise Http404(_("This resource has no file to download."))
    return _attachment(
        request,
        resource,
        resource.file,
        filename=resource.file_name,
        content_type=resource.content_type,
    )


@require_safe
def pack(request):
    """The offline pack of a library state (the list's own filters and search): the
    stored ZIP when it is ready for the current content, else 202 and a page asking to
    come back, while ``make_packs`` builds it. Not counted as downloads of its resources
    (docs/offline.md)."""
    filterset = packs.pack_filterset(request.GET)
    notes = filterset.ignored_notes()
    if notes:
        return render(request, "resources/pack.html", {"notes": notes}, status=400)
    query, language = packs.pack_query(filterset), get_language()
    row = packs.ready_pack(query, language)
    if row is not None:
        try:
            handle = default_storage.open(row.file, "rb")
        except (OSError, BotoCoreError, ClientError) as error:
            if outage_of(error) == STORAGE:
                return unavailable_response(STORAGE)
            logger.error("Offline pack %s is missing from storage", row.file)
            packs.mark_stale(row)
        else:
            response = ranged_file_response(
                request,
                handle,
                filename=f"{packs.folder_name(filterset)}.zip",
                content_type="application/zip",
            )
            response["X-Content-Type-Options"] = "nosniff"
            return response
    if not filterset.sorted_queryset().count():
        raise Http404(_("No published resource matches this search: there is no pack to make."))
    packs.request_pack(query, language)
    response = render(
        request,
        "resources/pack.html",
        {"list_url": reverse("resources:list") + (f"?{query}" if query else "")},
        status=202,
    )
    response["Retry-After"] = "60"
    response["Refresh"] = "60"
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    """OAI-PMH 2.0 endpoint: every verb, GET or POST (the protocol allows both)."""
    params = request.POST if request.method == "POST" else request.GET
    repository = oai.Repository(request.build_absolute_uri(reverse("oai")))
    return HttpResponse(repository.response(params), content_type="text/xml; charset=utf-8")


@require_safe
def download_version(request, slug, language):
    """The file of one language version of a published resource."""
    resource, gone_response = _published_or_gone(request, slug)
    if gone_response:
        return gone_response
    version = get_object_or_404(resource.versions, language=language)
    return _attachment(
        request,
        resource,
        version.file,
        filename=version.file_name,
        content_type=version.content_type,
        variant=version.language,
    )


class ResourcePreviewView(ResourceDetailView):
    """The public page of any resource, a draft or a submission too, exactly as it will
    look once published: for curators and the partners of its organisation only (404 to
    anyone else), never indexed or cached."""

    def get_queryset(self):
        queryset = (
            Resource.objects.defer("full_text")
            .select_related("owner")
            .prefetch_related(
                ordered_authors(),
                "countries",
                "themes",
                "tags",
                "commodities",
                "versions",
                "translations",
            )
        )
        user = self.request.user
        if is_curator(user):
            return queryset
        organisation = partner_organisation(user)
        return queryset.filter(owner=organisation) if organisation else queryset.none()

    def get(self, request, *args, **kwargs):
        response = DetailView.get(self, request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["preview"] = True
        context["may_publish"] = is_curator(user) and self.object.status in (
            Resource.Status.IN_REVIEW,
            Resource.Status.WITHDRAWN,
        )
        return context
