"""Site-wide views: home, country profiles, health."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from resources import metadata
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
            "site_jsonld": metadata.site_jsonld(request.build_absolute_uri),
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
    if len(iso2) != 2:
        return render(request, "404.html", status=404)
    country = get_object_or_404(Country, code=iso2.upper())
    resources = Resource.objects.for_listing().filter(countries=country).newest_first()
    return render(
        request,
        "countries/country_detail.html",
        {
            "country": country,
            "latest": resources[:10],
            "resource_count": resources.count(),
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


@never_cache
def healthz(request):
    """Liveness: the process answers and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
