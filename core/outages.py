"""What counts as a dependency being down, and the 503 answer that says which one.

A database or object store that cannot be reached is an outage to wait out, not a bug:
visitors get a 503 page naming it (with Retry-After), never a traceback; the API gets
the same in its JSON error shape.
"""

from botocore.exceptions import BotoCoreError, ClientError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

# Where the JSON API lives (asmhub/urls.py): outages there are answered in JSON.
API_PATH = "/api/"

DATABASE = "database"
STORAGE = "storage"

MESSAGES = {
    DATABASE: _("The library’s database cannot be reached just now."),
    STORAGE: _("The library’s file store cannot be reached just now."),
}


class StorageUnavailable(Exception):
    """The file store did not answer; raised where a storage error is known to be one."""


def outage_of(error):
    """The dependency an exception says is down, or None if it is an ordinary error."""
    if isinstance(error, OperationalError | InterfaceError):
        return DATABASE
    if isinstance(error, StorageUnavailable | BotoCoreError):
        # BotoCoreError covers the connection and timeout errors of an unreachable bucket.
        return STORAGE
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if status >= 500:
            return STORAGE
    return None


def is_api(request):
    """Whether the request is the JSON API's, which answers every error in JSON."""
    return request is not None and request.path_info.startswith(API_PATH)


def api_error(status, code, detail):
    """An error in the API's shape ({"error": {"code", "detail"}}), readable cross-site."""
    error = {"code": code, "detail": str(detail)}
    response = JsonResponse(
        {"error": error}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    # As on every API answer, so a script on another site can read why.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def unavailable_response(dependency, *, request=None):
    """The 503 answer: for the API (under API_PATH), its JSON error; otherwise the page,
    rendered without the request context, which would ask the database for the session
    and the user, the very thing that is down."""
    if is_api(request):
        response = api_error(503, f"{dependency}_unavailable", MESSAGES[dependency])
    else:
        body = loader.get_template("503.html").render({"message": MESSAGES[dependency]})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
