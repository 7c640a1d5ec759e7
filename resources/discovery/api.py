"""Read-only JSON API of the library under /api/.

Small function views on the API's contract (core/api.py: api_view, ApiError, paginate):
resources, countries and organisations, and the references to them that the learning
groups' and dialogues' endpoints embed (country_ref, organisation_ref, resource_ref).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django_countries import countries as iso_countries

from core.api import ApiError, api_view, check_known, paginate, strict_filterset
from resources.filters import ResourceFilter
from resources.models import Country, Organisation, Resource

# -- serialisation ------------------------------------------------------------------------


def country_ref(country, absolute):
    return {
        "code": country.code,
        "name": str(country.name),
        "url": absolute(reverse("api:country", args=[country.slug])),
        "html_url": absolute(country.get_absolute_url()),
    }


def organisation_ref(organisation, absolute):
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "url": absolute(reverse("api:organisation", args=[organisation.slug])),
    }


def resource_ref(resource, absolute):
    """A short reference to a resource, for other records that cite it; callers pass only
    published resources (their querysets prefetch only those)."""
    return {
        "slug": resource.slug,
        "title": resource.title,
        "type": resource.resource_type,
        "year": resource.year,
        "url": absolute(reverse("api:resource", args=[resource.slug])),
        "html_url": absolute(resource.get_absolute_url()),
    }


def resource_json(resource, absolute):
    """One resource; reads only prefetched relations."""
    file = None
    if resource.file:
        file = {
            "url": absolute(resource.get_download_url()),
            "size": resource.file_size,
            "content_type": resource.content_type,
            "extension": resource.file_extension.lower(),
        }
    return {
        "id": resource.pk,
        "slug": resource.slug,
        "url": absolute(reverse("api:resource", args=[resource.slug])),
        "html_url": absolute(resource.get_absolute_url()),
        "title": resource.title,
        "summary": resource.summary,
        "type": resource.resource_type,
        "type_label": resource.type_label,
        "year": resource.year,
        "date": resource.date.isoformat() if resource.date else None,
        "language": resource.language,
        "authors": [
            {
                "name": a.name,
                "family_name": a.family_name,
                "given_names": a.given_names,
                "is_organisation": a.is_organisation,
            }
            for a in resource.authors.all()
        ],
        "publisher": resource.publisher,
        "countries": [country_ref(c, absolute) for c in resource.countries.all()],
        "themes": [{"slug": t.slug, "name": t.name} for t in resource.themes.all()],
        "commodities": [{"slug": c.slug, "name": c.name} for c in resource.commodities.all()],
        "tags": [{"slug": t.slug, "name": t.name} for t in resource.listed_tags()],
        "doi": resource.doi or None,
        "isbn": resource.isbn or None,
        "publisher_code": resource.publisher_code or None,
        "licence": resource.licence or None,
        "is_open_access": resource.is_open_access,
        "external_url": resource.external_url or None,
        "file": file,
        "owner": organisation_ref(resource.owner, absolute) if resource.owner else None,
        "published_at": resource.published_at.isoformat() if resource.published_at else None,
        "updated_at": resource.updated_at.isoformat(),
        "citation": {
            "bibtex": absolute(reverse("resources:cite-bib", args=[resource.slug])),
            "ris": absolute(reverse("resources:cite-ris", args=[resource.slug])),
        },
    }


# -- endpoints ------------------------------------------------------------------------------

RESOURCE_PARAMS = set(ResourceFilter.base_filters) | {"page", "page_size"}


def resource_filterset(request):
    """The library's FilterSet bound to the request, strict: anything it would ignore on
    the library page is a 400 here."""
    check_known(request, RESOURCE_PARAMS)
    return strict_filterset(
        ResourceFilter(
            request.GET,
            queryset=Resource.objects.for_listing()
            .with_tag_lists()
            .prefetch_related("commodities"),
        )
    )


@api_view
def resource_list(request):
    """Published resources: the library's filters, q, sort and pagination, with facets."""
    absolute = request.build_absolute_uri
    filterset = resource_filterset(request)
    page, envelope = paginate(request, filterset.sorted_queryset())
    facets = {
        name: [{"value": value, "label": str(label), "count": n} for value, label, n in rows]
        for name, rows in filterset.facet_counts().items()
    }
    return {
        **envelope,
        "sort": filterset.sort_order,
        "filters": [{"name": k, "value": v} for k, v in filterset.canonical_params()],
        "results": [resource_json(r, absolute) for r in page.object_list],
        "facets": facets,
    }


@api_view
def resource_detail(request, slug):
    """One published resource."""
    check_known(request, set())
    resource = Resource.objects.for_detail().filter(slug=slug).select_related("owner").first()
    if resource is None:
        raise ApiError(f"No published resource {slug!r}.", code="not_found", status=404)
    return resource_json(resource, request.build_absolute_uri), resource.updated_at


def _countries():
    published = Q(resources__status=Resource.Status.PUBLISHED)
    return Country.objects.annotate(resource_count=Count("resources", filter=published))


def country_json(country, absolute, *, full=False):
    data = {
        **country_ref(country, absolute),
        "region": country.region,
        "is_programme_country": country.is_programme_country,
        "resource_count": country.resource_count,
        "resources_url": absolute(reverse("api:resources") + f"?country={country.slug}"),
    }
    if full:
        data["figures"] = {
            "est_asm_miners": country.est_asm_miners,
            "est_asm_miners_low": country.est_asm_miners_low,
            "est_asm_miners_high": country.est_asm_miners_high,
            "year": country.figures_year,
            "source": country.figures_source or None,
        }
    return data


@api_view
def country_list(request):
    """Every country the hub knows, programme countries first."""
    check_known(request, set())
    absolute = request.build_absolute_uri
    rows = _countries().order_by("-is_programme_country", "code")
    return {
        "count": len(rows),
        "results": [country_json(c, absolute, full=True) for c in rows],
    }


@api_view
def country_detail(request, iso2):
    """One country with its headline figures."""
    check_known(request, set())
    code = iso2.upper()
    country = _countries().filter(code=code).first() if code in dict(iso_countries) else None
    if country is None:
        raise ApiError(f"No country {iso2[:10]!r}.", code="not_found", status=404)
    return country_json(country, request.build_absolute_uri, full=True)


def _organisations():
    published = Q(owned_resources__status=Resource.Status.PUBLISHED)
    return Organisation.objects.select_related("country").annotate(
        resource_count=Count("owned_resources", filter=published)
    )


def organisation_json(organisation, absolute):
    return {
        **organisation_ref(organisation, absolute),
        "kind": organisation.kind or None,
        "kind_label": str(organisation.get_kind_display()) if organisation.kind else None,
        "country": country_ref(organisation.country, absolute) if organisation.country else None,
        "website": organisation.website or None,
        "resource_count": organisation.resource_count,
    }


@api_view
def organisation_list(request):
    """Organisations by name, paginated."""
    check_known(request, {"page", "page_size"})
    absolute = request.build_absolute_uri
    page, envelope = paginate(request, _organisations().order_by("name", "pk"))
    return {**envelope, "results": [organisation_json(o, absolute) for o in page.object_list]}


@api_view
def organisation_detail(request, slug):
    """One organisation."""
    check_known(request, set())
    organisation = _organisations().filter(slug=slug).first()
    if organisation is None:
        raise ApiError(f"No organisation {slug[:60]!r}.", code="not_found", status=404)
    return organisation_json(organisation, request.build_absolute_uri)
