"""The hub's pages about itself: /about/ (the programme, its partners, how to contribute,
contact, licence, privacy) and /about/api/, the API's reference as a plain page read
from the OpenAPI document drf-spectacular generates (no JavaScript, unlike Swagger UI
at /api/docs/)."""

import functools

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from learning_groups.models import LearningGroup
from resources.models import Organisation

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def about(request):
    """The programme, the organisations convening its learning groups, how to contribute,
    whom to write to, the licence of the content and what the hub keeps about readers.
    Two queries: the groups and their convenors."""
    groups = LearningGroup.objects.select_related("country").prefetch_related(
        Prefetch("convenors", queryset=Organisation.objects.order_by("name"))
    )
    return render(
        request,
        "about/about.html",
        {"groups": groups.order_by("name"), "contact_email": settings.ASMHUB_ADMIN_EMAIL},
    )


@functools.cache
def api_operations():
    """The API's operations as (path, method, summary, description, [parameters]) in the
    document's order, each parameter a dict of name, where, required, type and
    description. Generated once per process: the API changes only with the code."""
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "required": parameter.get("required", False),
                    "type": schema_type(parameter.get("schema", {})),
                    "description": parameter.get("description", ""),
                }
                for parameter in operation.get("parameters", [])
                if parameter["in"] in ("path", "query")
            ]
            operations.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                }
            )
    return schema["info"], operations


def schema_type(schema):
    """A parameter's type in a few words: "integer", "array of string", "one of a, b"."""
    if "enum" in schema:
        return ", ".join(str(value) for value in schema["enum"])
    if schema.get("type") == "array":
        return f"array of {schema_type(schema.get('items', {}))}"
    return schema.get("type", "")


def api_reference(request):
    """Every operation of the JSON API with its parameters, on one page without
    JavaScript; no query."""
    info, operations = api_operations()
    return render(request, "about/api_reference.html", {"info": info, "operations": operations})
