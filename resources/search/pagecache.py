"""Whole public pages of the library kept under the content version while it holds."""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from .backends import backend
from .version import (
    artefacts_stamp,
    cached,
    content_version,
    request_artefacts,
    request_version,
)


def version_cached_page(view):
    """Serve a public page from the cache while the library's content version holds.

    For anonymous GETs where the library reads an index (PostgreSQL): the whole rendered
    page is kept under the content version, the language and the full path, so a
    repeated page costs one small query.
    Anything personal (a signed-in visitor, a pending message) is rendered afresh."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = request.user.is_authenticated or request.COOKIES.get("messages")
        enabled = settings.ASMHUB_SEARCH_PAGE_CACHE
        if request.method != "GET" or personal or not enabled or not backend().indexed:
            return view(request, *args, **kwargs)
        hit = {}

        def render():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            hit["response"] = response
            if response.status_code != 200:
                return None
            return (response.content, response["Content-Type"])

        stamp = artefacts_stamp()
        parts = ["page", request.get_full_path(), translation.get_language(), stamp]
        version = content_version()
        token = request_version.set(version)
        artefacts_token = request_artefacts.set((stamp,))
        try:
            stored = cached(version, parts, render)
        finally:
            request_artefacts.reset(artefacts_token)
            request_version.reset(token)
        if "response" in hit:
            return hit["response"]
        if stored is None:
            return view(request, *args, **kwargs)
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)

    return wrapper
