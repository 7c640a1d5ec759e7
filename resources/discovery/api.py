"""Read-only JSON API of the library under /api/.

Views on the API's contract (core/api.py: ApiView, FilteredListView, ApiPagination): resources,
countries and organisations, and the references to them that the learning groups' and
dialogues' endpoints embed (country_ref, organisation_ref, resource_ref). Each answer is
written by a plain function (resource_json, ...) and described for the OpenAPI document by
the serializer beside it; the tests hold each description to the answers.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django_countries import countries as iso_countries
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from core import api
from resources.filters import ResourceFilter
from resources.models import Country, Organisation, Resource
from resources.pictures import logo_url

# -- serialisation ------------------------------------------------------------------------


def country_ref(country, absolute):
    return {
        "code": country.code,
        "name": str(country.name),
        **api.links(country, absolute, "api:country"),
    }


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    url, html_url = api.link_fields()


def organisation_ref(organisation, absolute):
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "url": absolute(reverse("api:organisation", args=[organisation.slug])),
    }


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    url = serializers.URLField()


def resource_ref(resource, absolute):
    """A short reference to a resource, for other records that cite it; callers pass only
    published resources (their querysets prefetch only those)."""
    return {
        "slug": resource.slug,
        "title": resource.title,
        "type": resource.resource_type,
        "year": resource.year,
        **api.links(resource, absolute, "api:resource"),
    }


class ResourceRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    type = serializers.ChoiceField(Resource.Type.choices)
    year = serializers.IntegerField(allow_null=True)
    url, html_url = api.link_fields()


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
        **api.links(resource, absolute, "api:resource"),
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


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField()
    family_name = serializers.CharField()
    given_names = serializers.CharField()
    is_organisation = serializers.BooleanField()


class TermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class FileSerializer(serializers.Serializer):
    url = serializers.URLField()
    size = serializers.IntegerField(allow_null=True)
    content_type = serializers.CharField()
    extension = serializers.CharField()


class CitationSerializer(serializers.Serializer):
    bibtex = serializers.URLField()
    ris = serializers.URLField()


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url, html_url = api.link_fields()
    title = serializers.CharField()
    summary = serializers.CharField()
    type = serializers.ChoiceField(Resource.Type.choices)
    type_label = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    authors = AuthorSerializer(many=True)
    publisher = serializers.CharField()
    countries = CountryRefSerializer(many=True)
    themes = TermSerializer(many=True)
    commodities = TermSerializer(many=True)
    tags = TermSerializer(many=True)
    doi = serializers.CharField(allow_null=True)
    isbn = serializers.CharField(allow_null=True)
    publisher_code = serializers.CharField(allow_null=True)
    licence = serializers.CharField(allow_null=True)
    is_open_access = serializers.BooleanField()
    external_url = serializers.URLField(allow_null=True)
    file = FileSerializer(allow_null=True)
    owner = OrganisationRefSerializer(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    citation = CitationSerializer()


# -- endpoints ------------------------------------------------------------------------------


class ResourcePagination(api.ApiPagination):
    _facet = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value", "label", "count"],
            "properties": {"value": {}, "label": {"type": "string"}, "count": {"type": "integer"}},
        },
    }
    extra_schema = {
        "sort": {
            "type": "string",
            "enum": [value for value, _label in ResourceFilter.SORT_CHOICES],
        },
        "filters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "value"],
                "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
            },
        },
        "facets": {"type": "object", "additionalProperties": _facet},
    }


def resource_filterset(request):
    """The library's FilterSet bound to the request, strict: anything it would ignore on
    the library page is a 400 here."""
    return api.strict_filterset(
        ResourceFilter(
            request.GET,
            queryset=Resource.objects.for_listing()
            .with_tag_lists()
            .prefetch_related("commodities"),
        )
    )


@api.list_operation(
    "listResources",
    "Published resources, filtered, sorted and paginated, with facets",
    ResourceSerializer,
    [OpenApiParameter("q", str, description="Search words (all must match).")],
)
class ResourceList(api.FilteredListView):
    """Published resources: the library's filters, q, sort and pagination, with facets."""

    queryset = Resource.objects.none()  # see get()
    filterset_class = ResourceFilter
    pagination_class = ResourcePagination

    def get(self, request):
        absolute = request.build_absolute_uri
        # Not filter_queryset(): the list needs the FilterSet's order and facet counts.
        filterset = resource_filterset(request)
        page = self.paginate_queryset(filterset.sorted_queryset())
        facets = {
            name: [{"value": value, "label": str(label), "count": n} for value, label, n in rows]
            for name, rows in filterset.facet_counts().items()
        }
        return self.paginator.get_paginated_response(
            [resource_json(r, absolute) for r in page],
            before={
                "sort": filterset.sort_order,
                "filters": [{"name": k, "value": v} for k, v in filterset.canonical_params()],
            },
            after={"facets": facets},
        )


class ResourceDetail(api.ApiView):
    """One published resource."""

    @api.operation("getResource", "One published resource", ResourceSerializer)
    def get(self, request, slug):
        resource = api.found(
            Resource.objects.for_detail().filter(slug=slug).select_related("owner").first(),
            f"No published resource {slug!r}.",
        )
        return Response(
            resource_json(resource, request.build_absolute_uri),
            headers=api.last_modified(resource.updated_at),
        )


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


class FiguresSerializer(serializers.Serializer):
    est_asm_miners = serializers.IntegerField(allow_null=True)
    est_asm_miners_low = serializers.IntegerField(allow_null=True)
    est_asm_miners_high = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_null=True)


class CountrySerializer(CountryRefSerializer):
    region = serializers.CharField()
    is_programme_country = serializers.BooleanField()
    resource_count = serializers.IntegerField()
    resources_url = serializers.URLField()
    figures = FiguresSerializer()


class CountryListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = CountrySerializer(many=True)


class CountryList(api.ApiView):
    """Every country the hub knows, programme countries first."""

    @api.operation("listCountries", "Countries with headline ASM figures", CountryListSerializer)
    def get(self, request):
        absolute = request.build_absolute_uri
        rows = _countries().order_by("-is_programme_country", "code")
        return Response(
            {"count": len(rows), "results": [country_json(c, absolute, full=True) for c in rows]}
        )


class CountryDetail(api.ApiView):
    """One country with its headline figures."""

    @api.operation("getCountry", "One country", CountrySerializer)
    def get(self, request, iso2):
        code = iso2.upper()
        country = api.found(
            _countries().filter(code=code).first() if code in dict(iso_countries) else None,
            f"No country {iso2[:10]!r}.",
        )
        return Response(country_json(country, request.build_absolute_uri, full=True))


def _organisations():
    return Organisation.objects.select_related("country").with_resource_count()


def organisation_json(organisation, absolute):
    return {
        **organisation_ref(organisation, absolute),
        "kind": organisation.kind or None,
        "kind_label": str(organisation.get_kind_display()) if organisation.kind else None,
        "country": country_ref(organisation.country, absolute) if organisation.country else None,
        "website": organisation.website or None,
        "resource_count": organisation.resource_count,
        "html_url": absolute(organisation.get_absolute_url()),
        "is_partner": organisation.is_partner,
        "description": organisation.description,
        "logo_url": absolute(logo_url(organisation)) if organisation.logo else None,
    }


class OrganisationSerializer(OrganisationRefSerializer):
    kind = serializers.ChoiceField(Organisation.Kind.choices, allow_null=True)
    kind_label = serializers.CharField(allow_null=True)
    country = CountryRefSerializer(allow_null=True)
    website = serializers.URLField(allow_null=True)
    resource_count = serializers.IntegerField(
        help_text="Published resources it owns or that were published under its name."
    )
    html_url = serializers.URLField()
    is_partner = serializers.BooleanField(help_text="A partner of the programme.")
    description = serializers.CharField()
    logo_url = serializers.URLField(allow_null=True)


@api.list_operation("listOrganisations", "Organisations, paginated", OrganisationSerializer)
class OrganisationList(api.FilteredListView):
    """Organisations by name, paginated."""

    queryset = _organisations()
    ordering = ("name", "pk")
    row = staticmethod(organisation_json)


class OrganisationDetail(api.ApiView):
    """One organisation."""

    @api.operation("getOrganisation", "One organisation", OrganisationSerializer)
    def get(self, request, slug):
        organisation = api.found(
            _organisations().filter(slug=slug).first(), f"No organisation {slug[:60]!r}."
        )
        return Response(organisation_json(organisation, request.build_absolute_uri))
