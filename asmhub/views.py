"""Site-wide views: home, country profiles, search across the hub, health."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from resources.filters import MAX_QUERY_LENGTH, ResourceFilter
from resources.models import Country, Resource
from resources.search import version_cached_page

from .search import search_all


def home(request):
    """Home: search box, latest resources, programme countries."""
    return render(
        request,
        "home.html",
        {
            "latest": Resource.objects.for_listing().newest_first()[:6],
            "programme_countries": Country.objects.filter(is_programme_country=True),
            "resource_total": Resource.objects.published().count(),
        },
    )


def country_list(request):
    """Countries: programme countries first, grouped by region."""
    countries = sorted(
        Country.objects.all(),
        key=lambda c: (not c.is_programme_country, c.region, str(c.name)),
    )
    return render(request, "countries/country_list.html", {"countries": countries})


@version_cached_page
def country_detail(request, iso2):
    """A country profile: headline figures and the latest resources about it."""
    if len(iso2) != 2:
        return render(request, "404.html", status=404)
    country = get_object_or_404(Country, code=iso2.upper())
    # The library's own filter, so the profile reads the search index on PostgreSQL.
    resources = ResourceFilter(
        {"country": [country.code], "sort": "newest"}, queryset=Resource.objects.for_listing()
    ).sorted_queryset()
    return render(
        request,
        "countries/country_detail.html",
        {
            "country": country,
            "latest": resources[:10],
            "resource_count": resources.count(),
        },
    )


@version_cached_page
def site_search(request):
    """Search across the hub: the first hits of every kind, grouped, with links to more."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    groups = search_all(query) if query else []
    return render(request, "search.html", {"query": query, "groups": groups})


@never_cache
def healthz(request):
    """Liveness: the process answers and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
