"""The library's part of the OpenAPI 3 document served at /api/openapi.json."""

from core.openapi import (
    ERROR,
    NOT_MODIFIED,
    NSTR,
    PAGE_PARAMS,
    STR,
    URL,
    list_param,
    ok_response,
    page_of,
    slug_param,
)
from resources.filters import ResourceFilter
from resources.models import LANGUAGE_CHOICES, Resource

RESOURCE_LIST_PARAMS = [
    {
        "name": "q",
        "in": "query",
        "description": "Search words (all must match).",
        "schema": {"type": "string", "maxLength": 200},
    },
    list_param("country", "ISO 3166-1 alpha-2 code, any case."),
    list_param("theme", "Theme slug."),
    list_param("commodity", "Commodity slug; a broader commodity includes narrower ones."),
    list_param("type", "Resource type.", [value for value, _label in Resource.Type.choices]),
    list_param("language", "Language code.", [value for value, _label in LANGUAGE_CHOICES]),
    list_param("tag", "Tag slug."),
    {"name": "year_from", "in": "query", "schema": {"type": "integer", "minimum": 1900}},
    {"name": "year_to", "in": "query", "schema": {"type": "integer", "maximum": 2100}},
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": [v for v, _l in ResourceFilter.SORT_CHOICES]},
    },
    *PAGE_PARAMS,
]

PATHS = {
    "/api/resources/": {
        "get": {
            "operationId": "listResources",
            "summary": "Published resources, filtered, sorted and paginated, with facets",
            "parameters": RESOURCE_LIST_PARAMS,
            "responses": {
                "200": ok_response("#/components/schemas/ResourcePage", "A page of resources."),
                "304": NOT_MODIFIED,
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/api/resources/{slug}/": {
        "get": {
            "operationId": "getResource",
            "summary": "One published resource",
            "parameters": [slug_param("slug")],
            "responses": {
                "200": ok_response("#/components/schemas/Resource", "The resource."),
                "304": NOT_MODIFIED,
                "404": ERROR,
            },
        }
    },
    "/api/countries/": {
        "get": {
            "operationId": "listCountries",
            "summary": "Countries with headline ASM figures",
            "responses": {
                "200": ok_response("#/components/schemas/CountryList", "All countries."),
                "304": NOT_MODIFIED,
                "400": ERROR,
            },
        }
    },
    "/api/countries/{iso2}/": {
        "get": {
            "operationId": "getCountry",
            "summary": "One country",
            "parameters": [slug_param("iso2")],
            "responses": {
                "200": ok_response("#/components/schemas/Country", "The country."),
                "304": NOT_MODIFIED,
                "404": ERROR,
            },
        }
    },
    "/api/organisations/": {
        "get": {
            "operationId": "listOrganisations",
            "summary": "Organisations, paginated",
            "parameters": PAGE_PARAMS,
            "responses": {
                "200": ok_response(
                    "#/components/schemas/OrganisationPage", "A page of organisations."
                ),
                "304": NOT_MODIFIED,
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/api/organisations/{slug}/": {
        "get": {
            "operationId": "getOrganisation",
            "summary": "One organisation",
            "parameters": [slug_param("slug")],
            "responses": {
                "200": ok_response("#/components/schemas/Organisation", "The organisation."),
                "304": NOT_MODIFIED,
                "404": ERROR,
            },
        }
    },
}

_TERM = {
    "type": "object",
    "properties": {"slug": STR, "name": STR},
    "required": ["slug", "name"],
}


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "detail"],
                "properties": {"code": STR, "detail": STR, "parameter": STR},
            }
        },
    },
    "CountryRef": {
        "type": "object",
        "required": ["code", "name", "url", "html_url"],
        "properties": {"code": STR, "name": STR, "url": URL, "html_url": URL},
    },
    "Country": {
        "allOf": [
            {"$ref": "#/components/schemas/CountryRef"},
            {
                "type": "object",
                "properties": {
                    "region": STR,
                    "is_programme_country": {"type": "boolean"},
                    "resource_count": {"type": "integer"},
                    "resources_url": URL,
                    "figures": {"type": "object"},
                },
            },
        ]
    },
    "CountryList": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Country"}},
        },
    },
    "Organisation": {
        "type": "object",
        "required": ["slug", "name", "url"],
        "properties": {
            "slug": STR,
            "name": STR,
            "acronym": STR,
            "url": URL,
            "kind": NSTR,
            "kind_label": NSTR,
            "country": {
                "nullable": True,
                "allOf": [{"$ref": "#/components/schemas/CountryRef"}],
            },
            "website": NSTR,
            "resource_count": {"type": "integer"},
        },
    },
    "OrganisationPage": page_of("#/components/schemas/Organisation"),
    "Resource": {
        "type": "object",
        "required": ["id", "slug", "url", "html_url", "title", "type", "language", "authors"],
        "properties": {
            "id": {"type": "integer"},
            "slug": STR,
            "url": URL,
            "html_url": URL,
            "title": STR,
            "summary": STR,
            "type": STR,
            "type_label": STR,
            "year": {"type": "integer", "nullable": True},
            "date": {"type": "string", "format": "date", "nullable": True},
            "language": STR,
            "authors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": STR,
                        "family_name": STR,
                        "given_names": STR,
                        "is_organisation": {"type": "boolean"},
                    },
                },
            },
            "publisher": STR,
            "countries": {"type": "array", "items": {"$ref": "#/components/schemas/CountryRef"}},
            "themes": {"type": "array", "items": _TERM},
            "commodities": {"type": "array", "items": _TERM},
            "tags": {"type": "array", "items": _TERM},
            "doi": NSTR,
            "isbn": NSTR,
            "publisher_code": NSTR,
            "licence": NSTR,
            "is_open_access": {"type": "boolean"},
            "external_url": {**URL, "nullable": True},
            "file": {
                "type": "object",
                "nullable": True,
                "properties": {
                    "url": URL,
                    "size": {"type": "integer", "nullable": True},
                    "content_type": STR,
                    "extension": STR,
                },
            },
            "owner": {"type": "object", "nullable": True},
            "published_at": {"type": "string", "format": "date-time", "nullable": True},
            "updated_at": {"type": "string", "format": "date-time"},
            "citation": {"type": "object", "properties": {"bibtex": URL, "ris": URL}},
        },
    },
    "Facet": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"value": {}, "label": STR, "count": {"type": "integer"}},
        },
    },
}
SCHEMAS["ResourcePage"] = {
    "allOf": [
        page_of("#/components/schemas/Resource"),
        {
            "type": "object",
            "properties": {
                "sort": STR,
                "filters": {"type": "array", "items": {"type": "object"}},
                "facets": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/components/schemas/Facet"},
                },
            },
        },
    ]
}
