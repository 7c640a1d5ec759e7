"""The library's part of the OpenAPI 3 document served at /api/openapi.json."""

from .filters import ResourceFilter
from .models import LANGUAGE_CHOICES, Resource


def _list_param(name, description, enum=None):
    items = {"type": "string"}
    if enum:
        items["enum"] = enum
    return {
        "name": name,
        "in": "query",
        "description": description + " Repeat the parameter for several values (OR).",
        "schema": {"type": "array", "items": items},
        "style": "form",
        "explode": True,
    }


PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {
        "name": "page_size",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
]

RESOURCE_LIST_PARAMS = [
    {
        "name": "q",
        "in": "query",
        "description": "Search words (all must match).",
        "schema": {"type": "string", "maxLength": 200},
    },
    _list_param("country", "ISO 3166-1 alpha-2 code, any case."),
    _list_param("theme", "Theme slug."),
    _list_param("commodity", "Commodity slug; a broader commodity includes narrower ones."),
    _list_param("type", "Resource type.", [value for value, _label in Resource.Type.choices]),
    _list_param("language", "Language code.", [value for value, _label in LANGUAGE_CHOICES]),
    _list_param("tag", "Tag slug."),
    {"name": "year_from", "in": "query", "schema": {"type": "integer", "minimum": 1900}},
    {"name": "year_to", "in": "query", "schema": {"type": "integer", "maximum": 2100}},
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": [v for v, _l in ResourceFilter.SORT_CHOICES]},
    },
    *PAGE_PARAMS,
]

ERROR = {"$ref": "#/components/responses/Error"}
NOT_MODIFIED = {"description": "Not modified since the ETag or date given."}


def _ok(schema_ref, description):
    return {
        "description": description,
        "headers": {
            "ETag": {"schema": {"type": "string"}},
            "Cache-Control": {"schema": {"type": "string"}},
        },
        "content": {"application/json": {"schema": {"$ref": schema_ref}}},
    }


def get_operation(operation_id, summary, schema_ref, description, parameters=()):
    """A GET operation answering schema_ref, 304, or a JSON error (400, 404)."""
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": list(parameters),
            "responses": {
                "200": _ok(schema_ref, description),
                "304": NOT_MODIFIED,
                "400": ERROR,
                "404": ERROR,
            },
        }
    }


def _slug_param(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


PATHS = {
    "/api/resources/": {
        "get": {
            "operationId": "listResources",
            "summary": "Published resources, filtered, sorted and paginated, with facets",
            "parameters": RESOURCE_LIST_PARAMS,
            "responses": {
                "200": _ok("#/components/schemas/ResourcePage", "A page of resources."),
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
            "parameters": [_slug_param("slug")],
            "responses": {
                "200": _ok("#/components/schemas/Resource", "The resource."),
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
                "200": _ok("#/components/schemas/CountryList", "All countries."),
                "304": NOT_MODIFIED,
                "400": ERROR,
            },
        }
    },
    "/api/countries/{iso2}/": {
        "get": {
            "operationId": "getCountry",
            "summary": "One country",
            "parameters": [_slug_param("iso2")],
            "responses": {
                "200": _ok("#/components/schemas/Country", "The country."),
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
                "200": _ok("#/components/schemas/OrganisationPage", "A page of organisations."),
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
            "parameters": [_slug_param("slug")],
            "responses": {
                "200": _ok("#/components/schemas/Organisation", "The organisation."),
                "304": NOT_MODIFIED,
                "404": ERROR,
            },
        }
    },
}

_STR = {"type": "string"}
_NSTR = {"type": "string", "nullable": True}
_URL = {"type": "string", "format": "uri"}
_TERM = {
    "type": "object",
    "properties": {"slug": _STR, "name": _STR},
    "required": ["slug", "name"],
}


def _page_of(ref):
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "num_pages", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "num_pages": {"type": "integer"},
            "next": {**_URL, "nullable": True},
            "previous": {**_URL, "nullable": True},
            "results": {"type": "array", "items": {"$ref": ref}},
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "detail"],
                "properties": {"code": _STR, "detail": _STR, "parameter": _STR},
            }
        },
    },
    "CountryRef": {
        "type": "object",
        "required": ["code", "name", "url", "html_url"],
        "properties": {"code": _STR, "name": _STR, "url": _URL, "html_url": _URL},
    },
    "Country": {
        "allOf": [
            {"$ref": "#/components/schemas/CountryRef"},
            {
                "type": "object",
                "properties": {
                    "region": _STR,
                    "is_programme_country": {"type": "boolean"},
                    "resource_count": {"type": "integer"},
                    "resources_url": _URL,
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
            "slug": _STR,
            "name": _STR,
            "acronym": _STR,
            "url": _URL,
            "kind": _NSTR,
            "kind_label": _NSTR,
            "country": {
                "nullable": True,
                "allOf": [{"$ref": "#/components/schemas/CountryRef"}],
            },
            "website": _NSTR,
            "resource_count": {"type": "integer"},
        },
    },
    "OrganisationPage": _page_of("#/components/schemas/Organisation"),
    "Resource": {
        "type": "object",
        "required": ["id", "slug", "url", "html_url", "title", "type", "language", "authors"],
        "properties": {
            "id": {"type": "integer"},
            "slug": _STR,
            "url": _URL,
            "html_url": _URL,
            "title": _STR,
            "summary": _STR,
            "type": _STR,
            "type_label": _STR,
            "year": {"type": "integer", "nullable": True},
            "date": {"type": "string", "format": "date", "nullable": True},
            "language": _STR,
            "authors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": _STR,
                        "family_name": _STR,
                        "given_names": _STR,
                        "is_organisation": {"type": "boolean"},
                    },
                },
            },
            "publisher": _STR,
            "countries": {"type": "array", "items": {"$ref": "#/components/schemas/CountryRef"}},
            "themes": {"type": "array", "items": _TERM},
            "commodities": {"type": "array", "items": _TERM},
            "tags": {"type": "array", "items": _TERM},
            "doi": _NSTR,
            "isbn": _NSTR,
            "publisher_code": _NSTR,
            "licence": _NSTR,
            "is_open_access": {"type": "boolean"},
            "external_url": {**_URL, "nullable": True},
            "file": {
                "type": "object",
                "nullable": True,
                "properties": {
                    "url": _URL,
                    "size": {"type": "integer", "nullable": True},
                    "content_type": _STR,
                    "extension": _STR,
                },
            },
            "owner": {"type": "object", "nullable": True},
            "published_at": {"type": "string", "format": "date-time", "nullable": True},
            "updated_at": {"type": "string", "format": "date-time"},
            "citation": {"type": "object", "properties": {"bibtex": _URL, "ris": _URL}},
        },
    },
    "Facet": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"value": {}, "label": _STR, "count": {"type": "integer"}},
        },
    },
}
SCHEMAS["ResourcePage"] = {
    "allOf": [
        _page_of("#/components/schemas/Resource"),
        {
            "type": "object",
            "properties": {
                "sort": _STR,
                "filters": {"type": "array", "items": {"type": "object"}},
                "facets": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/components/schemas/Facet"},
                },
            },
        },
    ]
}
