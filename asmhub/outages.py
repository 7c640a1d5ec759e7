"""What counts as a dependency being down, and the 503 page that says which one.

A database or object store that cannot be reached is an outage to wait out, not a bug:
visitors get a 503 page naming it (with Retry-After), never a traceback.
"""

from botocore.exceptions import BotoCoreError, ClientError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

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


def unavailable_response(dependency):
    """The 503 page, rendered without the request context: that context would ask the
    database for the session and the user, which is the thing that is down."""
    body = loader.get_template("503.html").render({"message": MESSAGES[dependency]})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
