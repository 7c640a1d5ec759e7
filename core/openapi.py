"""Pieces of an OpenAPI 3 document that every app's part of /api/openapi.json shares:
query and path parameters, a GET operation with the API's answers, a page of results."""

STR = {"type": "string"}
NSTR = {"type": "string", "nullable": True}
URL = {"type": "string", "format": "uri"}


def list_param(name, description, enum=None):
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

ERROR = {"$ref": "#/components/responses/Error"}
NOT_MODIFIED = {"description": "Not modified since the ETag or date given."}


def ok_response(schema_ref, description):
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
                "200": ok_response(schema_ref, description),
                "304": NOT_MODIFIED,
                "400": ERROR,
                "404": ERROR,
            },
        }
    }


def slug_param(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def page_of(ref):
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "num_pages", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "num_pages": {"type": "integer"},
            "next": {**URL, "nullable": True},
            "previous": {**URL, "nullable": True},
            "results": {"type": "array", "items": {"$ref": ref}},
        },
    }
