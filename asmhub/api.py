"""The API's index and its OpenAPI document, composed from each app's part.

Each app that serves /api/ endpoints contributes PATHS and SCHEMAS (see
resources/discovery/openapi.py) and its URL patterns in asmhub/api_urls.py.
"""

from django.conf import settings
from django.urls import reverse

from core.api import api_view, check_known
from dialogues import openapi as dialogues_openapi
from learning_groups import openapi as learning_groups_openapi
from resources.discovery import openapi as resources_openapi

OPENAPI_PARTS = (resources_openapi, learning_groups_openapi, dialogues_openapi)


def openapi_document(server_url):
    paths, schemas = {}, {}
    for part in OPENAPI_PARTS:
        paths.update(part.PATHS)
        schemas.update(part.SCHEMAS)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{settings.ASMHUB_SITE_NAME} API",
            "version": "1",
            "description": (
                "Read-only JSON: the same filters as the library. Bad parameters give a 400 "
                "with a JSON error naming the parameter; a database outage, a 503 with the "
                "same error object (code database_unavailable) and Retry-After. Answers "
                "carry an ETag; send If-None-Match to get a 304."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "What was wrong with the request.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }


@api_view
def openapi(request):
    """The OpenAPI 3 document of the whole API."""
    check_known(request, set())
    return openapi_document(request.build_absolute_uri("/").rstrip("/"))


@api_view
def index(request):
    """Where each endpoint lives."""
    check_known(request, set())
    absolute = request.build_absolute_uri
    return {
        "openapi": absolute(reverse("api:openapi")),
        "endpoints": {
            path: absolute(path) for part in OPENAPI_PARTS for path in part.PATHS if "{" not in path
        },
    }
