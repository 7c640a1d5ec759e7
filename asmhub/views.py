"""Site-wide views: home, country profiles, health."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from resources.models import Country, Resource


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


def country_detail(request, iso2):
    """A country profile: headline figures and the latest resources about it."""
    country = get_object_or_404(Country, code=iso2.upper())
    resources = Resource.objects.for_listing().filter(countries=country).newest_first()
    return render(
        request,
        "countries/country_detail.html",
        {
            "country": country,
            "latest": resources[:10],
            "resource_count": resources.count(),
        },
    )


@never_cache
def healthz(request):
    """Liveness: the process answers and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
