"""Site-wide views: home, country profiles, health. The one place that composes the
library, the learning groups and the dialogues."""

from django.db import connection
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dialogues.models import Dialogue
from learning_groups import outlooks
from learning_groups.models import LearningGroup, OutlookReport
from resources import metadata
from resources.models import Country, Organisation, Resource


def home(request):
    """Home: search box, programme countries, upcoming and recent dialogues, latest
    resources and Outlooks."""
    now = timezone.now()
    return render(
        request,
        "home.html",
        {
            "latest": Resource.objects.for_listing().newest_first()[:6],
            "programme_countries": Country.objects.filter(is_programme_country=True),
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
    return render(request, "countries/country_list.html", {"countries": countries})


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
    country = get_object_or_404(Country, code=iso2.upper())
    resources = Resource.objects.for_listing().filter(countries=country).newest_first()
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
            "resource_count": resources.count(),
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
