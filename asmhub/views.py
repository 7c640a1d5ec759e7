"""Site-wide views: home, country profiles, search across the hub, health. The one
place that composes the library, the learning groups and the dialogues."""

import logging
import os
import sys
import uuid
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from core.outages import api_error, is_api, outage_of, unavailable_response
from dialogues.models import Dialogue
from learning_groups import outlooks
from learning_groups.models import LearningGroup, OutlookReport
from resources.discovery import metadata, packs
from resources.filters import MAX_QUERY_LENGTH, ResourceFilter
from resources.models import Country, Organisation, Resource

from . import worldmap
from .search import search_all

logger = logging.getLogger(__name__)


def home(request):
    """Home: search box, resources the curators feature, programme countries, upcoming and
    recent dialogues, latest resources and Outlooks."""
    now = timezone.now()
    return render(
        request,
        "home.html",
        {
            "featured": Resource.objects.for_listing()
            .with_translations()
            .filter(is_featured=True)
            .newest_first()[:3],
            "latest": Resource.objects.for_listing().with_translations().newest_first()[:6],
            "map": worldmap.programme_map(),
            "resource_total": Resource.objects.published().count(),
            "upcoming_dialogues": Dialogue.objects.for_listing().upcoming(now)[:3],
            "recent_dialogues": Dialogue.objects.for_listing().past(now)[:3],
            "latest_outlooks": OutlookReport.objects.select_related("country").order_by(
                "-year", "country"
            )[:6],
            "site_jsonld": metadata.site_jsonld(request.build_absolute_uri),
        },
    )


def country_list(request):
    """Countries: programme countries first, grouped by region, with headline figures."""
    countries = sorted(
        Country.objects.all(),
        key=lambda c: (not c.is_programme_country, c.region or "~", str(c.name)),
    )
    return render(
        request,
        "countries/country_list.html",
        {"countries": countries, "map": worldmap.programme_map(countries)},
    )


def partner_organisations(country):
    """Organisations based in the country, or convening, sitting in or organising its
    learning group and dialogues."""
    return (
        Organisation.objects.filter(
            Q(country=country)
            | Q(convened_learning_groups__country=country)
            | Q(learning_group_memberships__group__country=country)
            | Q(organised_dialogues__country=country)
            | Q(convened_dialogues__country=country)
        )
        .distinct()
        .order_by("name")
    )


def country_detail(request, iso2):
    """A country profile: headline figures, learning group, Outlooks, dialogues, latest
    resources and partner organisations; a country with little content still reads well."""
    country = get_object_or_404(Country.objects.prefetch_related("translations"), code=iso2.upper())
    # The library's own filter, so the profile reads the search index on PostgreSQL.
    # (Not a cached page: it also shows dialogues and Outlooks, which change on their own.)
    library = ResourceFilter(
        {"country": [country.code], "sort": "newest"}, queryset=Resource.objects.for_listing()
    )
    resources = library.sorted_queryset(listed=True)
    resource_count = resources.count()
    now = timezone.now()
    dialogues = Dialogue.objects.for_listing().filter(country=country)
    reports, indicator_rows, any_sample = outlooks.history(
        OutlookReport.objects.filter(country=country).with_indicators()
    )
    return render(
        request,
        "countries/country_detail.html",
        {
            "country": country,
            "latest": resources[:10],
            "resource_count": resource_count,
            "pack": packs.offer(library, get_language()) if resource_count else None,
            "group": LearningGroup.objects.for_listing().filter(country=country).first(),
            "reports": reports,
            "rows": indicator_rows,
            "any_sample": any_sample,
            "upcoming_dialogues": dialogues.upcoming(now),
            "past_dialogues": dialogues.past(now),
            "partners": partner_organisations(country),
            "feed_url": reverse("feeds:resources") + f"?country={country.slug}",
            "breadcrumbs": metadata.breadcrumbs_jsonld(
                [
                    (_("Home"), reverse("home")),
                    (_("Countries"), reverse("country-list")),
                    (country.name, country.get_absolute_url()),
                ],
                request.build_absolute_uri,
            ),
        },
    )


def site_search(request):
    """Search across the hub: the first hits of every kind, grouped, with links to more.
    Not a version-cached page: dialogues and learning groups change on their own."""
    # NUL is no text a person types, and PostgreSQL refuses it in a query.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    groups = search_all(query) if query else []
    return render(request, "search.html", {"query": query, "groups": groups})


@never_cache
def healthz(request):
    """Liveness: the process answers. It asks no dependency on purpose: a database outage
    must not make a supervisor restart every healthy app server (that is /readyz's job)."""
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_storage():
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        # One HEAD request: fails when the store is down or the bucket is gone.
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
        return
    location = Path(default_storage.location)
    location.mkdir(parents=True, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError(f"{location} is not writable")


def _check_cache():
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        # django-redis swallows connection errors (the site keeps serving uncached), so a
        # value that does not come back is how an unreachable Redis shows here.
        raise ConnectionError("the cache did not return what was just stored")
    cache.delete(key)


READINESS_CHECKS = {"database": _check_database, "storage": _check_storage, "cache": _check_cache}


@never_cache
def readyz(request):
    """Readiness: database, storage and cache all answer. 503 with the failed ones named,
    so a load balancer stops sending traffic here until they are back."""
    checks, failed = {}, []
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("readiness: %s failed: %s", name, error)
            checks[name] = f"error: {type(error).__name__}"
            failed.append(name)
        else:
            checks[name] = "ok"
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )


def bad_request(request, exception):
    """400 handler: a Host this site does not serve gets a plain page rendered without the
    request, whose every page asks for the host again (canonical links) and would fail
    on it; any other bad request gets the library's 400 page."""
    if isinstance(exception, DisallowedHost):
        return HttpResponseBadRequest(loader.get_template("400_host.html").render())
    if is_api(request):
        return api_error(400, "bad_request", _("The request could not be understood."))
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """404 handler: the API's own error in JSON under /api/, the 404 page elsewhere."""
    if is_api(request):
        return api_error(404, "not_found", _("There is no such address in the API."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500 handler: an outage that escaped the views (in a middleware, say) still gets
    the 503 page; anything else the plain 500 page, rendered without the database."""
    dependency = outage_of(sys.exc_info()[1])
    if dependency:
        return unavailable_response(dependency, request=request)
    if is_api(request):
        return api_error(500, "server_error", _("Something went wrong on our side."))
    return HttpResponseServerError(loader.get_template("500.html").render())


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /alerts/
Disallow: /api/
Disallow: /oai
Disallow: /resources/cite.
Disallow: /resources/*&
Disallow: /resources/*sort=
Disallow: /resources/*page=
Disallow: /resources/*year_
Disallow: /resources/*tag=
Disallow: /feeds/*?

Sitemap: {sitemap}
"""


def robots_txt(request):
    """robots.txt: the sitemap, and no crawling of the admin, machine endpoints or the
    endless combinations of library filters (a single filter is still crawlable)."""
    text = ROBOTS.format(sitemap=request.build_absolute_uri(reverse("sitemap")))
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
